import { afterEach, describe, expect, it, vi } from 'vitest';
import { Countdown, RESYNC_MS, clockOffset, formatRemaining, remainingMs, resyncEvery } from './countdown';

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

describe('following the server', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a deadline moved on the server reaches the countdown within 30 s, without a reload', async () => {
    vi.useFakeTimers();
    expect(RESYNC_MS).toBeLessThanOrEqual(30_000);
    let local = at('10:00:00');
    const c = new Countdown('2026-03-01T10:10:00Z', '2026-03-01T10:00:00Z', local);
    expect(c.label(local)).toBe('10:00');
    let serverDeadline = '2026-03-01T10:10:00Z';
    const read = vi.fn(async () => ({ deadline: serverDeadline, server_time: new Date(local).toISOString() }));
    const moves: boolean[] = [];
    const stop = resyncEvery(read, (a, rx) => moves.push(c.sync(a.deadline, a.server_time, rx)), RESYNC_MS, () => local);

    // An accommodation: 15 more minutes, five seconds in.
    local += 5_000;
    await vi.advanceTimersByTimeAsync(5_000);
    serverDeadline = '2026-03-01T10:25:00Z';
    local += RESYNC_MS - 5_000;
    await vi.advanceTimersByTimeAsync(RESYNC_MS - 5_000);
    expect(read).toHaveBeenCalledTimes(1);
    expect(moves).toEqual([true]);
    expect(c.label(local)).toBe('24:40');

    // A failing read changes nothing; a later one comes all the same.
    read.mockRejectedValueOnce(new Error('offline'));
    local += RESYNC_MS;
    await vi.advanceTimersByTimeAsync(RESYNC_MS);
    expect(c.label(local)).toBe('24:20');
    local += RESYNC_MS;
    await vi.advanceTimersByTimeAsync(RESYNC_MS);
    expect(read).toHaveBeenCalledTimes(3);
    expect(moves).toEqual([true, false]);

    stop();
    await vi.advanceTimersByTimeAsync(5 * RESYNC_MS);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('a save answer carrying the deadline moves it, keeping the clock offset', () => {
    const local = at('10:05:00'); // five minutes ahead of the server
    const c = new Countdown('2026-03-01T10:10:00Z', '2026-03-01T10:00:00Z', local);
    expect(c.sync('2026-03-01T10:20:00Z', null, local + 1000)).toBe(true);
    expect(c.offset).toBe(-5 * 60 * 1000);
    expect(c.label(local)).toBe('20:00');
    expect(c.sync('2026-03-01T10:20:00Z', null, local + 2000)).toBe(false);
  });
});
