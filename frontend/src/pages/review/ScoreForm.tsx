import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../../context';
import { groupProblems, problemSentences } from '../../lib/problems';
import type { CriterionPoints, ReviewMark, RubricItem } from '../../lib/types';
import { ErrorMessage, FieldErrors, NumberField, TextArea, formatScore } from '../../components/ui';

/**
 * Points, per rubric criterion or as a total, and a comment. Ticking a
 * criterion gives its full points, or a part of them can be typed; while
 * any criterion has points the score is their sum (the server wants the
 * criteria to add up to it); typing another total drops the criteria.
 */
export function ScoreForm({
  idPrefix,
  rubric,
  maxPoints,
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  children,
}: {
  /** keeps the ids of two forms on one page apart */
  idPrefix: string;
  rubric: RubricItem[];
  maxPoints: number;
  initial?: { points: number; criteria: CriterionPoints[]; comment: string };
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (m: ReviewMark) => void;
  children?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const [crit, setCrit] = useState<(number | undefined)[]>(() =>
    rubric.map((_, i) => initial?.criteria.find((c) => c.index === i)?.points),
  );
  const [total, setTotal] = useState<number | undefined>(initial?.points);
  const [comment, setComment] = useState(initial?.comment ?? '');
  const usingCriteria = crit.some((v) => v !== undefined);
  const sum = crit.reduce<number>((a, v) => a + (v ?? 0), 0);
  const points = usingCriteria ? sum : total;
  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, [
    'points',
    'comment',
    ...(rubric.length ? ['criteria', ...rubric.flatMap((_, i) => [`criteria[${i}].points`, `criteria[${i}].index`])] : []),
  ]);
  const setOne = (i: number, v: number | undefined) => setCrit((c) => c.map((x, j) => (j === i ? v : x)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      points: points ?? NaN,
      criteria: usingCriteria ? crit.flatMap((v, i) => (v === undefined ? [] : [{ index: i, points: v }])) : undefined,
      comment: comment.trim(),
    });
  };

  return (
    <form className="card score-form" onSubmit={submit} noValidate>
      {rubric.length ? (
        <fieldset className="criteria">
          <legend>{t('reviews.criteriaTitle')}</legend>
          <p className="hint">{t('reviews.criteriaHint')}</p>
          <ul className="rubric-check">
            {rubric.map((r, i) => {
              const v = crit[i];
              const errs = [...(problems.get(`criteria[${i}].points`) ?? []), ...(problems.get(`criteria[${i}].index`) ?? [])];
              return (
                <li key={i} className="criterion-row">
                  <input
                    type="checkbox"
                    id={`${idPrefix}rub-${i}`}
                    checked={v === r.points}
                    onChange={(e) => setOne(i, e.target.checked ? r.points : undefined)}
                  />
                  <label htmlFor={`${idPrefix}rub-${i}`}>
                    {r.criterion} <span className="muted">({formatScore(r.points)})</span>
                  </label>
                  <NumberField
                    label={t('reviews.criterionPoints', { n: i + 1, max: formatScore(r.points) })}
                    field={`${idPrefix}criteria[${i}].points`}
                    className="criterion-points"
                    value={v}
                    onChange={(x) => setOne(i, x)}
                    min={0}
                    max={r.points}
                    step={0.5}
                    errors={errs.length ? errs : undefined}
                  />
                </li>
              );
            })}
          </ul>
          {problems.get('criteria')?.length ? (
            <p className="error-text" role="alert">
              {problems.get('criteria')!.join(' ')}
            </p>
          ) : null}
          {usingCriteria ? (
            <p className="small" aria-live="polite" data-testid={`${idPrefix}criteria-sum`}>
              {t('reviews.criteriaSum', { sum: formatScore(sum), max: formatScore(maxPoints) })}{' '}
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setCrit(rubric.map(() => undefined))}>
                {t('reviews.clearCriteria')}
              </button>
            </p>
          ) : null}
        </fieldset>
      ) : null}
      <NumberField
        label={t('review.points', { max: formatScore(maxPoints) })}
        field={`${idPrefix}points`}
        value={points}
        onChange={(v) => {
          // Typing a total other than the criteria's sum drops the criteria.
          if (usingCriteria && v === sum) return;
          if (usingCriteria) setCrit(rubric.map(() => undefined));
          setTotal(v);
        }}
        min={0}
        max={maxPoints}
        step={0.5}
        errors={problems.get('points')}
        required
      />
      <TextArea label={t('review.comment')} field={`${idPrefix}comment`} value={comment} onChange={setComment} rows={3} errors={problems.get('comment')} />
      {error ? <ErrorMessage error={error} /> : null}
      <FieldErrors id={`${idPrefix}score-problems`} errors={otherProblems} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy || points === undefined}>
          {busy ? t('common.saving') : submitLabel}
        </button>
        {children}
      </div>
    </form>
  );
}
