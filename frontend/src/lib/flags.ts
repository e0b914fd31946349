// Questions the candidate flagged for review ("come back to this"), kept in
// the browser per attempt so they survive a reload. Only the candidate sees
// them; the server never does.

import type { KeyValueStore } from './http';

const prefix = 'examd.flags.';

export class FlagStore {
  private flags: Set<string>;

  constructor(
    private readonly store: KeyValueStore,
    private readonly attemptId: string,
  ) {
    this.flags = new Set(read(store, prefix + attemptId));
  }

  has(qid: string): boolean {
    return this.flags.has(qid);
  }

  /** Flags or unflags a question; returns whether it is flagged now. */
  toggle(qid: string): boolean {
    if (this.flags.has(qid)) this.flags.delete(qid);
    else this.flags.add(qid);
    try {
      this.store.setItem(prefix + this.attemptId, JSON.stringify([...this.flags]));
    } catch {
      // storage full or refused: the flag lasts until the page closes
    }
    return this.flags.has(qid);
  }

  get size(): number {
    return this.flags.size;
  }
}

function read(store: KeyValueStore, key: string): string[] {
  try {
    const v: unknown = JSON.parse(store.getItem(key) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
