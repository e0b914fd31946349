// What the publish confirmation shows: the exam at a glance (questions by
// type and by track, each track's maximum, the pass mark) and what the
// editor can tell is wrong before the server is asked. A problem blocks
// publishing; a warning must be accepted first.

import { examMax, questionMax } from './examModel';
import { QUESTION_TYPES } from './types';
import type { ExamDocument, QuestionType } from './types';

export interface TrackRow {
  /** "" for an exam without tracks (every candidate). */
  track: string;
  questions: number;
  max: number;
}

export type PublishIssue =
  /** Nobody could pass: the pass mark is above every track's maximum. */
  | { kind: 'pass_above_all'; field: 'pass_score'; pass: number; max: number }
  /** Candidates of these tracks cannot pass. */
  | { kind: 'pass_above_some'; field: 'pass_score'; pass: number; tracks: { track: string; max: number }[] }
  /** An essay whose rubric does not cover its points. */
  | { kind: 'rubric_short'; field: string; question: number; sum: number; points: number };

export interface PublishSummary {
  questions: number;
  byType: Record<QuestionType, number>;
  tracks: TrackRow[];
  passScore: number;
  problems: PublishIssue[];
  warnings: PublishIssue[];
}

const finite = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function publishSummary(d: ExamDocument): PublishSummary {
  const byType = Object.fromEntries(QUESTION_TYPES.map((t) => [t, 0])) as Record<QuestionType, number>;
  const maxes = examMax(d);
  const rows: TrackRow[] = Object.keys(maxes).map((track) => ({ track, questions: 0, max: maxes[track] }));
  const warnings: PublishIssue[] = [];
  const problems: PublishIssue[] = [];
  let n = 0;
  d.sections.forEach((s, si) =>
    s.questions.forEach((q, qi) => {
      n += 1;
      byType[q.type] += 1;
      for (const r of rows) if (!r.track || !q.tracks?.length || q.tracks.includes(r.track)) r.questions += 1;
      if (q.type === 'essay' && q.rubric?.length) {
        const sum = q.rubric.reduce((a, x) => a + finite(x.points), 0);
        const points = questionMax(q);
        if (sum < points) warnings.push({ kind: 'rubric_short', field: `sections[${si}].questions[${qi}].rubric`, question: n, sum, points });
      }
    }),
  );
  const pass = finite(d.pass_score);
  const over = rows.filter((r) => pass > r.max);
  if (rows.length && over.length === rows.length) {
    problems.push({ kind: 'pass_above_all', field: 'pass_score', pass, max: Math.max(...rows.map((r) => r.max)) });
  } else if (over.length) {
    warnings.unshift({ kind: 'pass_above_some', field: 'pass_score', pass, tracks: over.map((r) => ({ track: r.track, max: r.max })) });
  }
  return { questions: n, byType, tracks: rows, passScore: pass, problems, warnings };
}
