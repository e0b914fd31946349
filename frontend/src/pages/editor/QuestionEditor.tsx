// One question's row: its tools, type, tracks and prompt, then the body of
// its type. Memoised: it re-renders only when its own question (or its
// place, the exam's tracks or the problems) changes.

import { memo, useMemo, useState } from 'react';
import { useStaff, useT } from '../../context';
import { fieldDomId } from '../../lib/fieldpath';
import { bankQuestionBody, questionMax } from '../../lib/examModel';
import { QUESTION_TYPES } from '../../lib/types';
import type { QuestionType } from '../../lib/types';
import { Checkbox, FieldErrors, SelectField, TextArea, TextField, errorText, formatScore } from '../../components/ui';
import { LIMITS } from '../../lib/limits';
import { useDispatch, useProblems } from './context';
import type { EQuestion } from './state';
import { TrueFalseBody } from './questions/TrueFalseBody';
import { ChoiceBody } from './questions/ChoiceBody';
import { FillInBody } from './questions/FillInBody';
import { EssayBody } from './questions/EssayBody';
import type { BodyProps } from './questions/common';

/** The longest explanation the server takes (API.md). */

const BODIES: Record<QuestionType, (p: BodyProps) => React.ReactNode> = {
  true_false: TrueFalseBody,
  single_choice: ChoiceBody,
  multiple_choice: ChoiceBody,
  fill_in: FillInBody,
  essay: EssayBody,
};

export interface QuestionEditorProps {
  q: EQuestion;
  si: number;
  qi: number;
  /** Questions in its section. */
  count: number;
  /** Its number across the exam (1-based). */
  number: number;
  tracks: string[];
  trackLabel: (track: string) => string;
}

export const QuestionEditor = memo(function QuestionEditor({ q, si, qi, count, number, tracks, trackLabel }: QuestionEditorProps) {
  const t = useT();
  const dispatch = useDispatch();
  const problems = useProblems();
  const at = useMemo(() => ({ si, qi }), [si, qi]);
  const base = `sections[${si}].questions[${qi}]`;
  const errs = (k: string) => problems.get(`${base}.${k}`);
  const Body = BODIES[q.type];
  const { api } = useStaff();
  const [banking, setBanking] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  // Saving to the bank stores a copy and links this question to it (bank_id).
  const saveToBank = async () => {
    setBanking({ busy: true, error: null });
    try {
      const b = await api.createBankQuestion(bankQuestionBody(q));
      dispatch({ type: 'setQuestion', ...at, patch: { bank_id: b.id } });
      setBanking({ busy: false, error: null });
    } catch (error) {
      setBanking({ busy: false, error });
    }
  };
  return (
    <fieldset className={`question-editor ${problems.under(base) ? 'has-problems' : ''}`} id={fieldDomId(base)} tabIndex={-1}>
      <legend>
        {t('editor.question', { n: number })} · {t(`qtype.${q.type}`)} · {t('editor.maxPoints', { n: formatScore(questionMax(q)) })}
      </legend>
      <div className="item-tools">
        <button
          type="button"
          className="btn btn-small btn-ghost"
          disabled={qi === 0}
          onClick={() => dispatch({ type: 'moveQuestion', ...at, to: qi - 1 })}
          aria-label={t('editor.moveQuestionUp', { n: number })}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          disabled={qi === count - 1}
          onClick={() => dispatch({ type: 'moveQuestion', ...at, to: qi + 1 })}
          aria-label={t('editor.moveQuestionDown', { n: number })}
        >
          ↓
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost btn-danger-text"
          onClick={() => dispatch({ type: 'removeQuestion', ...at })}
          aria-label={t('editor.removeQuestion', { n: number })}
        >
          {t('common.remove')}
        </button>
        {q.bank_id ? (
          <span className="badge" title={q.bank_id}>
            {t('bank.savedToBank')}
          </span>
        ) : (
          <button type="button" className="btn btn-small btn-ghost" onClick={saveToBank} disabled={banking.busy}>
            {t('bank.saveToBank')}
          </button>
        )}
      </div>
      {banking.error ? (
        <p className="error small" role="alert">
          {t('bank.saveFailed', { error: errorText(t, banking.error) })}
        </p>
      ) : null}
      <FieldErrors id={`${fieldDomId(base)}-err`} errors={problems.get(base)} />
      <div className="grid-2 q-head">
        <SelectField
          label={t('editor.questionType')}
          field={`${base}.type`}
          value={q.type}
          onChange={(qtype) => dispatch({ type: 'changeType', ...at, qtype })}
          options={QUESTION_TYPES.map((ty) => ({ value: ty, label: t(`qtype.${ty}`) }))}
          errors={errs('type')}
        />
        {tracks.length ? (
          <fieldset className="field tracks-field" id={fieldDomId(`${base}.tracks`)} tabIndex={-1}>
            <legend>{t('editor.questionTracks')}</legend>
            <div className="checks">
              {tracks.map((tr) => (
                <Checkbox
                  key={tr}
                  label={trackLabel(tr)}
                  checked={(q.tracks ?? []).includes(tr)}
                  onChange={(on) => dispatch({ type: 'setQuestionTrack', ...at, track: tr, on })}
                />
              ))}
            </div>
            <p className="hint">{t('editor.questionTracksHint')}</p>
            <FieldErrors id={`${fieldDomId(`${base}.tracks`)}-err`} errors={errs('tracks')} />
          </fieldset>
        ) : null}
      </div>
      <TextArea
        label={t('editor.prompt')}
        field={`${base}.prompt`}
        value={q.prompt}
        onChange={(prompt) => dispatch({ type: 'setQuestion', ...at, patch: { prompt } })}
        errors={errs('prompt')}
        maxLength={LIMITS.prompt}
        hint={q.type === 'fill_in' ? t('editor.fillInHint') : undefined}
        rows={q.type === 'essay' ? 3 : 2}
      />
      <Body q={q} at={at} base={base} />
      <TextField
        label={t('editor.tags')}
        field={`${base}.tags`}
        value={q.tagsText ?? (q.tags ?? []).join(', ')}
        onChange={(text) => dispatch({ type: 'setQuestionTags', ...at, text })}
        errors={problems.get(`${base}.tags`)}
        hint={t('editor.tagsHint')}
      />
      <TextArea
        label={t('editor.explanation')}
        field={`${base}.explanation`}
        value={q.explanation ?? ''}
        onChange={(explanation) => dispatch({ type: 'setQuestion', ...at, patch: { explanation } })}
        errors={errs('explanation')}
        hint={t('editor.explanationHint')}
        maxLength={LIMITS.explanation}
        rows={2}
      />
    </fieldset>
  );
});
