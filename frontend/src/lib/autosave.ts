// The candidate's autosave queue, one lane per question.
//
// Every change of an answer raises that question's `seq`; the server keeps
// the value with the highest seq, so a late, stale save can never overwrite a
// newer one. Here we make sure that:
//   - text is debounced, clicks are sent at once;
//   - at most one save per question is in flight; when it returns, whatever
//     changed meanwhile is sent next (a reply for an older seq never marks a
//     newer value saved);
//   - a save that fails for a transient reason (offline, 5xx, 429) is retried
//     with exponential backoff, always with the newest value;
//   - a 409 deadline_passed / attempt_submitted closes the queue for good.

import { ApiError } from './http';

export type SaveState = 'saved' | 'saving' | 'offline' | 'error' | 'closed';

export type SaveFn<R> = (questionId: string, response: R, seq: number) => Promise<{ seq: number }>;

export interface AutosaveOptions<R> {
  save: SaveFn<R>;
  /** Quiet time before a debounced change is sent. */
  debounceMs?: number;
  /** Delay before retry number `attempt` (1, 2, …). */
  backoff?: (attempt: number) => number;
  /** Called once when the server refuses saves for good (409). */
  onClosed?: (code: string) => void;
}

interface Lane<R> {
  /** seq of the newest local value */
  seq: number;
  value: R | undefined;
  /** highest seq the server has answered for */
  confirmed: number;
  inFlight: number | null;
  /** a debounce or retry timer */
  timer: ReturnType<typeof setTimeout> | null;
  timerKind: 'debounce' | 'retry' | null;
  /** send as soon as the request in flight returns */
  again: boolean;
  failures: number;
  error: unknown;
}

export const defaultBackoff = (attempt: number): number => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/** A 409 that means no save will ever be accepted again. */
export function closingCode(err: unknown): string | null {
  if (err instanceof ApiError && err.status === 409 && (err.code === 'deadline_passed' || err.code === 'attempt_submitted')) {
    return err.code;
  }
  return null;
}

function transient(err: unknown): boolean {
  if (err instanceof ApiError) return err.isTransient;
  return true; // an unknown failure (e.g. fetch threw something odd): try again
}

export class AutosaveQueue<R> {
  private lanes = new Map<string, Lane<R>>();
  private listeners = new Set<() => void>();
  private closedCode: string | null = null;
  private readonly opts: Required<Omit<AutosaveOptions<R>, 'onClosed'>> & Pick<AutosaveOptions<R>, 'onClosed'>;

  constructor(opts: AutosaveOptions<R>) {
    this.opts = { debounceMs: 800, backoff: defaultBackoff, ...opts };
  }

  /** Seeds the queue with the answers the server holds (resume). */
  init(responses: Record<string, { response: R; seq: number }>): void {
    for (const [qid, r] of Object.entries(responses)) {
      const l = this.lane(qid);
      if (r.seq >= l.seq) {
        l.seq = r.seq;
        l.value = r.response;
      }
      l.confirmed = Math.max(l.confirmed, r.seq);
    }
    this.emit();
  }

  /** Records a new value of an answer and schedules its save. */
  change(qid: string, value: R, opts: { debounce?: boolean } = {}): void {
    if (this.closedCode) return;
    const l = this.lane(qid);
    l.seq += 1;
    l.value = value;
    l.error = null;
    if (l.timerKind === 'retry') {
      // Offline: the retry will carry this newest value.
    } else if (opts.debounce) {
      this.clearTimer(l);
      l.timer = setTimeout(() => {
        l.timer = null;
        l.timerKind = null;
        this.flush(qid);
      }, this.opts.debounceMs);
      l.timerKind = 'debounce';
    } else {
      this.clearTimer(l);
      this.flush(qid);
    }
    this.emit();
  }

  /** Sends a question's newest value now (or right after the save in flight). */
  flush(qid: string): void {
    if (this.closedCode) return;
    const l = this.lanes.get(qid);
    if (!l) return;
    if (l.timerKind === 'debounce') this.clearTimer(l);
    if (l.inFlight !== null) {
      l.again = true;
      return;
    }
    if (l.confirmed >= l.seq || l.value === undefined) return;
    this.send(qid, l);
  }

  /** Retries every failing save at once (e.g. the browser came back online). */
  retryNow(): void {
    for (const [qid, l] of this.lanes) {
      if (l.timerKind === 'retry') {
        this.clearTimer(l);
        this.flush(qid);
      }
    }
  }

