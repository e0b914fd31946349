import { describe, expect, it } from 'vitest';
import { parseInviteLines } from './invites';

describe('parseInviteLines', () => {
  it('reads name, email, track per line', () => {
    const r = parseInviteLines('张三, zhang@example.com, manager\n\nLi Si，li@example.com，supervisor\n', ['manager', 'supervisor']);
    expect(r).toEqual([
      { line: 1, candidate_name: '张三', candidate_email: 'zhang@example.com', track: 'manager' },
      { line: 3, candidate_name: 'Li Si', candidate_email: 'li@example.com', track: 'supervisor' },
    ]);
  });
  it('accepts tabs and email first', () => {
    const r = parseInviteLines('a@b.co\tAnn');
    expect(r[0]).toMatchObject({ candidate_name: 'Ann', candidate_email: 'a@b.co', track: '' });
    expect(r[0].problem).toBeUndefined();
  });
  it('flags problems', () => {
    const r = parseInviteLines('Ann\n, a@b.co\nBob, b@b.co\nCy, c@b.co, nope', ['manager']);
    expect(r.map((l) => l.problem)).toEqual([
      'invite.lineNoEmail',
      'invite.lineNoName',
      'invite.lineNoTrack',
      'invite.lineBadTrack',
    ]);
  });
});
