// Competency arithmetic of the positions pages, computed in the browser from
// what the API gives: the blueprint of a position (how many questions and
// points of its exams carry each tag) from the exams' documents, and the
// cohort's mean per tag from the ranking's per-tag scores.

import { questionMax } from './examModel';
import type { Draw, ExamDocument, TagScore } from './types';

export interface BlueprintRow {
  tag: string;
  questions: number;
  points: number;
  /** points ÷ the exams' points in all, 0–1 (a question with two tags counts for both). */
  share: number;
}

export interface Blueprint {
  rows: BlueprintRow[];
  /** Points of every question, tagged or not. */
  total: number;
  /** Questions without a tag. */
  untagged: number;
}

/**
 * The blueprint of some exams. A draw section counts as `count` questions
 * credited to each of its tags, each worth `drawPoints(draw)` (the pool's
 * common maximum, which the page looks up in the bank; 0 when unknown).
 */
export function blueprint(docs: ExamDocument[], drawPoints: (d: Draw) => number = () => 0): Blueprint {
  const by = new Map<string, BlueprintRow>();
  let total = 0;
  let untagged = 0;
  const credit = (tags: string[], questions: number, points: number) => {
    total += points;
    if (tags.length === 0) untagged += questions;
    for (const tag of new Set(tags)) {
      const r = by.get(tag) ?? { tag, questions: 0, points: 0, share: 0 };
      r.questions += questions;
      r.points += points;
      by.set(tag, r);
    }
  };
  for (const d of docs) {
    for (const s of d.sections) {
      for (const q of s.questions) credit(q.tags ?? [], 1, questionMax(q));
      if (s.draw && s.draw.count > 0) credit(s.draw.tags ?? [], s.draw.count, s.draw.count * drawPoints(s.draw));
    }
  }
  const rows = [...by.values()].map((r) => ({ ...r, share: total > 0 ? r.points / total : 0 }));
  rows.sort((a, b) => b.points - a.points || b.questions - a.questions || a.tag.localeCompare(b.tag));
  return { rows, total, untagged };
}

/** A per-tag score as a percentage of its maximum; null when nothing counted yet. */
export function tagPercent(t: TagScore): number | null {
  return t.max_points > 0 ? (100 * t.points_awarded) / t.max_points : null;
}

/** The mean percentage per tag over attempts (each attempt that has the tag counted once). */
export function cohortMeans(rows: { tags: TagScore[] }[]): Map<string, number> {
  const sum = new Map<string, { s: number; n: number }>();
  for (const r of rows) {
    for (const t of r.tags) {
      const p = tagPercent(t);
      if (p === null) continue;
      const a = sum.get(t.tag) ?? { s: 0, n: 0 };
      a.s += p;
      a.n += 1;
      sum.set(t.tag, a);
    }
  }
  return new Map([...sum].map(([k, v]) => [k, v.s / v.n]));
}