  /**
   * Sends everything pending now and resolves once nothing is pending:
   * true when all is saved, false when closed, failing or timed out.
   */
  flushAll(timeoutMs = 10_000): Promise<boolean> {
    for (const [qid, l] of this.lanes) {
      if (l.timerKind) this.clearTimer(l);
      if (l.confirmed < l.seq) this.flush(qid);
    }
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(t);
        unsub();
        resolve(v);
      };
      const check = () => {
        const s = this.state();
        if (s === 'saved') finish(true);
        else if (s === 'closed' || s === 'error') finish(false);
      };
      const t = setTimeout(() => finish(false), timeoutMs);
      const unsub = this.subscribe(check);
      check();
    });
  }

  /** Stops all saving: the server said no more (or the attempt is over). */
  close(code: string): void {
    if (this.closedCode) return;
    this.closedCode = code;
    for (const l of this.lanes.values()) this.clearTimer(l);
    this.emit();
    this.opts.onClosed?.(code);
  }

  get closed(): string | null {
    return this.closedCode;
  }

  value(qid: string): R | undefined {
    return this.lanes.get(qid)?.value;
  }

  seq(qid: string): number {
    return this.lanes.get(qid)?.seq ?? 0;
  }

  questionState(qid: string): SaveState {
    if (this.closedCode) return 'closed';
    const l = this.lanes.get(qid);
    if (!l) return 'saved';
    if (l.error) return 'error';
    if (l.confirmed >= l.seq) return 'saved';
    if (l.timerKind === 'retry' || l.failures > 0) return 'offline';
    return 'saving';
  }

  /** The page's indicator: the worst state of any question. */
  state(): SaveState {
    if (this.closedCode) return 'closed';
    let s: SaveState = 'saved';
    for (const qid of this.lanes.keys()) {
      const q = this.questionState(qid);
      if (q === 'offline') return 'offline';
      if (q === 'error') s = 'error';
      else if (q === 'saving' && s === 'saved') s = 'saving';
    }
    return s;
  }

  /**
   * How many questions wait for their newest value to be saved (queued, in
   * flight or retrying) and how many were refused by the server: what the
   * header shows, so it never claims more than the server holds.
   */
  counts(): { waiting: number; failed: number } {
    let waiting = 0;
    let failed = 0;
    if (this.closedCode) return { waiting, failed };
    for (const qid of this.lanes.keys()) {
      const q = this.questionState(qid);
      if (q === 'error') failed += 1;
      else if (q === 'saving' || q === 'offline') waiting += 1;
    }
    return { waiting, failed };
  }

  /** The error of a question whose save was refused (e.g. 422). */
  error(qid: string): unknown {
    return this.lanes.get(qid)?.error ?? null;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  dispose(): void {
    for (const l of this.lanes.values()) this.clearTimer(l);
    this.listeners.clear();
  }

  private lane(qid: string): Lane<R> {
    let l = this.lanes.get(qid);
    if (!l) {
      l = {
        seq: 0,
        value: undefined,
        confirmed: 0,
        inFlight: null,
        timer: null,
        timerKind: null,
        again: false,
        failures: 0,
        error: null,
      };
      this.lanes.set(qid, l);
    }
    return l;
  }

  private clearTimer(l: Lane<R>): void {
    if (l.timer !== null) clearTimeout(l.timer);
    l.timer = null;
    l.timerKind = null;
  }

  private send(qid: string, l: Lane<R>): void {
    const seq = l.seq;
    const value = l.value as R;
    l.inFlight = seq;
    l.again = false;
    let p: Promise<{ seq: number }>;
    try {
      p = this.opts.save(qid, value, seq);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (res) => this.succeeded(qid, l, seq, res),
      (err) => this.failed(qid, l, err),
    );
  }

  private succeeded(qid: string, l: Lane<R>, sent: number, res: { seq: number }): void {
    l.inFlight = null;
    l.failures = 0;
    if (l.timerKind === 'retry') this.clearTimer(l);
    const stored = typeof res?.seq === 'number' ? res.seq : sent;
    if (stored > sent && l.seq <= stored) {
      // The server holds a higher seq (another tab wrote it): our value, the
      // one typed here last, was not applied. Go above it and send again.
      l.seq = stored + 1;
    }
    l.confirmed = Math.max(l.confirmed, sent);
    if (!this.closedCode && l.confirmed < l.seq && (l.again || l.timerKind === null)) {
      if (l.timerKind) this.clearTimer(l);
      this.send(qid, l);
    }
    this.emit();
  }

  private failed(qid: string, l: Lane<R>, err: unknown): void {
    l.inFlight = null;
    const code = closingCode(err);
    if (code) {
      this.close(code);
      return;
    }
    if (this.closedCode) return;
    if (transient(err)) {
      l.failures += 1;
      this.clearTimer(l);
      l.timer = setTimeout(() => {
        l.timer = null;
        // keep timerKind 'retry' out of the way so flush sends
        l.timerKind = null;
        this.retryLane(qid, l);
      }, this.opts.backoff(l.failures));
      l.timerKind = 'retry';
    } else {
      l.error = err;
      l.again = false;
    }
    this.emit();
  }

  private retryLane(qid: string, l: Lane<R>): void {
    if (this.closedCode) return;
    if (l.inFlight !== null) return;
    if (l.confirmed >= l.seq) {
      this.emit();
      return;
    }
    this.send(qid, l);
    this.emit();
  }

  private emit(): void {
    for (const fn of [...this.listeners]) fn();
  }
}
