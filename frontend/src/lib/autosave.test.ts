import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutosaveQueue } from './autosave';
import { ApiError } from './http';

interface Call {
  qid: string;
  value: string;
  seq: number;
  resolve: (seq?: number) => void;
  reject: (e: unknown) => void;
}

/** A save function whose calls the test answers by hand. */
function fakeServer() {
  const calls: Call[] = [];
  const save = (qid: string, value: string, seq: number) =>
    new Promise<{ seq: number }>((res, rej) => {
      calls.push({ qid, value, seq, resolve: (s = seq) => res({ seq: s }), reject: rej });
    });
  return { calls, save };
}

const offline = () => new ApiError(0, 'network', 'Failed to fetch');
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('autosave queue', () => {
  it('raises seq with every change of an answer, per question', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save });
    q.change('q1', 'a');
    expect(srv.calls.map((c) => c.seq)).toEqual([1]);
    srv.calls[0].resolve();
    await settle();
    q.change('q1', 'b');
    q.change('q2', 'x');
    expect(srv.calls.map((c) => [c.qid, c.seq])).toEqual([
      ['q1', 1],
      ['q1', 2],
      ['q2', 1],
    ]);
    expect(q.seq('q1')).toBe(2);
    expect(q.seq('q2')).toBe(1);
  });

  it('continues from the seq the server returned on resume', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save });
    q.init({ q1: { response: 'old', seq: 7 } });
    expect(q.state()).toBe('saved');
    expect(q.value('q1')).toBe('old');
    q.change('q1', 'new');
    expect(srv.calls[0]).toMatchObject({ value: 'new', seq: 8 });
  });

  it('debounces text and sends only the newest value', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save, debounceMs: 500 });
    q.change('e', 'h', { debounce: true });
    q.change('e', 'he', { debounce: true });
    await vi.advanceTimersByTimeAsync(300);
    q.change('e', 'hel', { debounce: true });
    expect(q.state()).toBe('saving');
    await vi.advanceTimersByTimeAsync(499);
    expect(srv.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(srv.calls).toHaveLength(1);
    expect(srv.calls[0]).toMatchObject({ value: 'hel', seq: 3 });
    srv.calls[0].resolve();
    await settle();
    expect(q.state()).toBe('saved');
  });

  it('retries a failed save with backoff and keeps the newest value', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save, backoff: (n) => 1000 * 2 ** (n - 1) });
    q.change('q1', 'a');
    srv.calls[0].reject(offline());
    await settle();
    expect(q.state()).toBe('offline');

    // A newer value typed while offline waits for the retry.
    q.change('q1', 'b');
    expect(srv.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(srv.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(srv.calls).toHaveLength(2);
    expect(srv.calls[1]).toMatchObject({ value: 'b', seq: 2 });
    expect(q.state()).toBe('offline'); // still retrying until a success

    // Second failure: the wait doubles.
    srv.calls[1].reject(new ApiError(503, 'unavailable', 'db down'));
    await settle();
    await vi.advanceTimersByTimeAsync(1999);
    expect(srv.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(srv.calls).toHaveLength(3);
    expect(srv.calls[2]).toMatchObject({ value: 'b', seq: 2 });

    srv.calls[2].resolve();
    await settle();
    expect(q.state()).toBe('saved');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(srv.calls).toHaveLength(3);
  });

  it('does not mark a newer value saved when an older save returns', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save });
    q.change('q1', 'a'); // seq 1 in flight
    q.change('q1', 'b'); // seq 2 waits for it
    expect(srv.calls).toHaveLength(1);
    srv.calls[0].resolve(1);
    await settle();
    expect(q.questionState('q1')).toBe('saving');
    expect(q.state()).toBe('saving');
    expect(srv.calls).toHaveLength(2);
    expect(srv.calls[1]).toMatchObject({ value: 'b', seq: 2 });
    srv.calls[1].resolve(2);
    await settle();
    expect(q.state()).toBe('saved');
  });

  it('stops retrying on 409 and reports the closed state', async () => {
    const srv = fakeServer();
    const onClosed = vi.fn();
    const q = new AutosaveQueue<string>({ save: srv.save, onClosed });
    q.change('q1', 'a');
    srv.calls[0].reject(offline());
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    expect(srv.calls).toHaveLength(2);
    srv.calls[1].reject(new ApiError(409, 'deadline_passed', 'too late'));
    await settle();
    expect(q.state()).toBe('closed');
    expect(onClosed).toHaveBeenCalledWith('deadline_passed');
    await vi.advanceTimersByTimeAsync(120_000);
    q.change('q1', 'b');
    q.change('q2', 'c');
    expect(srv.calls).toHaveLength(2);
    expect(q.state()).toBe('closed');
  });

  it('treats attempt_submitted the same way', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save });
    q.change('q1', 'a');
    srv.calls[0].reject(new ApiError(409, 'attempt_submitted', 'submitted'));
    await settle();
    expect(q.closed).toBe('attempt_submitted');
  });

  it('does not retry a refused value (422) but tries again on the next change', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save });
    q.change('q1', 'bad');
    srv.calls[0].reject(new ApiError(422, 'validation_failed', 'nope'));
    await settle();
    expect(q.state()).toBe('error');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(srv.calls).toHaveLength(1);
    q.change('q1', 'good');
    expect(srv.calls[1]).toMatchObject({ value: 'good', seq: 2 });
    srv.calls[1].resolve();
    await settle();
    expect(q.state()).toBe('saved');
  });

  it('counts waiting and refused questions apart, never as saved', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save });
    q.init({ done: { response: 'x', seq: 1 } });
    q.change('q1', 'a');
    q.change('q2', 'b');
    q.change('q3', 'c');
    expect(q.counts()).toEqual({ waiting: 3, failed: 0 });
    srv.calls[0].reject(offline());
    srv.calls[1].reject(new ApiError(422, 'validation_failed', 'nope'));
    srv.calls[2].resolve();
    await settle();
    expect(q.questionState('q1')).toBe('offline');
    expect(q.questionState('q2')).toBe('error');
    expect(q.questionState('q3')).toBe('saved');
    expect(q.counts()).toEqual({ waiting: 1, failed: 1 });
    q.dispose();
  });

  it('goes above a higher seq stored by another tab', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save });
    q.init({ q1: { response: 'x', seq: 3 } });
    q.change('q1', 'mine'); // seq 4
    srv.calls[0].resolve(6); // the server already had seq 6 from another tab
    await settle();
    expect(srv.calls[1]).toMatchObject({ value: 'mine', seq: 7 });
    srv.calls[1].resolve(7);
    await settle();
    expect(q.state()).toBe('saved');
  });

  it('flushAll sends pending debounced text at once and waits for it', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save, debounceMs: 5000 });
    q.change('e', 'essay', { debounce: true });
    const done = q.flushAll();
    expect(srv.calls).toHaveLength(1);
    srv.calls[0].resolve();
    await expect(done).resolves.toBe(true);
  });

  it('retryNow skips the backoff wait', async () => {
    const srv = fakeServer();
    const q = new AutosaveQueue<string>({ save: srv.save, backoff: () => 30_000 });
    q.change('q1', 'a');
    srv.calls[0].reject(offline());
    await settle();
    q.retryNow();
    expect(srv.calls).toHaveLength(2);
  });
});
