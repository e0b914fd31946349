import { describe, expect, it } from 'vitest';
import { bankQuestionBody, changeType, copyOf, countPlaceholders, examMax, fromExam, newQuestion, nextOptionKey, parseTracks, toDocument, trackLabel } from './examModel';
import { testExam } from './testExam';

describe('exam model', () => {
  it('sends only the fields of each type, keeping ids and dropping server fields', () => {
    const exam = testExam(
      [
        {
          id: 's1',
          title: 'S',
          questions: [
            { id: 'q1', type: 'fill_in', prompt: 'a {{1}}', blanks: [{ accepted: [' 客人 ', '', 'guest'], points: 1 }], points: 3 },
            { id: 'q2', type: 'multiple_choice', prompt: 'm', options: [{ key: 'a', text: 'A' }], answers: ['a'], answer: 'a', points: 9 },
            { type: 'essay', prompt: 'e', points: 20, tracks: ['manager', 'gone'], reference_answer: '', rubric: [] },
          ],
        },
      ],
      { latest_version: 2 },
    );
    const d = toDocument(exam);
    expect(d).not.toHaveProperty('id');
    expect(d).not.toHaveProperty('status');
    expect(d).not.toHaveProperty('latest_version');
    expect(d.sections[0].id).toBe('s1');
    const [q1, q2, q3] = d.sections[0].questions;
    expect(q1).toEqual({ id: 'q1', type: 'fill_in', prompt: 'a {{1}}', blanks: [{ accepted: ['客人', 'guest'], points: 1 }] });
    expect(q2).toEqual({ id: 'q2', type: 'multiple_choice', prompt: 'm', options: [{ key: 'a', text: 'A' }], answers: ['a'] });
    expect(q3).toEqual({ type: 'essay', prompt: 'e', points: 20, tracks: ['manager'] });
  });

  it('round-trips the editor copy', () => {
    const d = fromExam({ id: 'x', title: 't', time_limit_seconds: 60, sections: [{ title: 's', questions: [{ type: 'multiple_choice', prompt: 'p', options: [], answers: [] }] }] });
    expect(d.grace_seconds).toBe(30);
    expect(d.sections[0].questions[0].scoring).toEqual({ per_correct: 1, per_wrong: 1, floor: 0 });
  });

  it('helpers', () => {
    expect(nextOptionKey([{ key: 'a', text: '' }, { key: 'c', text: '' }])).toBe('b');
    expect(parseTracks('manager, supervisor，主管;manager')).toEqual(['manager', 'supervisor', '主管']);
    expect(countPlaceholders('x {{1}} y {{ 2 }}')).toBe(2);
    const sc = changeType({ ...newQuestion('multiple_choice'), answers: ['b'] }, 'single_choice');
    expect(sc.answer).toBe('b');
    expect(sc.options).toHaveLength(3);
    expect(
      examMax({
        title: '',
        time_limit_seconds: 1,
        tracks: ['m', 's'],
        sections: [
          {
            title: '',
            questions: [
              { type: 'essay', prompt: '', points: 20, tracks: ['m'] },
              { type: 'multiple_choice', prompt: '', answers: ['a', 'b'], scoring: { per_correct: 1, per_wrong: 1, floor: 0 } },
            ],
          },
        ],
      }),
    ).toEqual({ m: 22, s: 2 });
  });

  it('a new question carries no answer key until the recruiter picks one', () => {
    expect(newQuestion('true_false')).not.toHaveProperty('answer');
    expect(newQuestion('single_choice')).not.toHaveProperty('answer');
    expect(newQuestion('multiple_choice').answers).toEqual([]);
    expect(newQuestion('fill_in').blanks?.[0].accepted).toEqual(['']);
    // What is sent: no key at all, so the server names the missing one.
    const body = toDocument({
      title: 't',
      time_limit_seconds: 60,
      sections: [{ title: 's', questions: [newQuestion('true_false'), newQuestion('single_choice'), newQuestion('fill_in')] }],
    });
    const [tf, sc, fi] = body.sections[0].questions;
    expect(tf).not.toHaveProperty('answer');
    expect(sc).not.toHaveProperty('answer');
    expect(fi.blanks?.[0].accepted).toEqual([]);
    // Changing the type makes none up either.
    expect(changeType(newQuestion('multiple_choice'), 'single_choice')).not.toHaveProperty('answer');
    expect(changeType(newQuestion('single_choice'), 'true_false')).not.toHaveProperty('answer');
  });

  it('keeps labels of the exam’s tracks only, and not empty ones', () => {
    const d = toDocument({
      title: 't',
      time_limit_seconds: 60,
      tracks: ['manager', 'supervisor'],
      track_labels: { manager: '经理', supervisor: ' ', gone: '旧' },
      sections: [],
    });
    expect(d.track_labels).toEqual({ manager: '经理' });
    expect(toDocument({ ...d, track_labels: { manager: '' } })).not.toHaveProperty('track_labels');
    expect(trackLabel(d, 'manager')).toBe('经理');
    expect(trackLabel(d, 'supervisor')).toBe('supervisor');
  });

  it('copies an exam as a new draft without ids', () => {
    const c = copyOf(
      { title: '面试题', time_limit_seconds: 60, sections: [{ id: 's1', title: 's', questions: [{ id: 'q1', type: 'true_false', prompt: 'p', answer: true, points: 1 }] }] },
      ' (副本)',
    );
    expect(c.title).toBe('面试题 (副本)');
    expect(c.sections[0]).not.toHaveProperty('id');
    expect(c.sections[0].questions[0]).toEqual({ type: 'true_false', prompt: 'p', answer: true, points: 1 });
    expect([...copyOf({ title: '长'.repeat(200), time_limit_seconds: 60, sections: [] }, ' (copy)').title]).toHaveLength(200);
  });

  it('keeps explanations and show_explanations through the editor', () => {
    const d = fromExam({
      title: 'T',
      time_limit_seconds: 60,
      show_explanations: true,
      sections: [
        {
          title: 'S',
          questions: [
            { type: 'true_false', prompt: 'p', answer: true, points: 1, explanation: '因为……' },
            { type: 'essay', prompt: 'e', points: 2 },
          ],
        },
      ],
    });
    const out = toDocument(d);
    expect(out.show_explanations).toBe(true);
    expect(out.sections[0].questions[0].explanation).toBe('因为……');
    expect('explanation' in out.sections[0].questions[1]).toBe(false);
  });

  it('keeps a two-marker review setting and leaves the one-marker default out', () => {
    const base = { title: 'T', time_limit_seconds: 60, sections: [{ title: 'S', questions: [{ type: 'essay' as const, prompt: 'e', points: 4 }] }] };
    const two = toDocument(fromExam({ ...base, review: { markers: 2, tolerance: 1.5 } }));
    expect(two.review).toEqual({ markers: 2, tolerance: 1.5 });
    expect('review' in toDocument(fromExam({ ...base, review: { markers: 1, tolerance: 3 } }))).toBe(false);
    expect('review' in toDocument(fromExam(base))).toBe(false);
  });
});

