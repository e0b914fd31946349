import { useEffect } from 'react';
import { useI18n, useStaff } from '../../context';
import type { ReviewItem, RubricItem } from '../../lib/types';
import { ErrorMessage, formatScore, useAsync } from '../../components/ui';

/** Both marks of an essay awaiting moderation, beside the moderator's form. */
export function ModerationMarks({ item }: { item: ReviewItem }) {
  const { t } = useI18n();
  const m = item.moderation;
  if (!m) return null;
  const rubric: RubricItem[] = item.question.rubric ?? [];
  return (
    <section className="card moderation" aria-labelledby="moderation-h" data-testid="moderation-marks">
      <h3 id="moderation-h">{t('moderation.marksTitle', { tolerance: formatScore(m.tolerance) })}</h3>
      <div className="grid-2">
        {m.marks.map((mk, i) => (
          <div key={i} className="moderation-mark" data-testid={`moderation-mark-${i + 1}`}>
            <h4>
              {t('moderation.mark', { n: i + 1 })}: {t('reviews.yourScore', { points: formatScore(mk.points), max: formatScore(item.question.points) })}
            </h4>
            {mk.criteria.length ? (
              <ul className="small">
                {mk.criteria.map((c) => (
                  <li key={c.index}>
                    {rubric[c.index]?.criterion ?? `#${c.index + 1}`}: {formatScore(c.points)}
                  </li>
                ))}
              </ul>
            ) : null}
            <p className="essay-text">{mk.comment || t('moderation.noComment')}</p>
          </div>
        ))}
      </div>
    </section>
  );
}

/** How the exam's two markers agree (GET /reviews/agreement). */
export function AgreementPanel({ examId, refresh }: { examId: string; refresh: number }) {
  const { t } = useI18n();
  const { api } = useStaff();
  const ag = useAsync(() => api.agreement(examId), [api, examId]);
  const { reload } = ag;
  // Reload after each score the page records.
  useEffect(() => {
    if (refresh) reload();
  }, [refresh, reload]);
  if (ag.error) return <ErrorMessage error={ag.error} />;
  const a = ag.data;
  if (!a || a.pairs === 0) return null;
  const num = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '—' : v.toFixed(digits));
  const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(2)}`);
  return (
    <section className="card" aria-labelledby="agreement-h" data-testid="agreement">
      <h2 id="agreement-h">{t('agreement.title')}</h2>
      <dl className="stats">
        <div>
          <dt>{t('agreement.pairs')}</dt>
          <dd>{a.pairs}</dd>
        </div>
        <div>
          <dt>{t('agreement.meanAbs')}</dt>
          <dd>{num(a.mean_abs_difference, 2)}</dd>
        </div>
        <div>
          <dt>{t('agreement.icc')}</dt>
          <dd data-testid="agreement-icc">{a.icc === null ? t('agreement.iccTooFew') : a.icc.toFixed(3)}</dd>
        </div>
        <div>
          <dt>{t('agreement.moderated')}</dt>
          <dd>{a.moderated}</dd>
        </div>
      </dl>
      <table className="table">
        <thead>
          <tr>
            <th>{t('agreement.reviewer')}</th>
            <th>{t('agreement.marks')}</th>
            <th>{t('agreement.meanDiff')}</th>
          </tr>
        </thead>
        <tbody>
          {a.reviewers.map((r) => (
            <tr key={r.user_id}>
              <td>{r.name}</td>
              <td>{r.marks}</td>
              <td>{signed(r.mean_difference)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('agreement.hint')}</p>
    </section>
  );
}
