import { describe, expect, it } from 'vitest';
import { PresenceTracker } from './presence';

describe('PresenceTracker', () => {
  it('reports one departure and one return however many signals come', () => {
    const got: string[] = [];
    const p = new PresenceTracker((t) => got.push(t));
    p.returned(); // already here: nothing
    p.left();
    p.left(); // hidden and blurred: one departure
    expect(p.current).toBe('away');
    p.returned();
    p.returned();
    expect(got).toEqual(['blur', 'focus']);
  });
});
