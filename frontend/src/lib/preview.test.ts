import { describe, expect, it } from 'vitest';
import { candidateView } from './preview';
import type { ExamDocument } from './types';

const DOC: ExamDocument = {
  title: 't',
  time_limit_seconds: 600,
  tracks: ['manager', 'supervisor'],
  sections: [
    {
      title: 'A',
      instructions: 'read',
      questions: [
        { type: 'true_false', prompt: 'tf', answer: false, points: 1 },
        { type: 'single_choice', prompt: 'sc', options: [{ key: 'a', text: '是' }], answer: 'a', points: 2, tracks: ['supervisor'] },
        { type: 'fill_in', prompt: '{{1}} and {{2}}', blanks: [{ accepted: ['客人'], points: 1 }, { accepted: ['上司'], points: 0.5 }] },
      ],
    },
    {
      title: 'B',
      questions: [
        {
          type: 'essay',
          prompt: 'e',
          points: 20,
          tracks: ['manager'],
          reference_answer: 'SECRET-REFERENCE',
          rubric: [{ criterion: 'SECRET-RUBRIC', points: 5 }],
        },
        { type: 'multiple_choice', prompt: 'mc', options: [{ key: 'a', text: '1' }, { key: 'b', text: '2' }], answers: ['a', 'b'], scoring: { per_correct: 1, per_wrong: 0.5, floor: 0 } },
      ],
    },
  ],
};

describe('candidate preview', () => {
  it('shows a track only its questions', () => {
    const m = candidateView(DOC, 'manager');
    expect(m.map((s) => s.questions.map((q) => q.prompt))).toEqual([['tf', '{{1}} and {{2}}'], ['e', 'mc']]);
    const s = candidateView(DOC, 'supervisor');
    expect(s.map((x) => x.questions.map((q) => q.prompt))).toEqual([['tf', 'sc', '{{1}} and {{2}}'], ['mc']]);
    expect(candidateView({ ...DOC, sections: [DOC.sections[1]] }, 'supervisor').map((x) => x.title)).toEqual(['B']);
    expect(candidateView({ ...DOC, sections: [{ title: 'C', questions: [DOC.sections[1].questions[0]] }] }, 'supervisor')).toEqual([]);
  });

  it('carries no key, rubric or reference answer', () => {
    const json = JSON.stringify(candidateView(DOC, 'manager'));
    for (const secret of ['"answer"', '"answers"', 'accepted', '客人', 'SECRET-REFERENCE', 'SECRET-RUBRIC', 'rubric']) expect(json).not.toContain(secret);
    const [fill] = candidateView(DOC, 'manager')[0].questions.slice(1);
    expect(fill).toMatchObject({ type: 'fill_in', blank_count: 2, points: 1.5 });
    const mc = candidateView(DOC, 'manager')[1].questions[1];
    expect(mc).toMatchObject({ per_correct: 1, per_wrong: 0.5, floor: 0, points: 2 });
  });
});
