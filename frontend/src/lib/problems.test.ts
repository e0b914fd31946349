import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupProblems, problemMessage, problemPlace, problemSentence, problemSentences } from './problems';

const numbering = { questionNumber: (s: number, q: number) => [0, 3, 5][s] + q + 1 };

describe('problems in people’s words', () => {
  it('names the place as the editor shows it', () => {
    const p = { field: 'sections[0].questions[0].blanks[1].accepted', code: 'too_few', params: { min: 1 }, message: 'needs at least one accepted answer' };
    expect(problemSentence('zh-CN', p, numbering)).toBe('第 1 题第 2 空：至少填写一个可接受答案');
    expect(problemSentence('en', p, numbering)).toBe('Question 1, blank 2: give at least one accepted answer');
  });

  it('numbers questions across sections when told how, else by section', () => {
    const f = 'sections[1].questions[1].points';
    expect(problemPlace('zh-CN', f, numbering)).toBe('第 5 题分值');
    expect(problemPlace('en', f, numbering)).toBe('Question 5 points');
    expect(problemPlace('zh-CN', f)).toBe('第 2 部分第 2 题分值');
    expect(problemPlace('en', 'sections[2].title')).toBe('Section 3 title');
    expect(problemPlace('zh-CN', 'sections[2].title')).toBe('第 3 部分标题');
    expect(problemPlace('en', 'sections[0].questions[2].options[1].text')).toBe('Section 1, question 3, option 2 text');
    expect(problemPlace('zh-CN', 'sections[0].questions[2].scoring.floor', numbering)).toBe('第 3 题最低得分');
    expect(problemPlace('zh-CN', 'sections[0].questions[0].rubric[1].points', numbering)).toBe('第 1 题评分要点 2 的分值');
    expect(problemPlace('en', 'time_limit_seconds')).toBe('Time limit');
    expect(problemPlace('zh-CN', 'tracks[1]')).toBe('第 2 个岗位');
    expect(problemPlace('zh-CN', 'sections[0].questions[2].options[1].key', numbering)).toBe('第 3 题选项 2 的编号');
    expect(problemPlace('en', 'sections[0].questions[2].answers[1]', numbering)).toBe('Question 3 correct options');
    expect(problemPlace('zh-CN', 'track_labels.manager')).toBe('岗位“manager”的名称');
    expect(problemPlace('en', '')).toBe('');
  });

  it('says each code of the shared vocabulary with its values', () => {
    const m = (code: string, params: Record<string, unknown> = {}, field = 'title') =>
      [problemMessage('en', { field, code, params, message: 'x' }), problemMessage('zh-CN', { field, code, params, message: 'x' })];
    expect(m('required')).toEqual(['fill this in', '请填写']);
    expect(m('required', {}, 'sections[0].questions[1].answer')).toEqual(['choose the correct answer', '请选择正确答案']);
    expect(m('too_long', { max: 200 })).toEqual(['at most 200 characters', '最多 200 个字符']);
    expect(m('out_of_range', { min: 1, max: 10 })).toEqual(['must be from 1 to 10', '应在 1 到 10 之间']);
    expect(m('out_of_range', { min: 0 })).toEqual(['must be at least 0', '不能小于 0']);
    expect(m('not_multiple_of_half')).toEqual(['must be a multiple of 0.5', '必须是 0.5 的整数倍']);
    expect(m('unknown_option', { key: 'h' })).toEqual(['no option has the key “h”', '没有编号为“h”的选项']);
    expect(m('placeholder_missing', { n: 2 })).toEqual(['the question text has no {{2}}', '题干中缺少 {{2}}']);
    expect(m('weak_password', { reason: 'short', min: 10 })).toEqual(['at least 10 characters', '至少 10 个字符']);
    expect(m('invalid_value', { allowed: ['a', 'b'] })).toEqual(['must be one of a, b', '只能是 a, b 之一']);
    expect(m('pass_score_above_max', { pass_score: 99, max: 16 })).toEqual([
      'the pass mark 99 is above the highest possible score (16)',
      '及格分 99 高于可能的最高分（16）',
    ]);
    expect(m('rubric_over_points', { sum: 12, points: 10.5 })).toEqual([
      'the rubric adds up to 12, more than the question’s 10.5 points',
      '评分细则合计 12 分，超过该题的 10.5 分',
    ]);
  });

  it('falls back to the server’s message for a code it does not know, or none', () => {
    expect(problemMessage('zh-CN', { field: 'title', code: 'brand_new', message: 'is odd' })).toBe('is odd');
    expect(problemMessage('zh-CN', { field: 'title', message: 'is odd' })).toBe('is odd');
    expect(problemSentence('zh-CN', { field: 'pass_score', code: 'brand_new', message: 'is odd' })).toBe('及格分：is odd');
  });
});

