import { describe, expect, it } from 'vitest';
import { matchRoute } from './router';

describe('matchRoute', () => {
  it('matches params', () => {
    expect(matchRoute('/exams/:id/results', '/exams/abc-1/results')).toEqual({ id: 'abc-1' });
    expect(matchRoute('/take/:token', '/take/x%2By')).toEqual({ token: 'x+y' });
    expect(matchRoute('/exams', '/exams/')).toEqual({});
    expect(matchRoute('/exams/new', '/exams/new?x=1')).toEqual({});
  });
  it('rejects others', () => {
    expect(matchRoute('/exams/:id', '/exams/a/b')).toBeNull();
    expect(matchRoute('/review', '/reviews')).toBeNull();
  });
});
