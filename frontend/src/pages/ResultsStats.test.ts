import { describe, expect, it } from 'vitest';
import { binLabels, flaggedFirst, followUp, questionLabels } from './ResultsStats';
import type { ExamDocument, QuestionStatistics } from '../lib/types';

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

describe('questionLabels', () => {
  it('numbers the questions across sections and shortens long prompts', () => {
    const doc = {
      title: 'x',
      time_limit_seconds: 60,
      sections: [
        { title: 'a', questions: [{ id: 'q1', type: 'fill_in', prompt: 'Staffed {{1}} hours' }] },
        { title: 'b', questions: [{ id: 'q2', type: 'essay', prompt: 'x'.repeat(80) }] },
      ],
    } as unknown as ExamDocument;
    const m = questionLabels(doc, 20);
    expect(m.get('q1')).toBe('Q1. Staffed ____ hours');
    expect(m.get('q2')).toBe(`Q2. ${'x'.repeat(19)}…`);
  });
});

describe('binLabels', () => {
  it('writes whole bounds without decimals and others with one', () => {
    const bins = Array.from({ length: 10 }, (_, i) => ({ from: i * 12, to: (i + 1) * 12 }));
    expect(binLabels(bins)[0]).toBe('0–12');
    expect(binLabels(bins)[9]).toBe('108–120');
    expect(binLabels([{ from: 0.7, to: 1.4 }])).toEqual(['0.7–1.4']);
  });
});

describe('followUp', () => {
  it('sends a negatively discriminating objective question to the key, an essay to its marking', () => {
    expect(followUp({ type: 'single_choice', flags: ['negative_discrimination'] })).toBe('amend');
    expect(followUp({ type: 'fill_in', flags: ['too_hard', 'negative_discrimination'] })).toBe('amend');
    expect(followUp({ type: 'essay', flags: ['negative_discrimination'] })).toBe('marking');
    expect(followUp({ type: 'essay', flags: ['too_easy'] })).toBe(null);
    expect(followUp({ type: 'true_false', flags: [] })).toBe(null);
  });
});
