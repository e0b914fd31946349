import { fieldDomId } from '../../../lib/fieldpath';
import { FieldErrors } from '../../../components/ui';
import { PointsField, useBody } from './common';
import type { BodyProps } from './common';

export function TrueFalseBody(p: BodyProps) {
  const { q, at, base } = p;
  const { t, dispatch, errs } = useBody(base);
  const name = `tf-${base}`;
  return (
    <div className="grid-2">
      <fieldset className="field" id={fieldDomId(`${base}.answer`)} tabIndex={-1}>
        <legend>{t('editor.correctAnswer')}</legend>
        <div className="checks">
          {[true, false].map((v) => (
            <div className="check" key={String(v)}>
              <input
                type="radio"
                id={`${name}-${v}`}
                name={name}
                checked={q.answer === v}
                onChange={() => dispatch({ type: 'setQuestion', ...at, patch: { answer: v } })}
              />
              <label htmlFor={`${name}-${v}`}>{v ? t('common.true') : t('common.false')}</label>
            </div>
          ))}
        </div>
        <FieldErrors id={`${fieldDomId(`${base}.answer`)}-err`} errors={errs('answer')} />
      </fieldset>
      <PointsField {...p} />
    </div>
  );
}
