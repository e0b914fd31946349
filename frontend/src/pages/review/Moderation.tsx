import { useEffect } from 'react';
import { useI18n, useStaff } from '../../context';
import type { ReviewItem, RubricItem } from '../../lib/types';
import { ErrorMessage, Fact, TableHead, columnsOf, formatScore, useAsync } from '../../components/ui';

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
        <Fact label={t('agreement.pairs')}>{a.pairs}</Fact>
        <Fact label={t('agreement.meanAbs')}>{num(a.mean_abs_difference, 2)}</Fact>
        <Fact label={t('agreement.icc')} testId="agreement-icc">{a.icc === null ? t('agreement.iccTooFew') : a.icc.toFixed(3)}</Fact>
        <Fact label={t('agreement.moderated')}>{a.moderated}</Fact>
      </dl>
      <table className="table">
        <TableHead columns={columnsOf([t('agreement.reviewer'), t('agreement.marks'), t('agreement.meanDiff')])} />
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
