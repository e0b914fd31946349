import { describe, expect, it } from 'vitest';
import { isEmail, parseInvites, remainingText, splitCells } from './invites';

const tracks = ['manager', 'supervisor'];
const pick = (text: string, tr: string[] = tracks) =>
  parseInvites(text, tr).lines.map((l) => [l.line, l.candidate_name, l.candidate_email, l.track, l.problem?.key ?? 'ok']);

describe('splitCells', () => {
  it('takes tabs as a spreadsheet row, keeping commas inside cells', () => {
    expect(splitCells('Zhou, Jie\tz@example.com\tmanager').cells).toEqual(['Zhou, Jie', 'z@example.com', 'manager']);
  });
  it('splits on commas, full-width commas and semicolons', () => {
    expect(splitCells('张三，zhang@example.com；manager').cells).toEqual(['张三', 'zhang@example.com', 'manager']);
    expect(splitCells(' Ann , a@b.co ,supervisor ').cells).toEqual(['Ann', 'a@b.co', 'supervisor']);
  });
  it('reads quoted CSV cells with commas and doubled quotes inside', () => {
    expect(splitCells('"Li, Si",li@example.com,manager').cells).toEqual(['Li, Si', 'li@example.com', 'manager']);
    expect(splitCells('"Bob ""the builder"" Lee", bob@example.com').cells).toEqual(['Bob "the builder" Lee', 'bob@example.com']);
  });
  it('splits on white space when nothing else separates', () => {
    expect(splitCells('张三  zhang@example.com manager')).toEqual({ cells: ['张三', 'zhang@example.com', 'manager'], spaced: true });
  });
});

describe('isEmail', () => {
  it('wants local@domain.tld without spaces or angle brackets', () => {
    expect(isEmail('zhoujie@example.com')).toBe(true);
    expect(isEmail('zhoujie@example')).toBe(false);
    expect(isEmail('zhoujie@.com')).toBe(false);
    expect(isEmail('<a>@x.test')).toBe(false);
    expect(isEmail('a b@x.test')).toBe(false);
    expect(isEmail(`${'a'.repeat(250)}@x.test`)).toBe(false);
  });
});

describe('parseInvites', () => {
  it('reads name, email, track per line, in every separator, numbering lines of the box', () => {
    const text = [
      '张三, zhang@example.com, manager',
      '',
      'Li Si，li@example.com，supervisor',
      '王五\twang@example.com\tmanager',
      'Zhao Liu zhao@example.com Supervisor',
      '"Qian, Qi";qian@example.com;manager',
    ].join('\n');
    expect(pick(text)).toEqual([
      [1, '张三', 'zhang@example.com', 'manager', 'ok'],
      [3, 'Li Si', 'li@example.com', 'supervisor', 'ok'],
      [4, '王五', 'wang@example.com', 'manager', 'ok'],
      [5, 'Zhao Liu', 'zhao@example.com', 'supervisor', 'ok'],
      [6, 'Qian, Qi', 'qian@example.com', 'manager', 'ok'],
    ]);
  });

  it('takes the email first too', () => {
    expect(pick('a@b.co, Ann, manager\nb@b.co Bo Li supervisor\nc@b.co\tCy', tracks)).toEqual([
      [1, 'Ann', 'a@b.co', 'manager', 'ok'],
      [2, 'Bo Li', 'b@b.co', 'supervisor', 'ok'],
      [3, 'Cy', 'c@b.co', '', 'invites.trackMissing'],
    ]);
  });

  it('calls an address without a domain invalid, not missing, and names it', () => {
    const p = parseInvites('周杰, zhoujie@example, manager\n周杰, , manager\n周杰, 13800138000, manager', tracks);
    expect(p.lines.map((l) => l.problem)).toEqual([
      { key: 'invites.emailInvalid', params: { email: 'zhoujie@example' } },
      { key: 'invites.emailMissing' },
      { key: 'invites.emailInvalid', params: { email: '13800138000' } },
    ]);
  });

  it('flags a missing name, a missing or unknown track, and long names', () => {
    const long = 'x'.repeat(201);
    expect(pick(`, a@b.co, manager\nBob, b@b.co\nCy, c@b.co, nope\n${long}, d@b.co, manager`).map((r) => r[4])).toEqual([
      'invites.nameMissing',
      'invites.trackMissing',
      'invites.trackUnknown',
      'invites.nameTooLong',
    ]);
    expect(parseInvites('Cy, c@b.co, nope', tracks).lines[0].problem?.params).toEqual({ track: 'nope', tracks: 'manager, supervisor' });
  });

  it('needs no track when the exam has none', () => {
    expect(pick('Ann, a@b.co', [])).toEqual([[1, 'Ann', 'a@b.co', '', 'ok']]);
  });

  it('flags an email given again, naming the first line, case aside', () => {
    const p = parseInvites('Ann, ann@b.co, manager\nBob, bob@b.co, manager\nAnn again, ANN@b.co, supervisor', tracks);
    expect(p.lines.map((l) => l.problem ?? null)).toEqual([null, null, { key: 'invites.duplicate', params: { line: 1 } }]);
  });

  it('flags an email that already has an invitation', () => {
    const p = parseInvites('Ann, Ann@B.co, manager\nBob, bob@b.co, manager', tracks, ['ann@b.co']);
    expect(p.lines.map((l) => l.problem?.key ?? null)).toEqual(['invites.alreadyInvited', null]);
  });

  it('recognises and skips a header row copied from a spreadsheet, in either language', () => {
    for (const header of ['姓名\t邮箱\t岗位', 'name,email,track', '姓名 邮箱 岗位', 'Name, E-mail, Position', '"姓名","邮箱","岗位类别"']) {
      const sep = header.includes('\t') ? '\t' : header.includes(',') ? ',' : ' ';
      const p = parseInvites(`${header}\n张三${sep}zhang@example.com${sep}manager`, tracks);
      expect(p.header, header).toBe(1);
      expect(p.lines.map((l) => [l.line, l.candidate_name, l.problem ?? null]), header).toEqual([[2, '张三', null]]);
    }
  });

  it('follows the header’s column order and ignores columns it does not know', () => {
    const p = parseInvites('邮箱\t电话\t岗位\t姓名\nzhang@example.com\t13800138000\tsupervisor\t张三', tracks);
    expect(p.lines[0]).toMatchObject({ candidate_name: '张三', candidate_email: 'zhang@example.com', track: 'supervisor' });
    expect(p.lines[0].problem).toBeUndefined();
  });

  it('does not take a candidate line for a header', () => {
    expect(parseInvites('Track, track@example.com, manager', tracks).header).toBeUndefined();
    expect(parseInvites('Name', tracks).header).toBeUndefined();
  });

  it('skips blank lines and # comments, also with Windows line ends', () => {
    expect(pick('# invited on Monday\r\n\r\nAnn, a@b.co, manager\r\n')).toEqual([[3, 'Ann', 'a@b.co', 'manager', 'ok']]);
  });
});

describe('remainingText', () => {
  it('drops the invited lines and keeps the rest with the header', () => {
    const text = '姓名\t邮箱\t岗位\nA\ta@b.co\tmanager\nB\tb@b\tmanager\n\nC\tc@b.co\tmanager';
    const p = parseInvites(text, tracks);
    expect(remainingText(text, p, new Set([2]))).toBe('姓名\t邮箱\t岗位\nB\tb@b\tmanager\nC\tc@b.co\tmanager');
    expect(remainingText(text, p, new Set([2, 3, 5]))).toBe('');
  });
});
