// The candidate's view of a draft, made on the client for the editor's
// preview: the questions of one track, in authored order, with only what a
// candidate is shown (no keys, no rubric, no reference answer).

import { countPlaceholders, questionMax } from './examModel';
import type { CandidateQuestion, CandidateSection, ExamDocument, Question } from './types';

/** Whether a question is asked of a track ("" = an exam without tracks). */
export function askedOf(q: Pick<Question, 'tracks'>, track: string): boolean {
  return !track || !q.tracks?.length || q.tracks.includes(track);
}

function candidateQuestion(q: Question, id: string): CandidateQuestion {
  const out: CandidateQuestion = { id, type: q.type, prompt: q.prompt };
  switch (q.type) {
    case 'true_false':
    case 'essay':
      out.points = q.points;
      break;
    case 'single_choice':
      out.points = q.points;
      out.options = (q.options ?? []).map((o) => ({ key: o.key, text: o.text }));
      break;
    case 'multiple_choice':
      out.options = (q.options ?? []).map((o) => ({ key: o.key, text: o.text }));
      out.per_correct = q.scoring?.per_correct ?? 1;
      out.per_wrong = q.scoring?.per_wrong ?? 1;
      out.floor = q.scoring?.floor ?? 0;
      out.points = questionMax(q);
      break;
    case 'fill_in':
      out.blank_count = Math.max(q.blanks?.length ?? 0, countPlaceholders(q.prompt));
      out.points = questionMax(q);
      break;
  }
  return out;
}

/** Sections as a candidate of `track` sees them; sections with nothing for the track are left out. */
export function candidateView(d: ExamDocument, track: string): CandidateSection[] {
  return d.sections
    .map((s, si) => ({
      id: s.id ?? `s${si}`,
      title: s.title,
      instructions: s.instructions ?? '',
      questions: s.questions.flatMap((q, qi) => (askedOf(q, track) ? [candidateQuestion(q, q.id ?? `s${si}q${qi}`)] : [])),
    }))
    .filter((s) => s.questions.length > 0);
}
