import { useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../context';
import type { MessageKey } from '../lib/i18n';
import { groupProblems, problemSentences } from '../lib/problems';
import type { CreatedWebhook, Webhook, WebhookDelivery, WebhookEvent } from '../lib/types';
import { ErrorMessage, FieldErrors, Loading, Notice, TextField, useAsync, useStaffPage, PageHeader, TableHead, columnsOf } from '../components/ui';

const EVENTS: WebhookEvent[] = ['invitation.created', 'attempt.started', 'attempt.submitted', 'attempt.graded', 'key.amended'];

/** The admin's webhooks: create (secret shown once), delete, delivery log with retry. */
export function WebhooksPage() {
  const { t, lang, api } = useStaffPage('webhooks.title');
  const list = useAsync(() => api.listWebhooks(), [api]);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['attempt.submitted', 'attempt.graded']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [copied, setCopied] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, ['url', 'description']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    setCopied(false);
    try {
      const w = await api.createWebhook({ url: url.trim(), events, description: description.trim() });
      setCreated(w);
      setUrl('');
      setDescription('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (w: Webhook) => {
    if (!window.confirm(t('webhooks.confirmDelete'))) return;
    try {
      await api.deleteWebhook(w.id);
      if (open === w.id) setOpen(null);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <section className="page">
      <PageHeader title={t('webhooks.title')} />
      <p className="muted">{t('webhooks.intro')}</p>
      <div className="grid-2 top">
        <div className="card">
          <h2>{t('webhooks.list')}</h2>
          {list.loading && !list.data ? <Loading /> : null}
          <ErrorMessage error={list.error} />
          {list.data && list.data.items.length === 0 ? <p className="muted">{t('webhooks.none')}</p> : null}
          <ul className="user-list" data-testid="webhook-list">
            {(list.data?.items ?? []).map((w) => (
              <li key={w.id}>
                <strong>{w.url}</strong> {w.description ? <span className="muted">{w.description}</span> : null}
                <div>
                  {w.events.map((ev) => (
                    <span key={ev} className="badge">
                      {t(`webhooks.event.${ev}` as MessageKey)}
                    </span>
                  ))}
                </div>
                <button type="button" className="btn" onClick={() => setOpen(open === w.id ? null : w.id)}>
                  {t('webhooks.deliveries')}
                </button>{' '}
                <button type="button" className="btn btn-danger" onClick={() => remove(w)}>
                  {t('webhooks.delete')}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <form className="card" onSubmit={submit} noValidate aria-labelledby="new-webhook-h">
          <h2 id="new-webhook-h">{t('webhooks.new')}</h2>
          <TextField label={t('webhooks.url')} field="url" type="url" value={url} onChange={setUrl} errors={problems.get('url')} autoComplete="off" />
          <TextField label={t('webhooks.description')} field="description" value={description} onChange={setDescription} errors={problems.get('description')} />
          <fieldset className="field">
            <legend>{t('webhooks.events')}</legend>
            {EVENTS.map((ev) => (
              <label key={ev} className="check">
                <input
                  type="checkbox"
                  checked={events.includes(ev)}
                  onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))}
                />{' '}
                {t(`webhooks.event.${ev}` as MessageKey)} <code>{ev}</code>
              </label>
            ))}
          </fieldset>
          <ErrorMessage error={error} />
          <FieldErrors id="new-webhook-problems" errors={otherProblems} />
          {created ? (
            <Notice kind="success">
              <strong>{t('webhooks.secretTitle')}</strong>
              <br />
              <code data-testid="webhook-secret">{created.secret}</code>{' '}
              <button type="button" className="btn" onClick={() => copy(created.secret)}>
                {copied ? t('webhooks.copied') : t('webhooks.copy')}
              </button>
              <br />
              {t('webhooks.secretHint')}
            </Notice>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.working') : t('webhooks.create')}
          </button>
        </form>
      </div>
      {open ? <DeliveryLog key={open} webhookId={open} /> : null}
    </section>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const page = useAsync(() => api.webhookDeliveries(webhookId, cursor), [api, webhookId, cursor]);
  const [error, setError] = useState<unknown>(null);
  const when = (d: WebhookDelivery) => {
    const v = d.delivered_at ?? d.next_attempt_at;
    return v ? new Date(v).toLocaleString(lang) : '—';
  };
  const retry = async (d: WebhookDelivery) => {
    setError(null);
    try {
      await api.retryDelivery(webhookId, d.id);
      page.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="card">
      <h2>{t('webhooks.deliveries')}</h2>
      {page.loading && !page.data ? <Loading /> : null}
      <ErrorMessage error={page.error ?? error} />
      {page.data && page.data.items.length === 0 ? <p className="muted">{t('webhooks.noDeliveries')}</p> : null}
      {page.data && page.data.items.length > 0 ? (
        <table className="table" data-testid="delivery-log">
          <TableHead columns={columnsOf([t('webhooks.col.type'), t('webhooks.col.status'), t('webhooks.col.attempts'), t('webhooks.col.last'), t('webhooks.col.when'), null])} />
          <tbody>
            {page.data.items.map((d) => (
              <tr key={d.id}>
                <td>{t(`webhooks.event.${d.type}` as MessageKey)}</td>
                <td>
                  <span className={`badge status-${d.status}`}>{t(`webhooks.status.${d.status}` as MessageKey)}</span>
                </td>
                <td>{d.attempts}</td>
                <td title={d.last_error}>{d.last_status ?? '—'}</td>
                <td>{when(d)}</td>
                <td>
                  <button type="button" className="btn" onClick={() => retry(d)}>
                    {t('webhooks.retry')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page.data?.next_cursor ? (
        <button type="button" className="btn" onClick={() => setCursor(page.data?.next_cursor ?? undefined)}>
          {t('webhooks.more')}
        </button>
      ) : null}
    </div>
  );
}
