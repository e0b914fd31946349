import { describe, expect, it } from 'vitest';
import { buildTimeline, formatDuration, totalAway } from './timeline';

describe('buildTimeline', () => {
  it('pairs a blur with the next focus into one away entry', () => {
    const tl = buildTimeline([
      { type: 'focus', at: '2026-12-01T10:00:00Z' },
      { type: 'blur', at: '2026-12-01T10:01:00Z' },
      { type: 'blur', at: '2026-12-01T10:01:03Z' },
      { type: 'focus', at: '2026-12-01T10:01:12Z' },
      { type: 'paste', at: '2026-12-01T10:02:00Z' },
      { type: 'blur', at: '2026-12-01T10:05:00Z' },
    ]);
    expect(tl).toEqual([
      { kind: 'away', at: '2026-12-01T10:01:00Z', back: '2026-12-01T10:01:12Z', seconds: 12, client_address: undefined },
      { kind: 'event', type: 'paste', at: '2026-12-01T10:02:00Z', client_address: undefined },
      { kind: 'away', at: '2026-12-01T10:05:00Z', back: null, seconds: null, client_address: undefined },
    ]);
    expect(totalAway(tl)).toBe(12);
  });

  it('orders by time whatever order the events come in', () => {
    const tl = buildTimeline([
      { type: 'focus', at: '2026-12-01T10:00:30Z' },
      { type: 'blur', at: '2026-12-01T10:00:00Z' },
    ]);
    expect(tl).toHaveLength(1);
    expect(tl[0]).toMatchObject({ kind: 'away', seconds: 30 });
  });
});

describe('formatDuration', () => {
  it('speaks both languages', () => {
    expect(formatDuration(12, 'zh-CN')).toBe('12 秒');
    expect(formatDuration(185, 'zh-CN')).toBe('3 分 5 秒');
    expect(formatDuration(120, 'en')).toBe('2 min');
    expect(formatDuration(7, 'en')).toBe('7 s');
  });
});
