import { describe, expect, it } from 'vitest';
import { charCount, LIMITS } from './limits';

describe('charCount', () => {
  it('counts characters as the server does, not UTF-16 units', () => {
    expect(charCount('')).toBe(0);
    expect(charCount('客户服务经理')).toBe(6);
    expect(charCount('😀a')).toBe(2);
    expect('😀a'.length).toBe(3);
  });
  it('has the limits the contract names', () => {
    expect(LIMITS.email).toBe(254);
    expect(LIMITS.personName).toBe(200);
    expect(LIMITS.prompt).toBe(20000);
  });
});
