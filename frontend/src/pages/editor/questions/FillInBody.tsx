import { countPlaceholders, parseLines } from '../../../lib/examModel';
import { fieldDomId } from '../../../lib/fieldpath';
import { Checkbox, FieldErrors, NumberField, TextArea } from '../../../components/ui';
import { useBody } from './common';
import type { BodyProps } from './common';

export function FillInBody({ q, at, base }: BodyProps) {
  const { t, dispatch, errs } = useBody(base);
  const blanks = q.blanks ?? [];
  const placeholders = countPlaceholders(q.prompt);
  return (
    <div className="blanks" id={fieldDomId(`${base}.blanks`)} tabIndex={-1}>
      <FieldErrors id={`${fieldDomId(`${base}.blanks`)}-err`} errors={errs('blanks')} />
      {placeholders !== blanks.length ? (
        <p className="hint warn" role="status">
          {t('editor.blankMismatch', { p: placeholders, b: blanks.length })}
        </p>
      ) : null}
      {blanks.map((b, bi) => {
        const bb = `blanks[${bi}]`;
        return (
          <fieldset key={bi} className="blank-editor" id={fieldDomId(`${base}.${bb}`)} tabIndex={-1}>
            <legend>{t('editor.blank', { n: bi + 1 })}</legend>
            <FieldErrors id={`${fieldDomId(`${base}.${bb}`)}-err`} errors={errs(bb)} />
            <div className="grid-blank">
              <TextArea
                label={t('editor.accepted')}
                field={`${base}.${bb}.accepted`}
                value={b.accepted.join('\n')}
                onChange={(v) => dispatch({ type: 'setBlank', ...at, bi, patch: { accepted: parseLines(v) } })}
                errors={errs(`${bb}.accepted`)}
                hint={t('editor.acceptedHint')}
                rows={Math.max(2, b.accepted.length)}
              />
              <div>
                <NumberField
                  label={t('editor.points')}
                  field={`${base}.${bb}.points`}
                  value={b.points}
                  onChange={(v) => dispatch({ type: 'setBlank', ...at, bi, patch: { points: v as number } })}
                  errors={errs(`${bb}.points`)}
                  min={0}
                  step={0.5}
                />
                <Checkbox
                  label={t('editor.caseSensitive')}
                  field={`${base}.${bb}.case_sensitive`}
                  checked={!!b.case_sensitive}
                  onChange={(v) => dispatch({ type: 'setBlank', ...at, bi, patch: { case_sensitive: v } })}
                />
                <button
                  type="button"
                  className="btn btn-small btn-ghost btn-danger-text"
                  onClick={() => dispatch({ type: 'removeBlank', ...at, bi })}
                  aria-label={t('editor.removeBlank', { n: bi + 1 })}
                >
                  {t('common.remove')}
                </button>
              </div>
            </div>
          </fieldset>
        );
      })}
      <button type="button" className="btn btn-small" onClick={() => dispatch({ type: 'addBlank', ...at })}>
        + {t('editor.addBlank')}
      </button>
    </div>
  );
}
