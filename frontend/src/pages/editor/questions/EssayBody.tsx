import { fieldDomId } from '../../../lib/fieldpath';
import { FieldErrors, NumberField, TextArea, TextField, formatScore } from '../../../components/ui';
import { LIMITS } from '../../../lib/limits';
import { PointsField, useBody } from './common';
import type { BodyProps } from './common';

export function EssayBody(p: BodyProps) {
  const { q, at, base } = p;
  const { t, dispatch, errs } = useBody(base);
  const rubric = q.rubric ?? [];
  const sum = rubric.reduce((a, r) => a + (Number.isFinite(r.points) ? r.points : 0), 0);
  return (
    <>
      <PointsField {...p} />
      <TextArea
        label={t('editor.referenceAnswer')}
        field={`${base}.reference_answer`}
        value={q.reference_answer ?? ''}
        onChange={(v) => dispatch({ type: 'setQuestion', ...at, patch: { reference_answer: v } })}
        errors={errs('reference_answer')}
        maxLength={LIMITS.referenceAnswer}
        rows={3}
      />
      <fieldset className="field" id={fieldDomId(`${base}.rubric`)} tabIndex={-1}>
        <legend>{t('editor.rubric')}</legend>
        <FieldErrors id={`${fieldDomId(`${base}.rubric`)}-err`} errors={errs('rubric')} />
        {rubric.length ? (
          <ol className="rubric-list">
            {rubric.map((r, ri) => (
              <li key={ri} className="rubric-row">
                <TextField
                  label={t('editor.criterion', { n: ri + 1 })}
                  field={`${base}.rubric[${ri}].criterion`}
                  value={r.criterion}
                  onChange={(v) => dispatch({ type: 'setCriterion', ...at, ri, patch: { criterion: v } })}
                  errors={[...(errs(`rubric[${ri}]`) ?? []), ...(errs(`rubric[${ri}].criterion`) ?? [])]}
                  maxLength={LIMITS.criterion}
                />
                <NumberField
                  label={t('editor.points')}
                  field={`${base}.rubric[${ri}].points`}
                  className="narrow-field"
                  value={r.points}
                  onChange={(v) => dispatch({ type: 'setCriterion', ...at, ri, patch: { points: v as number } })}
                  errors={errs(`rubric[${ri}].points`)}
                  min={0}
                  step={0.5}
                />
                <button
                  type="button"
                  className="btn btn-small btn-ghost btn-danger-text"
                  onClick={() => dispatch({ type: 'removeCriterion', ...at, ri })}
                  aria-label={t('editor.removeCriterion', { n: ri + 1 })}
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
        ) : null}
        <p className="hint">{t('editor.rubricSum', { sum: formatScore(sum), max: formatScore(q.points ?? 0) })}</p>
        <button type="button" className="btn btn-small" onClick={() => dispatch({ type: 'addCriterion', ...at })}>
          + {t('editor.addCriterion')}
        </button>
      </fieldset>
    </>
  );
}
