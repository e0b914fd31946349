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

/** A countdown bound to one attempt fetch. */
export class Countdown {
  readonly deadline: number;
  readonly offset: number;

  constructor(deadline: string, serverTime: string, localAtReceipt: number) {
    this.deadline = toMs(deadline);
    this.offset = clockOffset(serverTime, localAtReceipt);
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

function toMs(t: string | number | Date): number {
  if (typeof t === 'number') return t;
  if (t instanceof Date) return t.getTime();
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${t}`);
  return ms;
}
