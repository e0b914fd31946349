import { describe, expect, it } from 'vitest';
import { fieldDomId, fieldKey, groupByField, parsePath, problemsFor } from './fieldpath';

describe('JSON path to editor field', () => {
  it.each([
    ['sections[1].questions[0].answers[1]', 'sections[1].questions[0].answers'],
    ['sections[1].questions[0].answer', 'sections[1].questions[0].answer'],
    ['sections[0].questions[2].blanks[1].accepted[0]', 'sections[0].questions[2].blanks[1].accepted'],
    ['sections[0].questions[2].blanks[1].points', 'sections[0].questions[2].blanks[1].points'],
    ['sections[0].questions[2].options[3].key', 'sections[0].questions[2].options[3].key'],
    ['sections[0].questions[2].scoring.per_wrong', 'sections[0].questions[2].scoring.per_wrong'],
    ['sections[2].questions[0].rubric[1].points', 'sections[2].questions[0].rubric[1].points'],
    ['sections[2].questions[0].tracks[0]', 'sections[2].questions[0].tracks'],
    ['tracks[1]', 'tracks'],
    ['time_limit_seconds', 'time_limit'],
    ['grace_seconds', 'grace_seconds'],
    ['sections[3].title', 'sections[3].title'],
    ['sections', 'sections'],
    ['sections.1.questions.0.prompt', 'sections[1].questions[0].prompt'],
    ['$.title', 'title'],
    ['/sections/0/questions/1/points', 'sections[0].questions[1].points'],
  ])('%s → %s', (path, key) => {
    expect(fieldKey(path)).toBe(key);
  });

  it('parses segments', () => {
    expect(parsePath('sections[10].questions[0].options')).toEqual(['sections', 10, 'questions', 0, 'options']);
  });

  it('groups problems and finds them under a question', () => {
    const g = groupByField([
      { field: 'sections[1].questions[0].answers[1]', message: 'unknown option key "h"' },
      { field: 'sections[1].questions[0].answers[2]', message: 'unknown option key "z"' },
      { field: 'sections[1].questions[0].options[0].text', message: 'empty' },
      { field: 'sections[1].questions[10].prompt', message: 'other question' },
      { field: 'title', message: 'required' },
    ]);
    expect(g.get('sections[1].questions[0].answers')).toEqual(['unknown option key "h"', 'unknown option key "z"']);
    expect(problemsFor(g, 'title')).toEqual(['required']);
    expect(problemsFor(g, 'sections[1].questions[0]', true)).toHaveLength(3);
    expect(problemsFor(g, 'sections[1].questions[1]', true)).toHaveLength(0);
  });

  it('makes DOM ids', () => {
    expect(fieldDomId('sections[1].questions[0].answers')).toBe('f-sections-1-questions-0-answers');
  });
});
