// The candidate's countdown. The device clock may be wrong by minutes, so
// remaining time is measured on the server's clock: at each attempt fetch we
// note offset = server_time − local clock at receipt, and from then on
// "server now" = local now + offset.

/** Milliseconds to add to the local clock to get the server's. */
export function clockOffset(serverTime: string | number | Date, localAtReceipt: number): number {
  return toMs(serverTime) - localAtReceipt;
}

/** Milliseconds left until the deadline on the server's clock, never below 0. */
export function remainingMs(deadline: string | number | Date, offset: number, localNow: number): number {
  return Math.max(0, toMs(deadline) - (localNow + offset));
}

/**
 * "m:ss", or "h:mm:ss" from one hour. Seconds are rounded up, so the display
 * reads 0:00 only once the time is really over.
 */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${ss}`;
  return `${m}:${ss}`;
}

/**
 * A countdown on the server's clock. It starts from one attempt fetch and
 * follows later readings: a deadline moved while the attempt runs (an
 * accommodation) and, with a server time, a new clock offset.
 */
export class Countdown {
  deadline: number;
  offset: number;

  constructor(deadline: string, serverTime: string, localAtReceipt: number) {
    this.deadline = toMs(deadline);
    this.offset = clockOffset(serverTime, localAtReceipt);
  }

  /** Takes a newer reading of the server; true when the deadline moved. */
  sync(deadline: string, serverTime: string | null, localAtReceipt: number): boolean {
    const d = toMs(deadline);
    const moved = d !== this.deadline;
    this.deadline = d;
    if (serverTime) this.offset = clockOffset(serverTime, localAtReceipt);
    return moved;
  }

  remaining(localNow: number): number {
    return remainingMs(this.deadline, this.offset, localNow);
  }

  label(localNow: number): string {
    return formatRemaining(this.remaining(localNow));
  }

  expired(localNow: number): boolean {
    return this.remaining(localNow) <= 0;
  }
}

/** How often the page asks the server for the deadline, at most 30 s apart. */
export const RESYNC_MS = 20_000;

/**
 * Asks read() every intervalMs and hands each answer to apply, with the
 * local time of receipt; a failed read is skipped (the next one comes). An
 * answer that arrives after stop() is dropped. Returns stop.
 */
export function resyncEvery<A>(
  read: () => Promise<A>,
  apply: (answer: A, localAtReceipt: number) => void,
  intervalMs: number = RESYNC_MS,
  localNow: () => number = Date.now,
): () => void {
  let stopped = false;
  let busy = false;
  const tick = () => {
    if (busy || stopped) return;
    busy = true;
    read().then(
      (a) => {
        busy = false;
        if (!stopped) apply(a, localNow());
      },
      () => {
        busy = false;
      },
    );
  };
  const h = setInterval(tick, intervalMs);
  return () => {
    stopped = true;
    clearInterval(h);
  };
}

function toMs(t: string | number | Date): number {
  if (typeof t === 'number') return t;
  if (t instanceof Date) return t.getTime();
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${t}`);
  return ms;
}
