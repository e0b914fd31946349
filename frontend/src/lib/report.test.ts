import { describe, expect, it } from 'vitest';
import { attemptSections, cohortShare, percent, tagRows } from './report';
import type { AttemptQuestion, QuestionStatistics } from './types';

const q = (id: string, section: string, awarded: number | null, max: number, tags: string[] = []): AttemptQuestion =>
  ({ question_id: id, section_id: section, type: 'essay', prompt: id, tags, response: null, points_awarded: awarded, max_points: max, graded_by: null, comment: null, key: null }) as AttemptQuestion;

const st = (id: string, mean: number | null, max: number): QuestionStatistics => ({
  question_id: id,
  type: 'essay',
  attempts: 10,
  mean_points: mean,
  max_points: max,
  facility: mean === null ? null : mean / max,
  discrimination: null,
  flags: [],
});

describe('candidate report sums', () => {
  const qs = [q('a', 's1', 1, 2, ['投诉处理']), q('b', 's1', 3, 4, ['投诉处理', '团队']), q('c', 's2', null, 10, ['团队'])];
  const stats = new Map([st('a', 1.5, 2), st('b', 1, 4), st('c', 6, 10)].map((x) => [x.question_id, x]));

  it('groups by section and leaves a sum open while a question awaits review', () => {
    const s = attemptSections(qs);
    expect(s.map((x) => [x.id, x.awarded, x.max])).toEqual([
      ['s1', 4, 6],
      ['s2', null, 10],
    ]);
  });

  it('compares tags with the cohort on the same scored questions', () => {
    // 投诉处理: 4/6 against (1.5 + 1)/6; 团队: only b is scored, 3/4 against 1/4.
    expect(tagRows(qs, stats)).toEqual([
      { tag: '投诉处理', awarded: 4, max: 6, share: 4 / 6, cohort: 2.5 / 6 },
      { tag: '团队', awarded: 3, max: 4, share: 0.75, cohort: 0.25 },
    ]);
  });

  it('skips questions the cohort never had and says so when none is left', () => {
    const partial = new Map([st('a', null, 2), st('b', 2, 4)].map((x) => [x.question_id, x]));
    expect(cohortShare(['a', 'b'], partial)).toBe(0.5);
    expect(cohortShare(['a', 'zzz'], partial)).toBeNull();
    expect(percent(null)).toBe('—');
    expect(percent(2 / 3)).toBe('67%');
  });
});
