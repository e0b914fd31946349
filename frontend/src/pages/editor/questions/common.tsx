import { useT } from '../../../context';
import { NumberField } from '../../../components/ui';
import { useDispatch, useProblems } from '../context';
import type { At, EQuestion } from '../state';

/** What every question body gets: the question, where it is, its field path. */
export interface BodyProps {
  q: EQuestion;
  at: At;
  /** "sections[0].questions[1]" */
  base: string;
}

/** What a question body works with: the texts, the editor's dispatch, and the problems of a field under base ("points"). */
export function useBody(base: string) {
  const t = useT();
  const dispatch = useDispatch();
  const problems = useProblems();
  const errs = (k: string) => problems.get(`${base}.${k}`);
  return { t, dispatch, errs };
}

export function PointsField({ q, at, base }: BodyProps) {
  const { t, dispatch, errs } = useBody(base);
  return (
    <NumberField
      label={t('editor.points')}
      field={`${base}.points`}
      className="narrow-field"
      value={q.points}
      onChange={(v) => dispatch({ type: 'setQuestion', ...at, patch: { points: v } })}
      errors={errs('points')}
      min={0}
      step={0.5}
    />
  );
}
