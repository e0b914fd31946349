import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../../context';
import { ApiError } from '../../lib/http';
import { problemSentences } from '../../lib/problems';
import { parseInvites, remainingText } from '../../lib/invites';
import type { InviteLine } from '../../lib/invites';
import type { MessageKey } from '../../lib/i18n';
import { CopyButton, TextArea, errorText } from '../../components/ui';
import { MailOptions } from './MailOptions';
import type { MailLanguage } from './MailOptions';

export interface InvitedCandidate {
  id: string;
  name: string;
  email: string;
  link: string;
}

/**
 * The pasted list: every line is checked as it is typed and the bad ones
 * are named with their line number; the button counts only the good ones;
 * after sending, invited lines leave the box and failed ones stay, with
 * the server's reason beside them until the line is changed.
 */
export function BulkInvite({
  examId,
  tracks,
  trackName = (x) => x,
  published,
  invited: existing,
  onInvited,
  onDone,
}: {
  examId: string;
  tracks: string[];
  /** a track's name for people (the id is what a line names) */
  trackName?: (track: string) => string;
  published: boolean;
  /** emails of the exam's live invitations: inviting them again is flagged */
  invited: string[];
  onInvited: (c: InvitedCandidate) => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { api } = useStaff();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [invited, setInvited] = useState<InvitedCandidate[]>([]);
  const [outcome, setOutcome] = useState<string | null>(null);
  // The server's refusals, by the line's text: editing a line drops its reason.
  const [refused, setRefused] = useState<Map<string, string>>(new Map());
  // E-mail, as on the one-invitation form: every line of the list gets it.
  const [sendEmail, setSendEmail] = useState(false);
  const [mailLang, setMailLang] = useState<MailLanguage>(lang === 'en' ? 'en' : 'zh-CN');
  const parsed = useMemo(
    () => parseInvites(text, tracks, [...existing, ...invited.map((c) => c.email)]),
    [text, tracks, existing, invited],
  );
  const good = parsed.lines.filter((l) => !l.problem && !refused.has(l.raw));
  const bad = parsed.lines.filter((l) => l.problem || refused.has(l.raw));

  const problemText = (l: InviteLine): string => {
    if (l.problem) return t(l.problem.key as MessageKey, l.problem.params);
    return t('invites.serverFailed', { reason: refused.get(l.raw) ?? '' });
  };

  const reason = (err: unknown): string => {
    // In the words of the page's language, not the server's English.
    if (err instanceof ApiError && err.details.length) return problemSentences(lang, err).join(lang === 'zh-CN' ? '；' : '; ');
    return errorText(t, err);
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!good.length) return;
    setBusy(true);
    setOutcome(null);
    const done = new Set<number>();
    const failures = new Map<string, string>();
    const now: InvitedCandidate[] = [];
    let failed = 0;
    for (const line of good) {
      try {
        const inv = await api.invite(examId, {
          candidate_name: line.candidate_name,
          candidate_email: line.candidate_email,
          track: tracks.length ? line.track : undefined,
          send_email: sendEmail || undefined,
          language: mailLang,
        });
        const c = { id: inv.id, name: line.candidate_name, email: line.candidate_email, link: inv.link ?? '' };
        now.push(c);
        onInvited(c);
        done.add(line.line);
      } catch (err) {
        failed++;
        // A refusal stays with its line; a lost connection leaves the line
        // ready to send again.
        if (!(err instanceof ApiError && err.isNetwork)) failures.set(line.raw, reason(err));
      }
    }
    setInvited((x) => [...now, ...x]);
    setRefused((old) => new Map([...old, ...failures]));
    setText(remainingText(text, parsed, done));
    setOutcome(failed ? t('invites.sentSome', { ok: now.length, failed }) : t('invites.sentAll', { n: now.length }));
    setBusy(false);
    onDone();
  };

  return (
    <form className="card" onSubmit={send} noValidate aria-labelledby="invite-many-h" data-testid="bulk-invite">
      <h2 id="invite-many-h">{t('invite.many')}</h2>
      <TextArea
        label={t('invite.paste')}
        field="bulk"
        value={text}
        onChange={setText}
        rows={6}
        hint={tracks.length ? t('invite.pasteHintTracks', { tracks: tracks.map((x) => (trackName(x) === x ? x : `${x} (${trackName(x)})`)).join(', ') }) : t('invite.pasteHint')}
        placeholder={tracks.length ? `张三, zhang@example.com, ${tracks[0]}` : '张三, zhang@example.com'}
      />
      <p className="muted small" aria-live="polite" data-testid="bulk-summary">
        {t('invites.summary', { good: good.length, bad: bad.length })}
        {parsed.header ? (
          <>
            <br />
            {t('invites.header', { n: parsed.header })}
          </>
        ) : null}
      </p>
      <MailOptions idPrefix="bulk-" sendEmail={sendEmail} onSendEmail={setSendEmail} language={mailLang} onLanguage={setMailLang} />
      {bad.length ? (
        <div className="bulk-problems" role="group" aria-labelledby="bulk-problems-h">
          <p id="bulk-problems-h" className="small">
            <strong>{t('invites.problemsTitle')}</strong>
          </p>
          <ul className="bulk-results" data-testid="bulk-problems">
            {bad.map((l) => (
              <li key={l.line} className="bad">
                <span className="error-text">{t('invites.lineProblem', { n: l.line, problem: problemText(l) })}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {outcome ? (
        <p className="small" role="status" data-testid="bulk-outcome">
          {outcome}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy || !published || good.length === 0}>
        {busy ? t('common.working') : t('invites.sendGood', { n: good.length })}
      </button>
      {invited.length ? (
        <>
          <h3 className="small">{t('invites.invitedTitle')}</h3>
          <ul className="bulk-results" aria-label={t('invite.bulkResults')} data-testid="bulk-invited">
            {invited.map((c) => (
              <li key={c.id} className="ok">
                <span>
                  {c.name} &lt;{c.email}&gt;
                </span>{' '}
                {c.link ? <CopyButton text={c.link} label={t('invite.copyLink')} /> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </form>
  );
}
