import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../context';
import { ApiError } from '../lib/http';
import { groupByField } from '../lib/fieldpath';
import { Link } from '../lib/router';
import type { Invitation, NewInvitation } from '../lib/types';
import { BulkInvite } from './invitations/BulkInvite';
import {
  ConfirmDialog,
  CopyButton,
  ErrorMessage,
  Loading,
  Notice,
  SelectField,
  StatusBadge,
  TextField,
  formatDateTime,
  useAsync,
  usePageTitle,
} from '../components/ui';

interface Created {
  id: string;
  name: string;
  email: string;
  link: string;
}


/** datetime-local text (local time) → RFC 3339 UTC, or undefined. */
function localToIso(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function InvitationsPage({ examId }: { examId: string }) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const exam = useAsync(() => api.getExam(examId), [examId]);
  const list = useAsync(() => api.listInvitations(examId), [examId]);
  usePageTitle(`${t('invite.title')} · ${exam.data?.title ?? ''}`);

  // Links are shown once, when created: the server keeps only a hash of the token.
  const [created, setCreated] = useState<Created[]>([]);
  const links = useMemo(() => new Map(created.map((c) => [c.id, c.link])), [created]);

  const tracks = exam.data?.tracks ?? [];
  const published = (exam.data?.latest_version ?? 0) > 0;

  // Progress: refresh the list now and then.
  const reload = list.reload;
  useEffect(() => {
    const h = setInterval(reload, 20_000);
    return () => clearInterval(h);
  }, [reload]);

  // ---- one invitation ----
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [track, setTrack] = useState('');
  const [opensAt, setOpensAt] = useState('');
  const [closesAt, setClosesAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [justCreated, setJustCreated] = useState<Created | null>(null);
  useEffect(() => {
    if (tracks.length && !tracks.includes(track)) setTrack(tracks[0]);
  }, [tracks, track]);

  const problems = error instanceof ApiError ? groupByField(error.details) : new Map<string, string[]>();

  const inviteOne = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setJustCreated(null);
    const body: NewInvitation = {
      candidate_name: name.trim(),
      candidate_email: email.trim(),
      track: tracks.length ? track : undefined,
      opens_at: localToIso(opensAt),
      closes_at: localToIso(closesAt),
    };
    try {
      const inv = await api.invite(examId, body);
      const c = { id: inv.id, name: body.candidate_name, email: body.candidate_email, link: inv.link ?? '' };
      setCreated((x) => [c, ...x]);
      setJustCreated(c);
      setName('');
      setEmail('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // ---- revoke ----
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const revoke = async () => {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      await api.revokeInvitation(revoking.id);
      list.reload();
    } catch (err) {
      setRevokeError(err);
    } finally {
      setRevokeBusy(false);
      setRevoking(null);
    }
  };

  const allLinks = created.map((c) => `${c.name}, ${c.email}, ${c.link}`).join('\n');
  const items = list.data?.items ?? [];
  const liveEmails = useMemo(() => items.filter((i) => i.status !== 'revoked').map((i) => i.candidate_email ?? ''), [items]);

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/exams">{t('nav.exams')}</Link> / <Link to={`/exams/${examId}`}>{exam.data?.title ?? '…'}</Link>
          </p>
          <h1>{t('invite.title')}</h1>
        </div>
        <nav className="head-actions" aria-label={t('editor.related')}>
          <Link to={`/exams/${examId}`} className="btn btn-small">
            {t('exams.edit')}
          </Link>
          <Link to={`/exams/${examId}/results`} className="btn btn-small">
            {t('exams.results')}
          </Link>
        </nav>
      </div>
      <ErrorMessage error={exam.error} />
      {exam.data && !published ? (
        <Notice kind="warn">
          {t('invite.publishFirst')} <Link to={`/exams/${examId}`}>{t('exams.edit')}</Link>
        </Notice>
      ) : null}
      {exam.data && published ? (
        <p className="muted">{t('invite.pinned', { n: exam.data.latest_version ?? 0 })}</p>
      ) : null}

      <div className="grid-2 top">
        <form className="card" onSubmit={inviteOne} noValidate aria-labelledby="invite-one-h">
          <h2 id="invite-one-h">{t('invite.one')}</h2>
          <TextField label={t('invite.name')} field="candidate_name" value={name} onChange={setName} errors={problems.get('candidate_name')} required autoComplete="off" />
          <TextField label={t('invite.email')} field="candidate_email" type="email" value={email} onChange={setEmail} errors={problems.get('candidate_email')} required autoComplete="off" />
          {tracks.length ? (
            <SelectField label={t('invite.track')} field="track" value={track} onChange={setTrack} options={tracks.map((x) => ({ value: x, label: x }))} errors={problems.get('track')} />
          ) : null}
          <details className="more">
            <summary>{t('invite.window')}</summary>
            <div className="grid-2">
              <TextField label={t('invite.opensAt')} field="opens_at" type="datetime-local" value={opensAt} onChange={setOpensAt} errors={problems.get('opens_at')} />
              <TextField label={t('invite.closesAt')} field="closes_at" type="datetime-local" value={closesAt} onChange={setClosesAt} errors={problems.get('closes_at')} />
            </div>
          </details>
          <ErrorMessage error={error} />
          {justCreated ? (
            <div className="alert alert-success" role="status">
              <p>{t('invite.created', { name: justCreated.name })}</p>
              <p className="link-line">
                <a href={justCreated.link} data-testid="invite-link" target="_blank" rel="noreferrer">
                  {justCreated.link}
                </a>{' '}
                <CopyButton text={justCreated.link} label={t('invite.copyLink')} />
              </p>
            </div>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy || !published}>
            {busy ? t('common.working') : t('invite.send')}
          </button>
        </form>

        <BulkInvite
          examId={examId}
          tracks={tracks}
          published={published}
          invited={liveEmails}
          onInvited={(c) => setCreated((x) => [c, ...x])}
          onDone={list.reload}
        />
      </div>

      <div className="card">
        <div className="card-head">
          <h2>{t('invite.list')}</h2>
          <div className="head-actions">
            {created.length ? <CopyButton text={allLinks} label={t('invite.copyAll', { n: created.length })} /> : null}
            <button type="button" className="btn btn-small" onClick={list.reload}>
              {t('common.refresh')}
            </button>
          </div>
        </div>
        <p className="muted small">{t('invite.linksOnce')}</p>
        {list.loading && !list.data ? <Loading /> : null}
        <ErrorMessage error={list.error} />
        <ErrorMessage error={revokeError} />
        {items.length === 0 && !list.loading ? <p className="muted">{t('invite.none')}</p> : null}
        {items.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('invite.name')}</th>
                  <th scope="col">{t('invite.email')}</th>
                  {tracks.length ? <th scope="col">{t('invite.track')}</th> : null}
                  <th scope="col">{t('invite.version')}</th>
                  <th scope="col">{t('invite.status')}</th>
                  <th scope="col">{t('invite.progress')}</th>
                  <th scope="col">{t('invite.link')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((inv) => {
                  const link = inv.link || links.get(inv.id);
                  return (
                    <tr key={inv.id}>
                      <td>{inv.candidate_name ?? '—'}</td>
                      <td>{inv.candidate_email ?? '—'}</td>
                      {tracks.length ? <td>{inv.track || '—'}</td> : null}
                      <td>{inv.exam_version ?? '—'}</td>
                      <td>
                        <StatusBadge status={inv.status} />
                        {inv.closes_at ? <div className="muted small">{t('invite.closes', { at: formatDateTime(inv.closes_at, lang) })}</div> : null}
                      </td>
                      <td>
                        {typeof inv.answered_count === 'number' && inv.status !== 'pending' ? (
                          <div className="small">{t('invite.answeredCount', { n: inv.answered_count })}</div>
                        ) : null}
                        {inv.attempt_id && inv.status !== 'in_progress' ? (
                          <Link className="small" to={`/attempts/${inv.attempt_id}?exam=${encodeURIComponent(examId)}`}>
                            {t('results.detail')}
                          </Link>
                        ) : null}
                        {inv.status === 'pending' || (!inv.attempt_id && typeof inv.answered_count !== 'number') ? <span className="muted">—</span> : null}
                      </td>
                      <td>{link ? <CopyButton text={link} label={t('invite.copyLink')} /> : <span className="muted">—</span>}</td>
                      <td>
                        {inv.status === 'pending' ? (
                          <button type="button" className="btn btn-small btn-ghost btn-danger-text" onClick={() => setRevoking(inv)}>
                            {t('invite.revoke')}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>

      <ConfirmDialog
        open={!!revoking}
        title={t('invite.revokeTitle')}
        confirmLabel={t('invite.revoke')}
        cancelLabel={t('common.cancel')}
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
        busy={revokeBusy}
        danger
      >
        <p>{t('invite.revokeBody', { name: revoking?.candidate_name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
