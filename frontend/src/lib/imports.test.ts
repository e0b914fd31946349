import { describe, expect, it } from 'vitest';
import {
  acceptedFile,
  dispositionFileName,
  importBody,
  importProblems,
  questionPath,
  setPendingImport,
  takePendingImport,
  typeCounts,
  withLine,
} from './imports';
import { fieldKey } from './fieldpath';
import { problemMessage } from './problems';
import { reducer, initialState } from '../pages/editor/state';
import type { ImportResult } from './imports';

describe('importBody', () => {
  it('sends pasted text as {content}', () => {
    expect(importBody({ text: '一、单选题\n1. 问？' })).toEqual({ content: '一、单选题\n1. 问？' });
  });
  it('sends a file as a multipart file part with its name', () => {
    const f = new File(['x'], '试卷.docx');
    const b = importBody({ file: f });
    expect(b).toBeInstanceOf(FormData);
    const part = (b as FormData).get('file') as File;
    expect(part.name).toBe('试卷.docx');
  });
  it('accepts only the importable endings', () => {
    expect(acceptedFile('Paper.DOCX')).toBe(true);
    expect(acceptedFile('pkg.zip')).toBe(true);
    expect(acceptedFile('notes.pdf')).toBe(false);
  });
});

describe('problems beside their questions', () => {
  it('puts a problem under a question on that question, keeping its line', () => {
    expect(questionPath('sections[2].questions[4].answer')).toBe('sections[2].questions[4]');
    expect(questionPath('sections[1].title')).toBeNull();
    const out = importProblems([
      { field: 'sections[0].questions[3].answer', line: 12, message: 'no key' },
      { field: 'sections[1].questions[0].blanks[0].accepted', line: 40, message: 'blank lost' },
      { field: 'sections[1]', line: 30, message: 'heading guessed' },
      { field: '', line: 0, message: 'whole paper' },
    ]);
    expect(out.map((p) => [fieldKey(p.field), p.line])).toEqual([
      ['sections[0].questions[3]', 12],
      ['sections[1].questions[0]', 40],
      ['sections[1]', 30],
      ['', 0],
    ]);
  });
  it('drops the rule check’s line-less repeat on a question the importer already named by line', () => {
    const out = importProblems([
      { field: 'sections[2].questions[0]', line: 31, message: 'question 1: the source gives no key' },
      { field: 'sections[2].questions[0].answer', line: 0, message: 'is required' },
      { field: 'sections[2].questions[1].answer', line: 0, message: 'is required' },
      { field: '', line: 0, message: 'no time limit given' },
    ]);
    expect(out.map((p) => `${p.field}|${p.line}`)).toEqual(['sections[2].questions[0]|31', 'sections[2].questions[1]|0', '|0']);
  });
  it('says coded problems in the recruiter’s language, with the words of the field the server named', () => {
    const [noKey, ruleBreak, note] = importProblems([
      { field: 'sections[0].questions[3]', line: 12, code: 'import_no_key', message: 'question 4: the source gives no key' },
      { field: 'sections[1].questions[0].answer', line: 0, code: 'required', message: 'is required' },
      { field: '', line: 2, message: 'heading guessed' },
    ]);
    expect(problemMessage('zh-CN', noKey)).toBe('原文没有给出答案，请在此补上');
    expect(problemMessage('en', noKey)).toBe('the source gives no answer key: add it here');
    // Shown on its question, but worded for the answer it is about.
    expect(ruleBreak.field).toBe('sections[1].questions[0]');
    expect(problemMessage('zh-CN', ruleBreak)).toBe('请选择正确答案');
    // A reader's note without a code keeps the server's words.
    expect(problemMessage('zh-CN', note)).toBe('heading guessed');
    // A guessed type is named in the reader's language.
    const [guessed] = importProblems([
      { field: '', line: 5, code: 'import_type_guessed', params: { n: 2, type: 'true_false' }, message: 'question 2: type true_false guessed from its options 对 and 错' },
    ]);
    expect(problemMessage('zh-CN', guessed)).toBe('第 2 题：原文未注明题型，按“判断题”读取');
    expect(problemMessage('en', guessed)).toBe('question 2: read as “True / false” (the paper does not say)');
  });
  it('says the line in front of the sentence only when there is one', () => {
    const zh = (n: number) => `第 ${n} 行`;
    expect(withLine({ field: 'x', message: 'm', line: 12 }, '缺少答案', zh, '：')).toBe('第 12 行：缺少答案');
    expect(withLine({ field: 'x', message: 'm', line: 0 }, '缺少答案', zh, '：')).toBe('缺少答案');
  });
  it('counts types in the editor order, leaving zeros out', () => {
    expect(typeCounts({ questions: 5, by_type: { essay: 1, single_choice: 3, fill_in: 0, true_false: 1 } })).toEqual([
      ['single_choice', 3],
      ['true_false', 1],
      ['essay', 1],
    ]);
  });
});

describe('an import opens as an unsaved draft', () => {
  const result: ImportResult = {
    format: 'text',
    exam: {
      title: '客服经理笔试',
      time_limit_seconds: 3600,
      tracks: ['manager'],
      sections: [
        {
          title: '一、单项选择题',
          questions: [{ type: 'single_choice', prompt: '问？', points: 1, options: [{ key: 'a', text: '甲' }, { key: 'b', text: '乙' }] }],
        },
      ],
    },
    problems: [{ field: 'sections[0].questions[0].answer', line: 3, message: 'no key given' }],
    stats: { questions: 1, by_type: { single_choice: 1 } },
  };
  it('is dirty, carries the problems on the question and the summary, and a save clears the summary', () => {
    let s = reducer(initialState(), { type: 'imported', result });
    expect(s.dirty).toBe(true);
    expect(s.examId).toBeUndefined();
    expect(s.doc?.title).toBe('客服经理笔试');
    expect(s.doc?.sections[0].questions[0].answer).toBeUndefined();
    expect(s.problems).toEqual([{ field: 'sections[0].questions[0]', wordsField: 'sections[0].questions[0].answer', line: 3, message: 'no key given' }]);
    expect(s.imported).toEqual({ format: 'text', stats: result.stats, problems: 1 });
    s = reducer({ ...s, busy: 'save' }, { type: 'saved', exam: { ...result.exam, id: 'e1', status: 'draft', latest_version: 0, created_at: '2026-12-02T00:00:00Z', updated_at: '2026-12-02T00:00:00Z' } });
    expect(s.imported).toBeNull();
    expect(s.dirty).toBe(false);
  });
  it('is handed from the list to the new draft once', () => {
    setPendingImport(result);
    expect(takePendingImport()).toBe(result);
    expect(takePendingImport()).toBeNull();
  });
});

describe('dispositionFileName', () => {
  it('prefers the UTF-8 filename*', () => {
    expect(dispositionFileName(`attachment; filename="exam.txt"; filename*=UTF-8''%E5%AE%A2%E6%9C%8D.txt`, 'x')).toBe('客服.txt');
  });
  it('reads a plain quoted filename and strips directories', () => {
    expect(dispositionFileName('attachment; filename="../a b.gift"', 'x')).toBe('a b.gift');
  });
  it('falls back when there is no name', () => {
    expect(dispositionFileName(null, 'exam.zip')).toBe('exam.zip');
    expect(dispositionFileName('attachment', 'exam.zip')).toBe('exam.zip');
  });
});
