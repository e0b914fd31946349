// The invitations table of an exam: progress per candidate and the row
// actions — a fresh link (tokens are kept hashed, so a lost link can only be
// replaced), extra time (also for an attempt already running) and revoke.
// On narrow screens the rows become cards (see .cards-on-narrow in the CSS).

import { useState } from 'react';
import type { MessageKey } from '../lib/i18n';
import { useI18n, useStaff } from '../context';
import { problemSentences } from '../lib/problems';
import { Link } from '../lib/router';
import type { Invitation } from '../lib/types';
import {
  ConfirmDialog,
  CopyButton,
  ErrorMessage,
  FieldErrors,
  NumberField,
  StatusBadge,
  errorText,
  formatDateTime,
  DataTable,
} from './ui';

/** An invitation's link, shown once: to open, or to copy for the candidate. */
export function InvitationLink({ link, testId }: { link: string; testId: string }) {
  const { t } = useI18n();
  return (
    <p className="link-line">
      <a href={link} data-testid={testId} target="_blank" rel="noreferrer">
        {link}
      </a>{' '}
      <CopyButton text={link} label={t('invite.copyLink')} />
    </p>
  );
}

export function InvitationTable({
  examId,
  items,
  tracks,
  trackName = (x) => x,
  links,
  onLink,
  onChanged,
}: {
  examId: string;
  items: Invitation[];
  tracks: string[];
  trackName?: (track: string) => string;
  /** Links known in this page (created or re-issued here), by invitation id. */
  links: Map<string, string>;
  onLink: (inv: Invitation, link: string) => void;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const { api } = useStaff();

  // ---- new link ----
  const [linkFor, setLinkFor] = useState<Invitation | null>(null);
  const [fresh, setFresh] = useState<{ inv: Invitation; link: string } | null>(null);
  const [linkBusy, setLinkBusy] = useState(false);
  const [linkError, setLinkError] = useState<unknown>(null);
  const issue = async () => {
    if (!linkFor) return;
    setLinkBusy(true);
    setLinkError(null);
    try {
      const l = await api.newLink(linkFor.id);
      onLink(linkFor, l.link);
      setFresh({ inv: linkFor, link: l.link });
    } catch (err) {
      setLinkError(err);
    } finally {
      setLinkBusy(false);
      setLinkFor(null);
    }
  };

  // ---- extra time ----
  const [timeFor, setTimeFor] = useState<Invitation | null>(null);
  const [minutes, setMinutes] = useState<number | undefined>(undefined);
  const [timeBusy, setTimeBusy] = useState(false);
  const [timeError, setTimeError] = useState<unknown>(null);
  const [timeDone, setTimeDone] = useState<Invitation | null>(null);
  const openTime = (inv: Invitation) => {
    setTimeFor(inv);
    setMinutes(Math.round((inv.extra_time_seconds ?? 0) / 60));
    setTimeError(null);
  };
  const minutesBad = minutes === undefined || minutes < 0 || minutes > 7 * 24 * 60 || !Number.isInteger(minutes);
  const saveTime = async () => {
    if (!timeFor || minutesBad) return;
    setTimeBusy(true);
    setTimeError(null);
    try {
      const inv = await api.updateInvitation(timeFor.id, { extra_time_seconds: (minutes ?? 0) * 60 });
      setTimeDone(inv);
      setTimeFor(null);
      onChanged();
    } catch (err) {
      setTimeError(err);
    } finally {
      setTimeBusy(false);
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
      onChanged();
    } catch (err) {
      setRevokeError(err);
    } finally {
      setRevokeBusy(false);
      setRevoking(null);
    }
  };

  const timeDetails = problemSentences(lang, timeError);

  return (
    <>
      <ErrorMessage error={revokeError} />
      <ErrorMessage error={linkError} />
      {fresh ? (
        <div className="alert alert-success" role="status" data-testid="fresh-link">
          <p>{t('inv2.freshLink', { name: fresh.inv.candidate_name ?? '' })}</p>
          <InvitationLink link={fresh.link} testId="new-link" />
          <p className="muted small">{t('inv2.oldLinkDead')}</p>
        </div>
      ) : null}
      {timeDone ? (
        <div className="alert alert-success" role="status" data-testid="time-done">
          {t('inv2.timeSaved', {
            name: timeDone.candidate_name ?? '',
            min: Math.round((timeDone.extra_time_seconds ?? 0) / 60),
          })}
          {timeDone.status === 'in_progress' && timeDone.deadline ? ` ${t('inv2.newDeadline', { at: formatDateTime(timeDone.deadline, lang) })}` : ''}
        </div>
      ) : null}
      <DataTable
        className="cards-on-narrow"
        testId="invitations-table"
        columns={[
          { label: t('invite.name') },
          { label: t('invite.email') },
          tracks.length > 0 && { label: t('invite.track') },
          { label: t('invite.version') },
          { label: t('invite.status') },
          { label: t('mail.column') },
          { label: t('invite.progress') },
          { label: t('invite.link') },
          { label: t('common.actions'), srOnly: true },
        ]}
      >
            {items.map((inv) => {
              const link = links.get(inv.id);
              const extra = Math.round((inv.extra_time_seconds ?? 0) / 60);
              const canTime = inv.status === 'pending' || inv.status === 'in_progress';
              return (
                <tr key={inv.id} data-testid="invitation-row">
                  <td className="card-title">{inv.candidate_name ?? '—'}</td>
                  <td data-label={t('invite.email')}>{inv.candidate_email ?? '—'}</td>
                  {tracks.length ? <td data-label={t('invite.track')}>{inv.track ? trackName(inv.track) : '—'}</td> : null}
                  <td data-label={t('invite.version')}>{inv.exam_version ?? '—'}</td>
                  <td data-label={t('invite.status')}>
                    <StatusBadge status={inv.status} />
                    {inv.closes_at ? <div className="muted small">{t('invite.closes', { at: formatDateTime(inv.closes_at, lang) })}</div> : null}
                    {extra > 0 ? <div className="muted small">{t('inv2.extra', { min: extra })}</div> : null}
                    {inv.status === 'in_progress' && inv.deadline ? (
                      <div className="muted small">{t('inv2.deadline', { at: formatDateTime(inv.deadline, lang) })}</div>
                    ) : null}
                  </td>
                  <td data-label={t('mail.column')} data-testid="email-status">
                    {t(`mail.status.${inv.email_status ?? 'none'}` as MessageKey)}
                  </td>
                  <td data-label={t('invite.progress')}>
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
                  <td data-label={t('invite.link')}>
                    {link ? <CopyButton text={link} label={t('invite.copyLink')} /> : <span className="muted">{t('inv2.linkHidden')}</span>}
                  </td>
                  <td data-label={t('common.actions')} className="row-actions">
                    {inv.status !== 'revoked' ? (
                      <button type="button" className="btn btn-small" onClick={() => setLinkFor(inv)}>
                        {t('inv2.newLink')}
                      </button>
                    ) : null}
                    {canTime ? (
                      <button type="button" className="btn btn-small" onClick={() => openTime(inv)}>
                        {t('inv2.extraTime')}
                      </button>
                    ) : null}
                    {inv.status === 'pending' ? (
                      <button type="button" className="btn btn-small btn-ghost btn-danger-text" onClick={() => setRevoking(inv)}>
                        {t('invite.revoke')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
      </DataTable>

      <ConfirmDialog
        open={!!linkFor}
        title={t('inv2.newLinkTitle')}
        confirmLabel={t('inv2.newLink')}
        cancelLabel={t('common.cancel')}
        onConfirm={issue}
        onCancel={() => setLinkFor(null)}
        busy={linkBusy}
      >
        <p>{t('inv2.newLinkBody', { name: linkFor?.candidate_name ?? '' })}</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={!!timeFor}
        title={t('inv2.extraTimeTitle', { name: timeFor?.candidate_name ?? '' })}
        confirmLabel={t('inv2.saveTime')}
        cancelLabel={t('common.cancel')}
        onConfirm={saveTime}
        onCancel={() => setTimeFor(null)}
        busy={timeBusy}
      >
        <NumberField
          label={t('inv2.minutes')}
          field="extra_minutes"
          value={minutes}
          onChange={setMinutes}
          min={0}
          max={10080}
          step={1}
          hint={timeFor?.status === 'in_progress' ? t('inv2.runningHint') : t('inv2.minutesHint')}
          errors={minutesBad ? [t('inv2.minutesBad')] : timeDetails.length ? timeDetails : undefined}
        />
        <FieldErrors id="extra-time-api" errors={timeError && !timeDetails.length ? [errorText(t, timeError)] : undefined} />
      </ConfirmDialog>

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
    </>
  );
}
