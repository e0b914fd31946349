import { describe, expect, it } from 'vitest';
import { FlagStore } from './flags';
import { MemoryStore } from './http';

describe('FlagStore', () => {
  it('keeps flags per attempt across a reload', () => {
    const store = new MemoryStore();
    const a = new FlagStore(store, 'attempt-1');
    expect(a.toggle('q2')).toBe(true);
    expect(a.toggle('q5')).toBe(true);
    expect(a.toggle('q2')).toBe(false);

    const reloaded = new FlagStore(store, 'attempt-1');
    expect(reloaded.has('q5')).toBe(true);
    expect(reloaded.has('q2')).toBe(false);
    expect(reloaded.size).toBe(1);
    expect(new FlagStore(store, 'attempt-2').size).toBe(0);
  });

  it('survives garbage in storage', () => {
    const store = new MemoryStore();
    store.setItem('examd.flags.x', '{not json');
    expect(new FlagStore(store, 'x').size).toBe(0);
    store.setItem('examd.flags.y', '["a", 3, null]');
    expect(new FlagStore(store, 'y').has('a')).toBe(true);
  });
});
