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

export function PointsField({ q, at, base }: BodyProps) {
  const t = useT();
  const dispatch = useDispatch();
  const problems = useProblems();
  return (
    <NumberField
      label={t('editor.points')}
      field={`${base}.points`}
      className="narrow-field"
      value={q.points}
      onChange={(v) => dispatch({ type: 'setQuestion', ...at, patch: { points: v } })}
      errors={problems.get(`${base}.points`)}
      min={0}
      step={0.5}
    />
  );
}
