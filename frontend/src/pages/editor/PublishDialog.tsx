// The confirmation before publishing: the exam at a glance, what blocks
// publishing (the server's refusal or a pass mark nobody can reach) and the
// warnings the recruiter must accept first.

import { useState } from 'react';
import { useT } from '../../context';
import type { T } from '../../context';
import type { FieldProblem } from '../../lib/http';
import { publishSummary } from '../../lib/publishCheck';
import type { PublishIssue } from '../../lib/publishCheck';
import { QUESTION_TYPES } from '../../lib/types';
import type { ExamDocument } from '../../lib/types';
import { Checkbox, ConfirmDialog, ErrorMessage, formatScore } from '../../components/ui';

export interface PublishDialogProps {
  open: boolean;
  draft: ExamDocument;
  /** The server's 422 details (from saving first, or from publishing). */
  serverProblems: FieldProblem[];
  /** Any other failure of the last attempt. */
  error?: unknown;
  nextVersion: number;
  busy: boolean;
  trackLabel: (track: string) => string;
  describeProblem: (p: FieldProblem) => string;
  onConfirm: () => void;
  onCancel: () => void;
}

function issueText(t: T, i: PublishIssue, trackLabel: (track: string) => string): string {
  switch (i.kind) {
    case 'pass_above_all':
      return t('publish.passAboveAll', { pass: formatScore(i.pass), max: formatScore(i.max) });
    case 'pass_above_some':
      return t('publish.passAboveSome', {
        pass: formatScore(i.pass),
        tracks: i.tracks.map((x) => `${trackLabel(x.track)} (${formatScore(x.max)})`).join(', '),
      });
    case 'rubric_short':
      return t('publish.rubricShort', { n: i.question, sum: formatScore(i.sum), points: formatScore(i.points) });
  }
}

export function PublishDialog(p: PublishDialogProps) {
  const t = useT();
  // A fresh acceptance each time the dialog opens: the parent mounts it anew.
  const [accepted, setAccepted] = useState(false);
  const s = publishSummary(p.draft);
  const problems = [...p.serverProblems.map(p.describeProblem), ...s.problems.map((i) => issueText(t, i, p.trackLabel))];
  const warnings = s.warnings.map((i) => issueText(t, i, p.trackLabel));
  const blocked = problems.length > 0 || (warnings.length > 0 && !accepted);
  return (
    <ConfirmDialog
      open={p.open}
      title={t('publish.title')}
      confirmLabel={t('publish.confirm', { n: p.nextVersion })}
      cancelLabel={t('common.cancel')}
      onConfirm={p.onConfirm}
      onCancel={p.onCancel}
      busy={p.busy}
      confirmDisabled={blocked}
    >
      <div className="publish-summary" data-testid="publish-summary">
        <p className="muted small">{t('publish.intro')}</p>
        <table className="compact">
          <caption>{t('publish.byType')}</caption>
          <tbody>
            {QUESTION_TYPES.filter((ty) => s.byType[ty] > 0).map((ty) => (
              <tr key={ty} data-type={ty}>
                <th scope="row">{t(`qtype.${ty}`)}</th>
                <td className="num">{s.byType[ty]}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('publish.total')}</th>
              <td className="num" data-testid="publish-total">
                {s.questions}
              </td>
            </tr>
          </tbody>
        </table>
        <table className="compact">
          <caption>{t('publish.byTrack')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('publish.track')}</th>
              <th scope="col" className="num">
                {t('publish.questions')}
              </th>
              <th scope="col" className="num">
                {t('publish.max')}
              </th>
            </tr>
          </thead>
          <tbody>
            {s.tracks.map((r) => (
              <tr key={r.track} data-track={r.track}>
                <th scope="row">{r.track ? p.trackLabel(r.track) : t('publish.everyone')}</th>
                <td className="num">{r.questions}</td>
                <td className="num">{formatScore(r.max)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          {t('publish.passScore')}: <strong data-testid="publish-pass">{formatScore(s.passScore)}</strong>
        </p>
        {problems.length ? (
          <div className="alert alert-error" role="alert">
            <h3>{t('publish.problems')}</h3>
            <ul data-testid="publish-problems">
              {problems.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {warnings.length ? (
          <div className="alert alert-warn">
            <h3>{t('publish.warnings')}</h3>
            <ul data-testid="publish-warnings">
              {warnings.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
            </ul>
            {problems.length ? null : <Checkbox label={t('publish.accept')} checked={accepted} onChange={setAccepted} />}
          </div>
        ) : null}
        {!problems.length && !warnings.length ? <p className="muted">{t('publish.noIssues')}</p> : null}
        <ErrorMessage error={p.error} />
      </div>
    </ConfirmDialog>
  );
}
