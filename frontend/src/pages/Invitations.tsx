import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../context';
import { groupProblems, problemSentences } from '../lib/problems';
import { trackLabel } from '../lib/examModel';
import { Link } from '../lib/router';
import { InvitationLink, InvitationTable } from '../components/InvitationTable';
import { BulkInvite } from './invitations/BulkInvite';
import { MailOptions } from './invitations/MailOptions';
import type { MailLanguage } from './invitations/MailOptions';
import type { NewInvitation } from '../lib/types';
import {
  CopyButton,
  ErrorMessage,
  FieldErrors,
  Loading,
  Notice,
  TrackSelect,
  TextField,
  useAsync,
  usePageTitle,
  PageHeader,
  ExamCrumbs,
  ExamLinks,
} from '../components/ui';
import { LIMITS } from '../lib/limits';

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
  const exam = useAsync(() => api.getExam(examId), [api, examId]);
  const list = useAsync(() => api.listInvitations(examId), [api, examId]);
  usePageTitle(`${t('invite.title')} · ${exam.data?.title ?? ''}`);

  // Links are shown once, when created: the server keeps only a hash of the token.
  const [created, setCreated] = useState<Created[]>([]);
  const links = useMemo(() => new Map(created.map((c) => [c.id, c.link])), [created]);

  const tracks = useMemo(() => exam.data?.tracks ?? [], [exam.data]);
  // The names the recruiter gave the tracks (经理, 主管), the id where none.
  const trackName = (x: string) => trackLabel(exam.data ?? {}, x);
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
  const [pickedTrack, setTrack] = useState('');
  // The exam's first track until the person picks one.
  const track = tracks.includes(pickedTrack) ? pickedTrack : (tracks[0] ?? '');
  const [opensAt, setOpensAt] = useState('');
  const [closesAt, setClosesAt] = useState('');
  const [sendEmail, setSendEmail] = useState(false);
  const [mailLang, setMailLang] = useState<MailLanguage>(lang === 'en' ? 'en' : 'zh-CN');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [justCreated, setJustCreated] = useState<Created | null>(null);

  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, ['candidate_name', 'candidate_email', 'track', 'opens_at', 'closes_at', 'language']);

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
      send_email: sendEmail || undefined,
      language: mailLang,
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

  const allLinks = created.map((c) => `${c.name}, ${c.email}, ${c.link}`).join('\n');
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const liveEmails = useMemo(() => items.filter((i) => i.status !== 'revoked').map((i) => i.candidate_email ?? ''), [items]);

  return (
    <section className="page">
      <PageHeader
        crumbs={<ExamCrumbs examId={examId} title={exam.data?.title} />}
        title={t('invite.title')}
        actionsLabel={t('editor.related')}
        actions={<ExamLinks examId={examId} pages={['edit', 'results']} />}
      />
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
          <TextField label={t('invite.name')} field="candidate_name" value={name} onChange={setName} problems={problems} maxLength={LIMITS.candidateName} required autoComplete="off" />
          <TextField label={t('invite.email')} field="candidate_email" type="email" value={email} onChange={setEmail} problems={problems} required autoComplete="off" />
          <TrackSelect label={t('invite.track')} field="track" value={track} onChange={setTrack} tracks={tracks} trackName={trackName} errors={problems.get('track')} />
          <details className="more" open={problems.has('opens_at') || problems.has('closes_at') || undefined}>
            <summary>{t('invite.window')}</summary>
            <div className="grid-2">
              <TextField label={t('invite.opensAt')} field="opens_at" type="datetime-local" value={opensAt} onChange={setOpensAt} problems={problems} />
              <TextField label={t('invite.closesAt')} field="closes_at" type="datetime-local" value={closesAt} onChange={setClosesAt} problems={problems} />
            </div>
          </details>
          <MailOptions sendEmail={sendEmail} onSendEmail={setSendEmail} language={mailLang} onLanguage={setMailLang} errors={problems.get('language')} />
          <ErrorMessage error={error} />
          <FieldErrors id="invite-one-problems" errors={otherProblems} />
          {justCreated ? (
            <div className="alert alert-success" role="status">
              <p>{t('invite.created', { name: justCreated.name })}</p>
              <InvitationLink link={justCreated.link} testId="invite-link" />
            </div>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy || !published}>
            {busy ? t('common.working') : t('invite.send')}
          </button>
        </form>

        <BulkInvite
          examId={examId}
          tracks={tracks}
          trackName={trackName}
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
        {items.length === 0 && !list.loading ? <p className="muted">{t('invite.none')}</p> : null}
        {items.length ? (
          <InvitationTable
            examId={examId}
            items={items}
            tracks={tracks}
            trackName={trackName}
            links={links}
            onLink={(inv, link) =>
              setCreated((x) => [{ id: inv.id, name: inv.candidate_name ?? '', email: inv.candidate_email ?? '', link }, ...x.filter((c) => c.id !== inv.id)])
            }
            onChanged={list.reload}
          />
        ) : null}
      </div>
    </section>
  );
}
