import { describe, expect, it } from 'vitest';
import { blanksOf, isAnswered, questionMark, splitPrompt } from './take';
import type { CandidateQuestion } from './types';

const q = (type: CandidateQuestion['type']): CandidateQuestion => ({ id: 'x', type, prompt: '' });

describe('isAnswered', () => {
  it('by type', () => {
    expect(isAnswered(q('true_false'), { value: false })).toBe(true);
    expect(isAnswered(q('single_choice'), { choice: 'a' })).toBe(true);
    expect(isAnswered(q('multiple_choice'), { choices: [] })).toBe(false);
    expect(isAnswered(q('multiple_choice'), { choices: ['b'] })).toBe(true);
    expect(isAnswered(q('fill_in'), { blanks: ['', ' '] })).toBe(false);
    expect(isAnswered(q('fill_in'), { blanks: ['', '客人'] })).toBe(true);
    expect(isAnswered(q('essay'), { text: '  \n' })).toBe(false);
    expect(isAnswered(q('essay'), undefined)).toBe(false);
  });
});

describe('splitPrompt', () => {
  it('places blanks', () => {
    expect(splitPrompt('当你遇到上司和客人在一起时应先向{{1}}致意。', 1)).toEqual([
      { text: '当你遇到上司和客人在一起时应先向' },
      { blank: 0 },
      { text: '致意。' },
    ]);
  });
  it('appends blanks the prompt misses, keeps unknown placeholders as text', () => {
    expect(splitPrompt('{{2}} and {{5}}', 2)).toEqual([{ blank: 1 }, { text: ' and ' }, { text: '{{5}}' }, { blank: 0 }]);
  });
  it('sizes the blanks', () => {
    expect(blanksOf({ blanks: ['a'] }, 3)).toEqual(['a', '', '']);
    expect(blanksOf(undefined, 1)).toEqual(['']);
  });
});

describe('questionMark', () => {
  it('claims saved only when the server holds the answer', () => {
    expect(questionMark(true, 'saved')).toBe('saved');
    expect(questionMark(true, 'saving')).toBe('waiting');
    expect(questionMark(true, 'offline')).toBe('waiting');
    expect(questionMark(false, 'offline')).toBe('waiting'); // a cleared answer not yet saved
    expect(questionMark(true, 'error')).toBe('failed');
    expect(questionMark(false, 'saved')).toBe('unanswered');
  });
});
