// Sorting the results list by a section's or a tag's score: the keys the
// server takes (section:<id>, tag:<tag>, "-" in front for highest first),
// the choices the latest version offers, and a row's score for the key.

import type { ExamDocument, ResultRow } from './types';

export type PartKind = 'section' | 'tag';

export interface PartChoice {
  kind: PartKind;
  /** The section's id or the tag. */
  name: string;
  /** What the page shows: the section's title or the tag. */
  label: string;
}

export interface PartSort {
  kind: PartKind;
  name: string;
  desc: boolean;
}

/** The sort key of a part, highest first when desc. */
export function partSortKey(c: { kind: PartKind; name: string }, desc: boolean): string {
  return `${desc ? '-' : ''}${c.kind}:${c.name}`;
}

/** Reads a section: or tag: sort key; null for any other (score, name, …). */
export function parsePartSort(sort: string | undefined): PartSort | null {
  if (!sort) return null;
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  for (const kind of ['section', 'tag'] as const) {
    if (key.startsWith(`${kind}:`)) return { kind, name: key.slice(kind.length + 1), desc };
  }
  return null;
}

/**
 * The sections, then the tags, of a version's document, in document order:
 * the tags of its listed questions and of its draws' frozen pools, each
 * once (the questions' tags are what the server sums and accepts).
 */
export function partChoices(doc: ExamDocument | null | undefined): PartChoice[] {
  if (!doc) return [];
  const sections: PartChoice[] = doc.sections.filter((s) => s.id).map((s) => ({ kind: 'section', name: s.id!, label: s.title }));
  const tags: string[] = [];
  const add = (ts: readonly string[] | undefined) => {
    for (const t of ts ?? []) if (!tags.includes(t)) tags.push(t);
  };
  for (const s of doc.sections) {
    for (const q of s.questions) add(q.tags);
    for (const q of s.pool ?? []) add(q.tags);
  }
  return [...sections, ...tags.map((t): PartChoice => ({ kind: 'tag', name: t, label: t }))];
}

/** A row's score on the part sorted by, or undefined when it has none (no score yet, no question of it). */
export function rowPart(row: ResultRow, p: PartSort): { points_awarded: number; max_points: number } | undefined {
  if (p.kind === 'section') return (row.sections ?? []).find((s) => s.section_id === p.name);
  return (row.tags ?? []).find((t) => t.tag === p.name);
}
