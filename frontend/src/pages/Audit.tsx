import { useState } from 'react';
import type { FormEvent } from 'react';
import { groupProblems } from '../lib/problems';
import type { AuditEntry } from '../lib/types';
import { AUDIT_ACTIONS } from '../lib/messages-audit';
import { ErrorMessage, Loading, Notice, SelectField, TextField, formatDateTime, useAsync, useStaffPage, PageHeader, TableHead, columnsOf } from '../components/ui';

// The organization's audit log (newest first, filtered by action and by
// staff member, older pages on demand) and the erasure of a candidate.
export function AuditPage() {
  const { t, lang, api } = useStaffPage('audit.title');
  const users = useAsync(() => api.listUsers(), [api]);
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const first = useAsync(() => api.audit({ action, actor }), [api, action, actor]);
  // Older pages belong to the first page they follow: new filters (a new
  // first page) start the list again.
  const [pages, setPages] = useState<{ after: unknown; items: AuditEntry[]; next: string | null }>({ after: null, items: [], next: null });
  const current = pages.after === first.data && first.data !== undefined;
  const older = current ? pages.items : [];
  const next = current ? pages.next : (first.data?.next_cursor ?? null);
  const [moreError, setMoreError] = useState<unknown>(null);

  const more = async () => {
    if (!next) return;
    setMoreError(null);
    const base = first.data;
    try {
      const p = await api.audit({ action, actor, cursor: next });
      setPages({ after: base, items: [...older, ...p.items], next: p.next_cursor ?? null });
    } catch (err) {
      setMoreError(err);
    }
  };

  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [eraseError, setEraseError] = useState<unknown>(null);
  const [erased, setErased] = useState<string | null>(null);
  const problems = groupProblems(lang, eraseError);
  const erase = async (e: FormEvent) => {
    e.preventDefault();
    setErased(null);
    setEraseError(null);
    if (!window.confirm(t('audit.eraseConfirm', { email: email.trim() }))) return;
    setBusy(true);
    try {
      const r = await api.eraseCandidate(email.trim());
      setErased(t('audit.erased', { invitations: String(r.invitations), attempts: String(r.attempts) }));
      setEmail('');
      first.reload();
    } catch (err) {
      setEraseError(err);
    } finally {
      setBusy(false);
    }
  };

  const items = [...(first.data?.items ?? []), ...older];
  const actionLabel = (a: string) => (AUDIT_ACTIONS.includes(a) ? t(`audit.act.${a}` as 'audit.act.key.amended') : a);
  return (
    <section className="page">
      <PageHeader title={t('audit.title')} />
      <div className="card">
        <div className="grid-2">
          <SelectField<string>
            label={t('audit.filterAction')}
            field="audit-action"
            value={action}
            onChange={setAction}
            options={[{ value: '', label: t('audit.allActions') }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))]}
          />
          <SelectField<string>
            label={t('audit.filterActor')}
            field="audit-actor"
            value={actor}
            onChange={setActor}
            options={[{ value: '', label: t('audit.everyone') }, ...(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))]}
          />
        </div>
        {first.loading && !first.data ? <Loading /> : null}
        <ErrorMessage error={first.error} />
        {first.data && items.length === 0 ? <p className="muted">{t('audit.none')}</p> : null}
        {items.length > 0 ? (
          <table className="table" aria-label={t('audit.title')}>
            <TableHead columns={columnsOf([t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.details')])} />
            <tbody>
              {items.map((it) => (
                <tr key={it.id} data-action={it.action}>
                  <td>{formatDateTime(it.at, lang)}</td>
                  <td>
                    {it.actor.name} <span className="badge">{t(`role.${it.actor.role}` as 'role.admin')}</span>
                  </td>
                  <td>{actionLabel(it.action)}</td>
                  <td className="small">
                    <code>{it.target}</code>
                  </td>
                  <td className="small">
                    <code>{JSON.stringify(it.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <ErrorMessage error={moreError} />
        {next ? (
          <button type="button" className="btn" onClick={more}>
            {t('audit.more')}
          </button>
        ) : null}
      </div>
      <form className="card" onSubmit={erase} noValidate aria-labelledby="erase-h">
        <h2 id="erase-h">{t('audit.eraseTitle')}</h2>
        <p className="hint">{t('audit.eraseHint')}</p>
        <TextField label={t('audit.eraseEmail')} field="email" type="email" value={email} onChange={setEmail} errors={problems.get('email')} autoComplete="off" />
        {erased ? <Notice kind="success">{erased}</Notice> : null}
        {problems.size === 0 ? <ErrorMessage error={eraseError} /> : null}
        <button type="submit" className="btn btn-danger" disabled={busy || !email.trim()}>
          {t('audit.erase')}
        </button>
      </form>
    </section>
  );
}
