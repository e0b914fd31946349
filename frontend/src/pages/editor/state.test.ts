import { describe, expect, it } from 'vitest';
import { initialState, plainDoc, reducer } from './state';
import { toDocument } from '../../lib/examModel';
import type { Action, EditorState } from './state';
import { testExam } from '../../lib/testExam';
import type { Exam } from '../../lib/types';

const EXAM = testExam([
  {
    id: 's1',
    title: 'A',
    questions: [
      { id: 'q1', type: 'single_choice', prompt: 'p', options: [{ key: 'a', text: '1' }, { key: 'b', text: '2' }], answer: 'b', points: 1 },
      { id: 'q2', type: 'multiple_choice', prompt: 'm', options: [{ key: 'a', text: '1' }, { key: 'b', text: '2' }], answers: ['a', 'b'] },
    ],
  },
  { id: 's2', title: 'B', questions: [{ id: 'q3', type: 'true_false', prompt: 't', answer: true, points: 1 }] },
]);

const run = (s: EditorState, ...as: Action[]) => as.reduce(reducer, s);
const loaded = () => run(initialState('e1'), { type: 'loaded', exam: EXAM });

describe('editor reducer', () => {
  it('loads with a key for every section and question, clean', () => {
    const s = loaded();
    expect(s.dirty).toBe(false);
    expect(s.tracksText).toBe('manager, supervisor');
    const keys = s.doc!.sections.flatMap((x) => [x.key, ...x.questions.map((q) => q.key)]);
    expect(new Set(keys).size).toBe(5);
  });

  it('shares structure: an edit replaces only its question, section and the list', () => {
    const s0 = loaded();
    const s1 = reducer(s0, { type: 'setQuestion', si: 0, qi: 1, patch: { prompt: 'new' } });
    expect(s1.dirty).toBe(true);
    expect(s1.doc!.sections[0].questions[1].prompt).toBe('new');
    expect(s1.doc!.sections[0].questions[0]).toBe(s0.doc!.sections[0].questions[0]);
    expect(s1.doc!.sections[1]).toBe(s0.doc!.sections[1]);
    expect(s1.doc!.sections[0]).not.toBe(s0.doc!.sections[0]);
    expect(s1.doc!.tracks).toBe(s0.doc!.tracks);
    // the old state is untouched
    expect(s0.doc!.sections[0].questions[1].prompt).toBe('m');
  });

  it('keeps a question’s key when it moves or changes type', () => {
    const s0 = loaded();
    const k = s0.doc!.sections[0].questions[0].key;
    const s1 = reducer(s0, { type: 'moveQuestion', si: 0, qi: 0, to: 1 });
    expect(s1.doc!.sections[0].questions[1].key).toBe(k);
    const s2 = reducer(s1, { type: 'changeType', si: 0, qi: 1, qtype: 'true_false' });
    expect(s2.doc!.sections[0].questions[1].key).toBe(k);
    expect(s2.doc!.sections[0].questions[1].answer).toBeUndefined();
  });

  it('adds questions without a key, with a fresh row key', () => {
    const s = run(loaded(), { type: 'addQuestion', si: 1, qtype: 'true_false' }, { type: 'addQuestion', si: 1, qtype: 'single_choice' });
    const [, a, b] = s.doc!.sections[1].questions;
    expect(a.answer).toBeUndefined();
    expect(b.answer).toBeUndefined();
    expect(a.key).not.toBe(b.key);
  });

  it('renames and removes options together with the key', () => {
    let s = run(loaded(), { type: 'setOptionKey', si: 0, qi: 0, oi: 1, key: 'x' });
    expect(s.doc!.sections[0].questions[0].answer).toBe('x');
    s = reducer(s, { type: 'removeOption', si: 0, qi: 0, oi: 1 });
    expect(s.doc!.sections[0].questions[0]).not.toHaveProperty('answer');
    s = reducer(s, { type: 'markCorrect', si: 0, qi: 1, oi: 0, on: false });
    expect(s.doc!.sections[0].questions[1].answers).toEqual(['b']);
    s = reducer(s, { type: 'removeOption', si: 0, qi: 1, oi: 1 });
    expect(s.doc!.sections[0].questions[1].answers).toEqual([]);
  });

  it('keeps per-question tracks in the exam’s order', () => {
    const s = run(
      loaded(),
      { type: 'setQuestionTrack', si: 1, qi: 0, track: 'supervisor', on: true },
      { type: 'setQuestionTrack', si: 1, qi: 0, track: 'manager', on: true },
    );
    expect(s.doc!.sections[1].questions[0].tracks).toEqual(['manager', 'supervisor']);
  });

  it('adds a blank with its placeholder', () => {
    const s = run(loaded(), { type: 'addQuestion', si: 0, qtype: 'fill_in' }, { type: 'addBlank', si: 0, qi: 2 });
    const q = s.doc!.sections[0].questions[2];
    expect(q.blanks).toHaveLength(2);
    expect(q.prompt).toBe('{{2}}');
  });

  it('drops problems on structural edits only', () => {
    const problems = [{ field: 'sections[0].questions[0].prompt', code: 'required', message: 'is required' }];
    const s0 = reducer(loaded(), { type: 'saveFailed', error: new Error('x'), problems });
    expect(reducer(s0, { type: 'setQuestion', si: 0, qi: 0, patch: { prompt: 'a' } }).problems).toBe(problems);
    expect(reducer(s0, { type: 'moveSection', si: 0, to: 1 }).problems).toEqual([]);
  });

  it('keeps row keys across a save and takes the server’s ids', () => {
    const s0 = run(loaded(), { type: 'addSection' }, { type: 'addQuestion', si: 2, qtype: 'essay' });
    const keys = s0.doc!.sections.map((x) => x.key);
    const saved: Exam = {
      ...EXAM,
      sections: [...EXAM.sections, { id: 's3', title: '', questions: [{ id: 'q4', type: 'essay', prompt: '', points: 10 }] }],
    };
    const s1 = run(s0, { type: 'saveStarted', busy: 'save' }, { type: 'saved', exam: saved });
    expect(s1.dirty).toBe(false);
    expect(s1.notice).toEqual({ kind: 'saved' });
    expect(s1.doc!.sections.map((x) => x.key)).toEqual(keys);
    expect(s1.doc!.sections[2].id).toBe('s3');
  });

  it('publishes through the confirmation', () => {
    let s = reducer(loaded(), { type: 'publishOpened', examId: 'e1', problems: [] });
    expect(s.publishing).toMatchObject({ examId: 'e1', n: 0 });
    s = reducer(s, { type: 'publishFailed', error: new Error('x'), problems: [{ field: 'pass_score', code: 'pass_score_above_max', message: 'm' }] });
    expect(s.publishing?.problems).toHaveLength(1);
    expect(s.problems).toHaveLength(1);
    s = run(s, { type: 'publishClosed' }, { type: 'publishOpened', examId: 'e1', problems: [] });
    expect(s.publishing?.n).toBe(1);
    s = run(s, { type: 'publishStarted' }, { type: 'published', version: 1 });
    expect(s.publishing).toBeNull();
    expect(s.latestVersion).toBe(1);
    expect(s.status).toBe('published');
    expect(s.notice).toEqual({ kind: 'published', version: 1, examId: 'e1' });
  });

  it('sets show_explanations and a question’s explanation, kept across a type change and into the saved body', () => {
    const s0 = loaded();
    expect(s0.doc!.show_explanations).toBeFalsy();
    const s1 = run(
      s0,
      { type: 'setExam', patch: { show_explanations: true } },
      { type: 'setQuestion', si: 1, qi: 0, patch: { explanation: '因为地球是圆的' } },
    );
    expect(s1.dirty).toBe(true);
    expect(s1.doc!.show_explanations).toBe(true);
    expect(s1.doc!.sections[1].questions[0].explanation).toBe('因为地球是圆的');
    // only the edited question changes
    expect(s1.doc!.sections[0]).toBe(s0.doc!.sections[0]);
    const s2 = reducer(s1, { type: 'changeType', si: 1, qi: 0, qtype: 'essay' });
    expect(s2.doc!.sections[1].questions[0].explanation).toBe('因为地球是圆的');
    const body = toDocument(plainDoc(s2.doc!));
    expect(body.show_explanations).toBe(true);
    expect(body.sections[1].questions[0].explanation).toBe('因为地球是圆的');
    // emptying the box drops the explanation from the body
    const s3 = reducer(s2, { type: 'setQuestion', si: 1, qi: 0, patch: { explanation: '' } });
    expect(toDocument(plainDoc(s3.doc!)).sections[1].questions[0]).not.toHaveProperty('explanation');
  });

  it('folds sections without touching the draft', () => {
    const s0 = loaded();
    const [a, b] = s0.doc!.sections.map((x) => x.key);
    const s1 = reducer(s0, { type: 'collapseSection', key: a, on: true });
    expect(s1.collapsed).toEqual({ [a]: true });
    expect(s1.doc).toBe(s0.doc);
    expect(s1.dirty).toBe(false);
    expect(reducer(s1, { type: 'collapseAll', on: true }).collapsed).toEqual({ [a]: true, [b]: true });
    expect(reducer(s1, { type: 'collapseAll', on: false }).collapsed).toEqual({});
  });
});

