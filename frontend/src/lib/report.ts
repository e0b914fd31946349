// Sums of one attempt by section and by tag, beside what the cohort (the
// version's graded attempts of the same track) scored on the same questions.
import type { AttemptQuestion, QuestionStatistics } from './types';

export interface SectionScore {
  id: string;
  questions: AttemptQuestion[];
  /** null while a question of the section is not scored yet. */
  awarded: number | null;
  max: number;
}

/** The attempt's questions grouped by section, in order, with their sums. */
export function attemptSections(qs: AttemptQuestion[]): SectionScore[] {
  const out: SectionScore[] = [];
  for (const q of qs) {
    let s = out.find((x) => x.id === q.section_id);
    if (!s) {
      s = { id: q.section_id, questions: [], awarded: 0, max: 0 };
      out.push(s);
    }
    s.questions.push(q);
    s.max += q.max_points ?? 0;
    s.awarded = s.awarded === null || q.points_awarded === null ? null : s.awarded + q.points_awarded;
  }
  return out;
}

/**
 * The cohort's share of the maximum on some questions: the sum of their
 * mean points over the sum of their maxima, counting only questions the
 * cohort answered (mean_points not null). null when none.
 */
export function cohortShare(questionIds: string[], stats: Map<string, QuestionStatistics>): number | null {
  let mean = 0;
  let max = 0;
  for (const id of questionIds) {
    const s = stats.get(id);
    if (!s || s.mean_points === null || s.max_points <= 0) continue;
    mean += s.mean_points;
    max += s.max_points;
  }
  return max > 0 ? mean / max : null;
}

export interface TagRow {
  tag: string;
  awarded: number;
  max: number;
  /** The candidate's share (null while nothing of the tag is scored). */
  share: number | null;
  cohort: number | null;
}

/** Per tag (first-appearance order): the candidate's scored points and the cohort's share on the same questions. */
export function tagRows(qs: AttemptQuestion[], stats: Map<string, QuestionStatistics>): TagRow[] {
  const byTag = new Map<string, { awarded: number; max: number; ids: string[] }>();
  for (const q of qs) {
    for (const tag of q.tags ?? []) {
      let r = byTag.get(tag);
      if (!r) {
        r = { awarded: 0, max: 0, ids: [] };
        byTag.set(tag, r);
      }
      if (q.points_awarded !== null) {
        r.awarded += q.points_awarded;
        r.max += q.max_points;
        r.ids.push(q.question_id);
      }
    }
  }
  return [...byTag].map(([tag, r]) => ({
    tag,
    awarded: r.awarded,
    max: r.max,
    share: r.max > 0 ? r.awarded / r.max : null,
    cohort: cohortShare(r.ids, stats),
  }));
}

/** A share as a whole percentage, "—" when undefined. */
export function percent(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 100)}%`;
}
