// The exam's own settings. Memoised on those settings alone, so editing a
// question does not re-render it.

import { memo } from 'react';
import { useStaff, useT } from '../../context';
import { Checkbox, NumberField, SelectField, TextArea, TextField, useAsync } from '../../components/ui';
import { LIMITS } from '../../lib/limits';
import { useDispatch, useProblems } from './context';
import type { EDoc } from './state';

export interface SettingsProps {
  doc: EDoc;
  tracksText: string;
}

const FIELDS = [
  'title',
  'description',
  'time_limit_seconds',
  'grace_seconds',
  'pass_score',
  'tracks',
  'track_labels',
  'shuffle_questions',
  'shuffle_options',
  'show_score_to_candidate',
  'show_explanations',
  'review',
  'position_id',
] as const;

/** The exam's on/off settings, each a checkbox, with its label. */
const SWITCHES = [
  ['shuffle_questions', 'editor.shuffleQuestions'],
  ['shuffle_options', 'editor.shuffleOptions'],
  ['show_score_to_candidate', 'editor.showScore'],
  ['show_explanations', 'editor.showExplanations'],
] as const;

const same = (a: SettingsProps, b: SettingsProps) => a.tracksText === b.tracksText && FIELDS.every((k) => a.doc[k] === b.doc[k]);

export const SettingsCard = memo(function SettingsCard({ doc, tracksText }: SettingsProps) {
  const t = useT();
  const dispatch = useDispatch();
  const problems = useProblems();
  const errs = problems.get;
  const { api } = useStaff();
  const positions = useAsync(() => api.listPositions(), [api]);
  // A setting edited as the document holds it: its field, value, change and problems.
  const setting = <K extends keyof EDoc>(field: K) => ({
    field,
    value: doc[field],
    onChange: (v: EDoc[K]) => dispatch({ type: 'setExam', patch: { [field]: v } }),
    errors: errs(field),
  });
  return (
    <fieldset className="card">
      <legend>{t('editor.settings')}</legend>
      <TextField label={t('editor.examTitle')} {...setting('title')} maxLength={LIMITS.examTitle} required />
      <TextArea
        label={t('editor.description')}
        field="description"
        value={doc.description ?? ''}
        onChange={(description) => dispatch({ type: 'setExam', patch: { description } })}
        errors={errs('description')}
        maxLength={LIMITS.examDescription}
        rows={2}
      />
      <div className="grid-4">
        <NumberField
          label={t('editor.timeLimit')}
          field="time_limit"
          value={doc.time_limit_seconds === undefined ? undefined : Math.round((doc.time_limit_seconds / 60) * 10000) / 10000}
          onChange={(v) =>
            dispatch({ type: 'setExam', patch: { time_limit_seconds: v === undefined ? (undefined as unknown as number) : Math.round(v * 60) } })
          }
          errors={errs('time_limit')}
          min={0}
          step="any"
          required
        />
        <NumberField label={t('editor.grace')} {...setting('grace_seconds')} min={0} step={1} />
        <NumberField label={t('editor.passScore')} {...setting('pass_score')} min={0} step={0.5} />
        <TextField
          label={t('editor.tracks')}
          field="tracks"
          value={tracksText}
          onChange={(text) => dispatch({ type: 'setTracks', text })}
          errors={errs('tracks')}
          hint={t('editor.tracksHint')}
        />
      </div>
      {(doc.tracks ?? []).length ? (
        <div className="grid-4 track-labels">
          {(doc.tracks ?? []).map((tr) => (
            <TextField
              key={tr}
              label={t('editor.trackLabel', { track: tr })}
              field={`track_labels.${tr}`}
              value={doc.track_labels?.[tr] ?? ''}
              onChange={(label) => dispatch({ type: 'setTrackLabel', track: tr, label })}
              errors={errs(`track_labels.${tr}`)}
              maxLength={LIMITS.trackLabel}
            />
          ))}
        </div>
      ) : null}
      <div className="checks">
        {SWITCHES.map(([field, label]) => (
          <Checkbox key={field} label={t(label)} field={field} checked={!!doc[field]} onChange={(v) => dispatch({ type: 'setExam', patch: { [field]: v } })} />
        ))}
      </div>
      <SelectField<string>
        label={t('editor.position')}
        field="position_id"
        value={doc.position_id ?? ''}
        onChange={(v) => dispatch({ type: 'setExam', patch: { position_id: v || undefined } })}
        options={[
          { value: '', label: t('editor.noPosition') },
          ...(positions.data?.items ?? []).map((p) => ({ value: p.id, label: p.title })),
          // A position deleted since (or not loaded yet) still shows as set.
          ...(doc.position_id && !positions.data?.items.some((p) => p.id === doc.position_id) ? [{ value: doc.position_id, label: doc.position_id }] : []),
        ]}
        errors={errs('position_id')}
      />
      <div className="grid-4">
        <SelectField
          label={t('editor.markers')}
          field="review.markers"
          value={doc.review?.markers === 2 ? '2' : '1'}
          onChange={(v) =>
            dispatch({
              type: 'setExam',
              patch: { review: v === '2' ? { markers: 2, tolerance: doc.review?.tolerance ?? 1 } : undefined },
            })
          }
          options={[
            { value: '1', label: t('editor.markersOne') },
            { value: '2', label: t('editor.markersTwo') },
          ]}
          errors={errs('review.markers')}
        />
        {doc.review?.markers === 2 ? (
          <NumberField
            label={t('editor.tolerance')}
            field="review.tolerance"
            value={doc.review.tolerance}
            onChange={(v) => dispatch({ type: 'setExam', patch: { review: { markers: 2, tolerance: v as number } } })}
            min={0}
            step={0.5}
            hint={t('editor.toleranceHint')}
            errors={errs('review.tolerance')}
          />
        ) : null}
      </div>
    </fieldset>
  );
}, same);