describe('bank tools', () => {
  it('copies bank questions into a section with bank_id and no id, and keeps typed tags', () => {
    const s = run(
      loaded(),
      {
        type: 'addFromBank',
        si: 1,
        questions: [{ id: 'b1', type: 'true_false', prompt: 'bank', answer: false, points: 1, tags: ['沟通'], created_at: 'x', updated_at: 'y' }],
      },
      { type: 'setQuestionTags', si: 0, qi: 0, text: '投诉处理, 沟' },
    );
    const q = s.doc!.sections[1].questions[1];
    expect(q.bank_id).toBe('b1');
    expect(q.id).toBeUndefined();
    expect(s.doc!.sections[0].questions[0].tagsText).toBe('投诉处理, 沟');
    const body = toDocument(plainDoc(s.doc!));
    expect(body.sections[1].questions[1]).toEqual({ type: 'true_false', prompt: 'bank', answer: false, points: 1, tags: ['沟通'], bank_id: 'b1' });
    expect(body.sections[0].questions[0].tags).toEqual(['投诉处理', '沟']);
    expect(s.dirty).toBe(true);
  });

  it('turns a draw on, edits its tags as typed, and off again', () => {
    let s = run(loaded(), { type: 'setDraw', si: 1, draw: { count: 3, tags: [] }, tagsText: '' });
    s = run(s, { type: 'setDraw', si: 1, draw: { ...s.doc!.sections[1].draw!, type: 'essay' }, tagsText: '团队管理，' });
    expect(s.doc!.sections[1].drawTagsText).toBe('团队管理，');
    expect(toDocument(plainDoc(s.doc!)).sections[1].draw).toEqual({ count: 3, tags: ['团队管理'], type: 'essay' });
    s = run(s, { type: 'setDraw', si: 1, draw: null });
    expect(toDocument(plainDoc(s.doc!)).sections[1].draw).toBeUndefined();
  });
});