describe('bank fields', () => {
  it('keeps tags (trimmed, unique), bank_id, a section draw and position_id in the body', () => {
    const d = toDocument({
      title: 't',
      time_limit_seconds: 60,
      position_id: 'p1',
      sections: [
        {
          title: 's',
          questions: [{ type: 'true_false', prompt: 'q', points: 1, answer: true, tags: [' 沟通', '沟通', ''], bank_id: 'b1' }],
          draw: { count: 2, tags: ['投诉处理', ' '], type: undefined },
        },
      ],
    });
    expect(d.position_id).toBe('p1');
    expect(d.sections[0].questions[0].tags).toEqual(['沟通']);
    expect(d.sections[0].questions[0].bank_id).toBe('b1');
    expect(d.sections[0].draw).toEqual({ count: 2, tags: ['投诉处理'] });
    expect(changeType(d.sections[0].questions[0], 'essay').tags).toEqual(['沟通']);
  });
});

describe('bankQuestionBody', () => {
  it('leaves out what belongs to the exam: id, bank_id and tracks; keeps tags and the key', () => {
    const body = bankQuestionBody({
      id: 'q7',
      bank_id: 'b1',
      type: 'single_choice',
      prompt: '客户投诉时首先应当？',
      tracks: ['manager'],
      tags: ['投诉处理', ' 投诉处理 '],
      points: 2,
      options: [
        { key: 'a', text: '倾听' },
        { key: 'b', text: '反驳' },
      ],
      answer: 'a',
    });
    expect(body).toEqual({
      type: 'single_choice',
      prompt: '客户投诉时首先应当？',
      tags: ['投诉处理'],
      points: 2,
      options: [
        { key: 'a', text: '倾听' },
        { key: 'b', text: '反驳' },
      ],
      answer: 'a',
    });
  });
});
