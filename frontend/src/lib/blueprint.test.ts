import { describe, expect, it } from 'vitest';
import { blueprint, cohortMeans, tagPercent } from './blueprint';
import type { ExamDocument } from './types';

const doc = (sections: ExamDocument['sections']): ExamDocument => ({ title: 'x', time_limit_seconds: 60, sections });

describe('blueprint', () => {
  it('sums questions and points per tag and shares of all points', () => {
    const b = blueprint([
      doc([
        {
          title: 's',
          questions: [
            { type: 'true_false', prompt: 'a', points: 2, tags: ['投诉处理'] },
            { type: 'essay', prompt: 'b', points: 6, tags: ['投诉处理', '沟通'] },
            { type: 'true_false', prompt: 'c', points: 2 },
          ],
        },
      ]),
    ]);
    expect(b.total).toBe(10);
    expect(b.untagged).toBe(1);
    expect(b.rows).toEqual([
      { tag: '投诉处理', questions: 2, points: 8, share: 0.8 },
      { tag: '沟通', questions: 1, points: 6, share: 0.6 },
    ]);
  });

  it('counts a draw section as count questions of the pool points, for each of its tags', () => {
    const b = blueprint(
      [doc([{ title: 'd', questions: [], draw: { count: 3, tags: ['团队管理'] } }, { title: 's', questions: [{ type: 'true_false', prompt: 'a', points: 4 }] }])],
      () => 2,
    );
    expect(b.rows).toEqual([{ tag: '团队管理', questions: 3, points: 6, share: 0.6 }]);
    expect(b.total).toBe(10);
  });

  it('is empty without exams', () => {
    expect(blueprint([])).toEqual({ rows: [], total: 0, untagged: 0 });
  });
});

describe('cohort means', () => {
  it('averages each tag over the attempts that have it, leaving out nothing-counted tags', () => {
    const m = cohortMeans([
      { tags: [{ tag: 'a', points_awarded: 1, max_points: 2 }, { tag: 'b', points_awarded: 0, max_points: 0 }] },
      { tags: [{ tag: 'a', points_awarded: 2, max_points: 2 }] },
    ]);
    expect(m.get('a')).toBe(75);
    expect(m.has('b')).toBe(false);
    expect(tagPercent({ tag: 'x', points_awarded: 3, max_points: 4 })).toBe(75);
  });
});
