import { describe, expect, it } from 'vitest';
import { firstNumbers } from './numbering';

describe('firstNumbers', () => {
  it('numbers questions through the whole exam, section after section', () => {
    expect(firstNumbers([{ questions: [1, 2, 3] }, { questions: [4] }, { questions: [5, 6] }])).toEqual([1, 4, 5]);
  });
  it('gives an empty section the number its next question would have', () => {
    expect(firstNumbers([{ questions: [] }, { questions: ['a', 'b'] }, { questions: [] }, { questions: ['c'] }])).toEqual([1, 1, 3, 3]);
  });
  it('has no numbers for no sections', () => {
    expect(firstNumbers([])).toEqual([]);
  });
});
