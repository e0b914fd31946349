// The integrity events of an attempt as a timeline for the recruiter: a
// `blur` and the `focus` that follows it become one entry, "away for N s",
// so the page shows how long the candidate was gone rather than two raw
// events. Times are the server's (when it received each event).

export interface RawEvent {
  type: string;
  at: string;
  client_address?: string;
}

export type TimelineEntry =
  | { kind: 'away'; at: string; back: string | null; seconds: number | null; client_address?: string }
  | { kind: 'event'; type: string; at: string; client_address?: string };

/** Pairs blur→focus into "away" entries; other events stay as they are. */
export function buildTimeline(events: RawEvent[]): TimelineEntry[] {
  const sorted = [...events].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  const out: TimelineEntry[] = [];
  let open: Extract<TimelineEntry, { kind: 'away' }> | null = null;
  for (const e of sorted) {
    if (e.type === 'blur') {
      if (open) continue; // already away: a second blur adds nothing
      open = { kind: 'away', at: e.at, back: null, seconds: null, client_address: e.client_address };
      out.push(open);
    } else if (e.type === 'focus' && open) {
      open.back = e.at;
      open.seconds = Math.max(0, Math.round((Date.parse(e.at) - Date.parse(open.at)) / 1000));
      open = null;
    } else if (e.type === 'focus') {
      // A focus without a blur before it tells nothing: skip it.
    } else {
      out.push({ kind: 'event', type: e.type, at: e.at, client_address: e.client_address });
    }
  }
  return out;
}

/** Total seconds away over the entries that have a return. */
export function totalAway(entries: TimelineEntry[]): number {
  return entries.reduce((n, e) => n + (e.kind === 'away' && e.seconds !== null ? e.seconds : 0), 0);
}

/** "12 s", "3 min 5 s" (English) or "12 秒", "3 分 5 秒" (Chinese). */
export function formatDuration(seconds: number, lang: string): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (lang.startsWith('zh')) return m ? `${m} 分${s ? ` ${s} 秒` : ''}` : `${s} 秒`;
  return m ? `${m} min${s ? ` ${s} s` : ''}` : `${s} s`;
}
