import { describe, expect, it } from 'vitest';
import { Countdown, clockOffset, formatRemaining, remainingMs } from './countdown';

const at = (hms: string) => Date.parse(`2026-03-01T${hms}Z`);

describe('countdown from the server clock', () => {
  it('ignores a local clock five minutes ahead', () => {
    // The server says 10:00:00 with a deadline at 10:01:30; the device reads 10:05:00.
    const local = at('10:05:00');
    const c = new Countdown('2026-03-01T10:01:30Z', '2026-03-01T10:00:00Z', local);
    expect(c.offset).toBe(-5 * 60 * 1000);
    expect(c.label(local)).toBe('1:30');
    expect(c.label(local + 1000)).toBe('1:29');
    expect(c.label(local + 60_000)).toBe('0:30');
    expect(c.expired(local + 89_000)).toBe(false);
    expect(c.label(local + 90_000)).toBe('0:00');
    expect(c.expired(local + 90_000)).toBe(true);
  });

  it('ignores a local clock behind the server', () => {
    const local = at('09:00:00');
    const c = new Countdown('2026-03-01T10:01:30Z', '2026-03-01T10:00:00Z', local);
    expect(c.label(local)).toBe('1:30');
    expect(c.remaining(local + 30_000)).toBe(60_000);
  });

  it('clamps at zero', () => {
    const off = clockOffset('2026-03-01T10:00:00Z', at('10:00:00'));
    expect(remainingMs('2026-03-01T10:00:10Z', off, at('10:00:30'))).toBe(0);
    expect(formatRemaining(-5000)).toBe('0:00');
  });

  it('formats', () => {
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(400)).toBe('0:01'); // rounds up
    expect(formatRemaining(59_000)).toBe('0:59');
    expect(formatRemaining(60_000)).toBe('1:00');
    expect(formatRemaining(5400_000)).toBe('1:30:00');
    expect(formatRemaining(3600_000 + 5_000)).toBe('1:00:05');
  });

  it('a deadline already past at receipt shows 0:00', () => {
    const c = new Countdown('2026-03-01T09:59:00Z', '2026-03-01T10:00:00Z', at('12:00:00'));
    expect(c.label(at('12:00:00'))).toBe('0:00');
  });
});