// Every code the server may send (the FieldErrorCode and ImportProblemCode
// enums of api/openapi.yaml, read from the file so a code added there
// without words here fails).
function serverCodes(schema = 'FieldErrorCode'): string[] {
  const yaml = readFileSync(fileURLToPath(new URL('../../../api/openapi.yaml', import.meta.url)), 'utf8');
  const at = yaml.indexOf(`\n    ${schema}:`);
  expect(at).toBeGreaterThan(0);
  const m = /\n\s+enum: \[([^\]]*)\]/.exec(yaml.slice(at));
  expect(m).not.toBeNull();
  return m![1].split(',').map((s) => s.trim()).filter(Boolean);
}

describe('every code of the OpenAPI enum has words', () => {
  const params = {
    max: 5, min: 1, key: 'z', value: 'v', track: 'lead', expected: 'number', field: 'opens_at', allowed: ['a', 'b'],
    n: 2, count: 3, want: 2, got: 1, floor: 3, sum: 4, points: 5, pass_score: 9, limit: 50, format: 'docx', line: 3,
    found: 1, answers: 3, blanks: 2, title: '导入的试卷', minutes: 60, type: 'fill_in', total: 7, questions: 3,
  };
  const codes = [...serverCodes(), ...serverCodes('ImportProblemCode')];
  it('reads the enum', () => {
    expect(codes.length).toBeGreaterThanOrEqual(33);
    expect(codes).toEqual(expect.arrayContaining(['sum_mismatch', 'unknown_id', 'no_answer_key', 'weak_password', 'invalid_email', 'contains_nul', 'too_long']));
  });
  const cases = codes.flatMap((code): { code: string; reason?: string }[] =>
    code === 'weak_password' ? ['short', 'blank', 'breached'].map((reason) => ({ code, reason })) : [{ code, reason: undefined }],
  );
  it.each(cases)('$code $reason in English and Chinese', ({ code, reason }) => {
    const p = { field: 'title', code, params: reason ? { ...params, reason } : params, message: 'SERVER WORDS' };
    const en = problemMessage('en', p);
    const zh = problemMessage('zh-CN', p);
    for (const s of [en, zh]) {
      expect(s).not.toBe('SERVER WORDS');
      expect(s).not.toMatch(/\{[a-z_]+\}/); // every value filled in
    }
    expect(zh).not.toBe(en);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('forms outside the editor', () => {
  const err = {
    details: [
      { field: 'password', code: 'weak_password', params: { reason: 'short', min: 10 }, message: 'too short' },
      { field: 'criteria[1].points', code: 'out_of_range', params: { min: 0, max: 2 }, message: 'x' },
      { field: 'criteria', code: 'sum_mismatch', params: { sum: 3, points: 4 }, message: 'x' },
      { field: 'candidate_email', code: 'invalid_email', message: 'x' },
    ],
  };
  it('groups what is wrong by field', () => {
    const g = groupProblems('zh-CN', err);
    expect(g.get('password')).toEqual(['至少 10 个字符']);
    expect(g.get('criteria[1].points')).toEqual(['应在 0 到 2 之间']);
    expect(g.get('criteria')).toEqual(['各评分要点合计 3 分，与所给的 4 分不符']);
    expect(groupProblems('en', new Error('plain')).size).toBe(0);
  });
  it('says whole sentences, skipping fields shown elsewhere', () => {
    expect(problemSentences('en', err, {}, ['password', 'criteria'])).toEqual([
      'criterion 2 points: must be from 0 to 2',
      'Email: is not a valid email address (name@example.com)',
    ]);
    expect(problemSentences('zh-CN', err, {}, ['password', 'criteria[1].points'])).toEqual([
      '评分要点：各评分要点合计 3 分，与所给的 4 分不符',
      '邮箱：不是有效的邮箱地址（应如 name@example.com）',
    ]);
  });
});
