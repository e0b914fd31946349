import { describe, expect, it } from 'vitest';
import { parsePartSort, partChoices, partSortKey, rowPart } from './resultSort';
import type { ExamDocument, ResultRow } from './types';

const doc: ExamDocument = {
  title: 'x',
  time_limit_seconds: 60,
  sections: [
    {
      id: 's1',
      title: '一、判断',
      questions: [
        { type: 'true_false', prompt: 'a', points: 1, tags: ['投诉处理'] },
        { type: 'true_false', prompt: 'b', points: 1, tags: ['安全管理', '投诉处理'] },
      ],
    },
    {
      id: 's2',
      title: 'Draw: 沟通',
      questions: [],
      draw: { count: 1, tags: ['沟通'] },
      pool: [{ type: 'true_false', prompt: 'c', answer: true, points: 1, tags: ['沟通', 'x:y'] }],
    },
  ],
};

const row = (sections: ResultRow['sections'], tags: ResultRow['tags']): ResultRow => ({
  invitation_id: 'i',
  attempt_id: 'a',
  candidate_name: 'An',
  candidate_email: 'an@x.test',
  track: '',
  status: 'graded',
  auto_score: 1,
  manual_score: 0,
  score: 1,
  max_score: 3,
  passed: true,
  submitted_at: null,
  submitted_by: 'candidate',
  sections,
  tags,
});

describe('result sort by part', () => {
  it('offers the sections, then each tag once in document order, pools included', () => {
    expect(partChoices(doc)).toEqual([
      { kind: 'section', name: 's1', label: '一、判断' },
      { kind: 'section', name: 's2', label: 'Draw: 沟通' },
      { kind: 'tag', name: '投诉处理', label: '投诉处理' },
      { kind: 'tag', name: '安全管理', label: '安全管理' },
      { kind: 'tag', name: '沟通', label: '沟通' },
      { kind: 'tag', name: 'x:y', label: 'x:y' },
    ]);
    expect(partChoices(null)).toEqual([]);
  });

  it('writes and reads the server’s keys, both directions, a colon inside a tag kept', () => {
    expect(partSortKey({ kind: 'section', name: 's1' }, true)).toBe('-section:s1');
    expect(partSortKey({ kind: 'tag', name: 'x:y' }, false)).toBe('tag:x:y');
    expect(parsePartSort('-section:s1')).toEqual({ kind: 'section', name: 's1', desc: true });
    expect(parsePartSort('tag:x:y')).toEqual({ kind: 'tag', name: 'x:y', desc: false });
    for (const other of [undefined, '', 'score', '-score', 'name', 'sections:s1']) expect(parsePartSort(other)).toBeNull();
  });

  it('finds a row’s score on the part, or nothing when the row has none', () => {
    const r = row(
      [{ section_id: 's1', title: '一、判断', points_awarded: 1, max_points: 2 }],
      [{ tag: '投诉处理', points_awarded: 0.5, max_points: 2 }],
    );
    expect(rowPart(r, { kind: 'section', name: 's1', desc: true })).toEqual({ section_id: 's1', title: '一、判断', points_awarded: 1, max_points: 2 });
    expect(rowPart(r, { kind: 'tag', name: '投诉处理', desc: false })?.points_awarded).toBe(0.5);
    expect(rowPart(r, { kind: 'section', name: 's2', desc: false })).toBeUndefined();
    expect(rowPart(r, { kind: 'tag', name: '一、判断', desc: false })).toBeUndefined();
  });
});
