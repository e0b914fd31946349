import { describe, expect, it } from 'vitest';
import { flaggedFirst } from './ResultsStats';
import type { QuestionStatistics } from '../lib/types';

const q = (id: string, flags: QuestionStatistics['flags']): QuestionStatistics => ({
  question_id: id,
  type: 'true_false',
  attempts: 6,
  mean_points: 1,
  max_points: 1,
  facility: 1,
  discrimination: null,
  flags,
});

describe('flaggedFirst', () => {
  it('puts flagged questions first and keeps the order otherwise', () => {
    const out = flaggedFirst([q('a', []), q('b', ['too_easy']), q('c', []), q('d', ['negative_discrimination'])]);
    expect(out.map((x) => x.question_id)).toEqual(['b', 'd', 'a', 'c']);
  });
});
