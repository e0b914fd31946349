import { describe, expect, it } from 'vitest';
import { publishSummary } from './publishCheck';
import type { ExamDocument } from './types';

const doc = (pass: number): ExamDocument => ({
  title: 't',
  time_limit_seconds: 600,
  pass_score: pass,
  tracks: ['manager', 'supervisor'],
  sections: [
    {
      title: 'a',
      questions: [
        { type: 'true_false', prompt: 'x', answer: false, points: 1 },
        { type: 'single_choice', prompt: 'x', options: [{ key: 'a', text: '1' }], answer: 'a', points: 2, tracks: ['supervisor'] },
      ],
    },
    {
      title: 'b',
      questions: [
        {
          type: 'essay',
          prompt: 'x',
          points: 20,
          tracks: ['manager'],
          rubric: [
            { criterion: 'a', points: 5 },
            { criterion: 'b', points: 5 },
          ],
        },
        { type: 'essay', prompt: 'y', points: 4, rubric: [{ criterion: 'c', points: 4 }] },
      ],
    },
  ],
});

describe('publish summary', () => {
  it('counts questions by type and by track, with each track’s maximum', () => {
    const s = publishSummary(doc(10));
    expect(s.questions).toBe(4);
    expect(s.byType).toEqual({ fill_in: 0, true_false: 1, single_choice: 1, multiple_choice: 0, essay: 2 });
    expect(s.tracks).toEqual([
      { track: 'manager', questions: 3, max: 25 },
      { track: 'supervisor', questions: 3, max: 7 },
    ]);
    expect(s.passScore).toBe(10);
  });

  it('warns of a rubric short of its essay’s points, and of a track nobody of can pass', () => {
    const s = publishSummary(doc(10));
    expect(s.problems).toEqual([]);
    expect(s.warnings).toEqual([
      { kind: 'pass_above_some', field: 'pass_score', pass: 10, tracks: [{ track: 'supervisor', max: 7 }] },
      { kind: 'rubric_short', field: 'sections[1].questions[0].rubric', question: 3, sum: 10, points: 20 },
    ]);
  });

  it('blocks a pass mark above every track’s maximum', () => {
    const s = publishSummary(doc(99));
    expect(s.problems).toEqual([{ kind: 'pass_above_all', field: 'pass_score', pass: 99, max: 25 }]);
    expect(s.warnings.map((w) => w.kind)).toEqual(['rubric_short']);
  });

  it('treats an exam without tracks as one track', () => {
    const d = { ...doc(0), tracks: [] };
    const s = publishSummary(d);
    expect(s.tracks).toEqual([{ track: '', questions: 4, max: 27 }]);
    expect(publishSummary({ ...d, pass_score: 27 }).problems).toEqual([]);
    expect(publishSummary({ ...d, pass_score: 27.5 }).problems[0].kind).toBe('pass_above_all');
  });
});
