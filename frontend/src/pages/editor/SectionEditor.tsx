// One section: its title and instructions, its questions (each a memoised
// row) and the control to add one. Memoised like the rows.

import { memo, useState } from 'react';
import { useT } from '../../context';
import { fieldDomId } from '../../lib/fieldpath';
import { QUESTION_TYPES } from '../../lib/types';
import type { QuestionType } from '../../lib/types';
import { FieldErrors, SelectField, TextArea, TextField } from '../../components/ui';
import { LIMITS } from '../../lib/limits';
import { useDispatch, useProblems } from './context';
import type { ESection } from './state';
import { QuestionEditor } from './QuestionEditor';
import { BankPicker, DrawEditor } from './BankTools';

export interface SectionEditorProps {
  section: ESection;
  si: number;
  count: number;
  /** Questions before this section (for their numbers). */
  numberBase: number;
  tracks: string[];
  trackLabel: (track: string) => string;
  collapsed: boolean;
}

export const SectionEditor = memo(function SectionEditor({ section, si, count, numberBase, tracks, trackLabel, collapsed }: SectionEditorProps) {
  const t = useT();
  const dispatch = useDispatch();
  const problems = useProblems();
  const [addType, setAddType] = useState<QuestionType>('single_choice');
  const [picking, setPicking] = useState(false);
  const base = `sections[${si}]`;
  const n = si + 1;
  // A section with problems stays open, so each problem can be seen beside its field.
  const folded = collapsed && !problems.under(base);
  const bodyId = `${fieldDomId(base)}-body`;
  return (
    <fieldset className={`card section-editor ${folded ? 'collapsed' : ''}`} id={fieldDomId(base)} tabIndex={-1}>
      <legend>
        {t('editor.section', { n })}
        {section.title ? ` · ${section.title}` : ''}
      </legend>
      <div className="item-tools">
        <button
          type="button"
          className="btn btn-small btn-ghost"
          aria-expanded={!folded}
          aria-controls={bodyId}
          onClick={() => dispatch({ type: 'collapseSection', key: section.key, on: !folded })}
        >
          {folded ? t('editor.expandSection', { n }) : t('editor.collapseSection', { n })}
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          disabled={si === 0}
          onClick={() => dispatch({ type: 'moveSection', si, to: si - 1 })}
          aria-label={t('editor.moveSectionUp', { n })}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          disabled={si === count - 1}
          onClick={() => dispatch({ type: 'moveSection', si, to: si + 1 })}
          aria-label={t('editor.moveSectionDown', { n })}
        >
          ↓
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost btn-danger-text"
          onClick={() => {
            if (section.questions.length === 0 || window.confirm(t('editor.confirmRemoveSection', { n }))) {
              dispatch({ type: 'removeSection', si });
            }
          }}
          aria-label={t('editor.removeSection', { n })}
        >
          {t('common.remove')}
        </button>
      </div>
      <FieldErrors id={`${fieldDomId(base)}-err`} errors={problems.get(base)} />
      {folded ? (
        <p className="muted small" id={bodyId}>
          {t('editor.sectionFolded', { count: section.questions.length })}
        </p>
      ) : (
        <>
          <div className="grid-2" id={bodyId}>
            <TextField
              label={t('editor.sectionTitle')}
              field={`${base}.title`}
              value={section.title}
              onChange={(title) => dispatch({ type: 'setSection', si, patch: { title } })}
              errors={problems.get(`${base}.title`)}
              maxLength={LIMITS.sectionTitle}
            />
            <TextArea
              label={t('editor.instructions')}
              field={`${base}.instructions`}
              value={section.instructions ?? ''}
              onChange={(instructions) => dispatch({ type: 'setSection', si, patch: { instructions } })}
              errors={problems.get(`${base}.instructions`)}
              maxLength={LIMITS.instructions}
              rows={1}
            />
          </div>
          <FieldErrors id={`${fieldDomId(base + '.questions')}-err`} errors={problems.get(`${base}.questions`)} />
          {section.questions.map((q, qi) => (
            <QuestionEditor
              key={q.key}
              q={q}
              si={si}
              qi={qi}
              count={section.questions.length}
              number={numberBase + qi + 1}
              tracks={tracks}
              trackLabel={trackLabel}
            />
          ))}
          <div className="add-row">
            <SelectField
              label={t('editor.questionType')}
              className="inline-field"
              value={addType}
              onChange={setAddType}
              options={QUESTION_TYPES.map((ty) => ({ value: ty, label: t(`qtype.${ty}`) }))}
            />
            <button type="button" className="btn" onClick={() => dispatch({ type: 'addQuestion', si, qtype: addType })}>
              + {t('editor.addQuestion')}
            </button>
            <button type="button" className="btn" onClick={() => setPicking(true)}>
              + {t('bank.pick')}
            </button>
          </div>
          {picking ? <BankPicker si={si} onClose={() => setPicking(false)} /> : null}
          <DrawEditor section={section} si={si} />
        </>
      )}
    </fieldset>
  );
});
