// Single and multiple choice: options with their correct marks; a single
// choice has points, a multiple choice its +/− scoring.

import { fieldDomId } from '../../../lib/fieldpath';
import { FieldErrors, NumberField } from '../../../components/ui';
import { LIMITS } from '../../../lib/limits';
import { PointsField, useBody } from './common';
import type { BodyProps } from './common';

export function ChoiceBody(p: BodyProps) {
  const { q, at, base } = p;
  const { t, dispatch, errs } = useBody(base);
  const single = q.type === 'single_choice';
  const options = q.options ?? [];
  const name = `correct-${base}`;
  const isCorrect = (k: string) => (single ? q.answer === k : (q.answers ?? []).includes(k));
  const answerField = single ? 'answer' : 'answers';
  return (
    <>
      <fieldset className="field options-field" id={fieldDomId(`${base}.options`)} tabIndex={-1}>
        <legend>{single ? t('editor.optionsSingle') : t('editor.optionsMultiple')}</legend>
        <FieldErrors id={`${fieldDomId(`${base}.options`)}-err`} errors={errs('options')} />
        <ol className="option-list">
          {options.map((o, oi) => {
            const n = oi + 1;
            const ob = `${base}.options[${oi}]`;
            const oErr = [...(errs(`options[${oi}]`) ?? []), ...(errs(`options[${oi}].key`) ?? []), ...(errs(`options[${oi}].text`) ?? [])];
            return (
              <li key={oi} className={`option-row ${oErr.length ? 'field-bad' : ''}`}>
                <div className="option-correct">
                  <input
                    type={single ? 'radio' : 'checkbox'}
                    name={name}
                    id={`${fieldDomId(ob)}-correct`}
                    checked={isCorrect(o.key)}
                    onChange={(e) => dispatch({ type: 'markCorrect', ...at, oi, on: e.target.checked })}
                  />
                  <label htmlFor={`${fieldDomId(ob)}-correct`}>{t('editor.correct')}</label>
                </div>
                <input
                  className="option-key"
                  id={fieldDomId(`${ob}.key`)}
                  aria-label={t('editor.optionKey', { n })}
                  value={o.key}
                  maxLength={8}
                  onChange={(e) => dispatch({ type: 'setOptionKey', ...at, oi, key: e.target.value })}
                  aria-invalid={oErr.length ? true : undefined}
                />
                <input
                  className="option-text"
                  id={fieldDomId(`${ob}.text`)}
                  aria-label={t('editor.optionText', { n })}
                  placeholder={t('editor.optionText', { n })}
                  value={o.text}
                  maxLength={LIMITS.optionText}
                  onChange={(e) => dispatch({ type: 'setOptionText', ...at, oi, text: e.target.value })}
                  aria-invalid={oErr.length ? true : undefined}
                  aria-describedby={oErr.length ? `${fieldDomId(ob)}-err` : undefined}
                />
                <button
                  type="button"
                  className="btn btn-small btn-ghost btn-danger-text"
                  aria-label={t('editor.removeOption', { n })}
                  onClick={() => dispatch({ type: 'removeOption', ...at, oi })}
                >
                  ×
                </button>
                <FieldErrors id={`${fieldDomId(ob)}-err`} errors={oErr} />
              </li>
            );
          })}
        </ol>
        <button type="button" className="btn btn-small" disabled={options.length >= 26} onClick={() => dispatch({ type: 'addOption', ...at })}>
          + {t('editor.addOption')}
        </button>
        <div id={fieldDomId(`${base}.${answerField}`)} tabIndex={-1}>
          <FieldErrors id={`${fieldDomId(`${base}.${answerField}`)}-err`} errors={errs(answerField)} />
        </div>
      </fieldset>
      {single ? (
        <PointsField {...p} />
      ) : (
        <fieldset className="field" id={fieldDomId(`${base}.scoring`)} tabIndex={-1}>
          <legend>{t('editor.scoring')}</legend>
          <div className="grid-3">
            {(['per_correct', 'per_wrong', 'floor'] as const).map((k) => (
              <NumberField
                key={k}
                label={t(k === 'per_correct' ? 'editor.perCorrect' : k === 'per_wrong' ? 'editor.perWrong' : 'editor.floor')}
                field={`${base}.scoring.${k}`}
                value={q.scoring?.[k]}
                onChange={(v) => dispatch({ type: 'setScoring', ...at, patch: { [k]: v as number } })}
                errors={errs(`scoring.${k}`)}
                min={0}
                step={0.5}
              />
            ))}
          </div>
          <p className="hint">{t('editor.scoringHint')}</p>
          <FieldErrors id={`${fieldDomId(`${base}.scoring`)}-err`} errors={errs('scoring')} />
        </fieldset>
      )}
    </>
  );
}
