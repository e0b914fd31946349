// The editor's model of an exam document, and its conversion to the exact
// body POST/PUT /exams accepts: only the fields of each question's type, no
// server-only fields (an unknown field is a 400), ids kept so that sections
// and questions keep theirs.

import type { Blank, Exam, ExamDocument, Option, Question, QuestionType, Section } from './types';

export function emptyExam(title = ''): ExamDocument {
  return {
    title,
    description: '',
    time_limit_seconds: 3600,
    grace_seconds: 30,
    pass_score: 60,
    tracks: [],
    shuffle_questions: false,
    shuffle_options: false,
    show_score_to_candidate: false,
    sections: [emptySection()],
  };
}

export function emptySection(title = ''): Section {
  return { title, instructions: '', questions: [] };
}

export const KEYS = 'abcdefghijklmnopqrstuvwxyz';

/** The first letter not yet used as an option key. */
export function nextOptionKey(options: Option[]): string {
  const used = new Set(options.map((o) => o.key));
  for (const k of KEYS) if (!used.has(k)) return k;
  return `o${options.length + 1}`;
}

/** Options of these keys ("abc": a, b and c), their texts still to write. */
const blankOptions = (keys: string) => [...keys].map((key) => ({ key, text: '' }));

/**
 * A new question of a type. It has no answer key: the recruiter picks one
 * (a key nobody chose would mark right answers wrong), and until then the
 * server refuses the draft with the problem named.
 */
export function newQuestion(type: QuestionType): Question {
  switch (type) {
    case 'true_false':
      return { type, prompt: '', points: 1 };
    case 'single_choice':
      return { type, prompt: '', options: blankOptions('ab'), points: 1 };
    case 'multiple_choice':
      return { type, prompt: '', options: blankOptions('abc'), answers: [], scoring: { per_correct: 1, per_wrong: 1, floor: 0 } };
    case 'fill_in':
      return { type, prompt: '', blanks: [{ accepted: [''], points: 1 }] };
    case 'essay':
      return { type, prompt: '', points: 10, reference_answer: '', rubric: [] };
  }
}

/** Changes a question's type, keeping what still makes sense. */
export function changeType(q: Question, type: QuestionType): Question {
  if (q.type === type) return q;
  const n = newQuestion(type);
  n.id = q.id;
  n.prompt = q.prompt;
  n.tracks = q.tracks;
  n.tags = q.tags;
  if (q.bank_id) n.bank_id = q.bank_id;
  // The explanation is about the question, not its type: it stays.
  if (q.explanation) n.explanation = q.explanation;
  if ((type === 'single_choice' || type === 'multiple_choice') && q.options?.length) {
    n.options = q.options;
    if (type === 'single_choice') {
      // Only a key the recruiter marked carries over; none is made up.
      const first = (q.answers ?? [])[0];
      if (first !== undefined) n.answer = first;
    } else {
      n.answers = typeof q.answer === 'string' ? [q.answer] : [];
    }
  }
  if (q.points !== undefined && type !== 'multiple_choice' && type !== 'fill_in') n.points = q.points;
  return n;
}

/** "manager, supervisor；主管" → ["manager", "supervisor", "主管"]; tags are typed the same way. */
export function parseTracks(text: string): string[] {
  const out: string[] = [];
  for (const p of text.split(/[,，;；\n]/)) {
    const s = p.trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** Accepted answers typed one per line. */
export function parseLines(text: string): string[] {
  return text.split('\n');
}

/** How many {{n}} placeholders a fill-in prompt has (the highest n). */
export function countPlaceholders(prompt: string): number {
  let max = 0;
  for (const m of prompt.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) max = Math.max(max, Number(m[1]));
  return max;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function cleanQuestion(q: Question, examTracks: string[]): Question {
  const out: Question = { type: q.type, prompt: q.prompt ?? '' };
  if (q.id) out.id = q.id;
  const tracks = (q.tracks ?? []).filter((t) => t);
  // A track removed from the exam is dropped from its questions too, unless
  // the exam has no tracks left (then the server reports it).
  const kept = examTracks.length ? tracks.filter((t) => examTracks.includes(t)) : tracks;
  if (kept.length) out.tracks = kept;
  // Any type may carry an explanation; the editor keeps it as it came.
  if (q.explanation) out.explanation = q.explanation;
  // Competency tags, and the bank question it was copied from.
  const tags = (q.tags ?? []).map((t) => t.trim()).filter((t) => t);
  if (tags.length) out.tags = [...new Set(tags)];
  if (q.bank_id) out.bank_id = q.bank_id;
  switch (q.type) {
    case 'true_false':
      out.answer = typeof q.answer === 'boolean' ? q.answer : undefined;
      out.points = num(q.points);
      break;
    case 'single_choice':
      out.options = (q.options ?? []).map((o) => ({ key: o.key.trim(), text: o.text }));
      out.answer = typeof q.answer === 'string' ? q.answer.trim() : undefined;
      out.points = num(q.points);
      break;
    case 'multiple_choice':
      out.options = (q.options ?? []).map((o) => ({ key: o.key.trim(), text: o.text }));
      out.answers = (q.answers ?? []).map((a) => a.trim());
      if (q.scoring) {
        out.scoring = {
          per_correct: num(q.scoring.per_correct) ?? 1,
          per_wrong: num(q.scoring.per_wrong) ?? 1,
          floor: num(q.scoring.floor) ?? 0,
        };
      }
      break;
    case 'fill_in':
      out.blanks = (q.blanks ?? []).map((b) => {
        const blank: Blank = {
          accepted: b.accepted.map((a) => a.trim()).filter((a) => a !== ''),
          points: num(b.points) as number,
        };
        if (b.case_sensitive) blank.case_sensitive = true;
        return blank;
      });
      break;
    case 'essay':
      out.points = num(q.points);
      if (q.reference_answer) out.reference_answer = q.reference_answer;
      if (q.rubric?.length) {
        out.rubric = q.rubric.map((r) => ({ criterion: r.criterion, points: num(r.points) as number }));
      }
      break;
  }
  // Undefined values are left out by JSON.stringify; drop them here too so
  // that tests see the real body.
  for (const k of Object.keys(out) as (keyof Question)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * A question as the bank takes it (POST/PUT /bank/questions): the fields of
 * its type, its tags and explanation; no id, bank link or times.
 */
export function bankQuestionBody(q: Question): Question {
  // The bank has no tracks (an exam's tracks are its own): a question meant
  // for one track goes to the bank for any exam.
  const { id: _id, bank_id: _b, tracks: _t, ...rest } = cleanQuestion(q, []);
  return rest;
}

/** The body for POST/PUT /exams. */
export function toDocument(d: ExamDocument): ExamDocument {
  const tracks = (d.tracks ?? []).filter((t) => t);
  const out: ExamDocument = {
    title: d.title ?? '',
    description: d.description ?? '',
    time_limit_seconds: num(d.time_limit_seconds) as number,
    grace_seconds: num(d.grace_seconds),
    pass_score: num(d.pass_score),
    shuffle_questions: !!d.shuffle_questions,
    shuffle_options: !!d.shuffle_options,
    show_score_to_candidate: !!d.show_score_to_candidate,
    show_explanations: !!d.show_explanations,
    sections: d.sections.map((s) => {
      const sec: Section = { title: s.title ?? '', questions: s.questions.map((q) => cleanQuestion(q, tracks)) };
      if (s.id) sec.id = s.id;
      if (s.instructions) sec.instructions = s.instructions;
      if (s.draw) {
        const tags = parseTracks((s.draw.tags ?? []).join(','));
        sec.draw = { count: num(s.draw.count) as number, ...(tags.length ? { tags } : {}), ...(s.draw.type ? { type: s.draw.type } : {}) };
      }
      return sec;
    }),
  };
  if (tracks.length) out.tracks = tracks;
  if (d.position_id) out.position_id = d.position_id;
  // One marker is the default and is left out.
  if (d.review?.markers === 2) out.review = { markers: 2, tolerance: num(d.review.tolerance) ?? 0 };
  // Labels of the exam's tracks only; an emptied label means none.
  const labels = Object.entries(d.track_labels ?? {}).filter(([k, v]) => tracks.includes(k) && v.trim() !== '');
  if (labels.length) out.track_labels = Object.fromEntries(labels);
  for (const k of Object.keys(out) as (keyof ExamDocument)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** The editor's copy of an exam from the server (server-only fields dropped). */
export function fromExam(e: Exam | ExamDocument): ExamDocument {
  const d = toDocument({ ...e, sections: e.sections ?? [] });
  // Defaults the server may have left out, so the form shows them.
  if (d.grace_seconds === undefined) d.grace_seconds = 30;
  if (d.pass_score === undefined) d.pass_score = 0;
  d.tracks = d.tracks ?? [];
  for (const s of d.sections) {
    s.instructions = s.instructions ?? '';
    for (const q of s.questions) {
      if (q.type === 'multiple_choice' && !q.scoring) q.scoring = { per_correct: 1, per_wrong: 1, floor: 0 };
      if (q.type === 'essay') {
        q.reference_answer = q.reference_answer ?? '';
        q.rubric = q.rubric ?? [];
      }
    }
  }
  return d;
}

/**
 * A new draft from an exam: the same document without ids (the server gives
 * the copy its own) and with `suffix` after the title, within its 200 characters.
 */
export function copyOf(d: ExamDocument, suffix: string): ExamDocument {
  const doc = toDocument(d);
  const title = [...doc.title];
  const room = 200 - [...suffix].length;
  return {
    ...doc,
    title: (title.length > room ? title.slice(0, room).join('') : doc.title) + suffix,
    sections: doc.sections.map(({ id: _s, ...sec }) => ({ ...sec, questions: sec.questions.map(({ id: _q, ...q }) => q) })),
  };
}

/** A track as people read it: its label, else its id. */
export function trackLabel(d: Pick<ExamDocument, 'track_labels'>, track: string): string {
  return d.track_labels?.[track]?.trim() || track;
}

/** The maximum score of a question, as the editor can tell it. */
export function questionMax(q: Question): number {
  switch (q.type) {
    case 'multiple_choice':
      return (q.scoring?.per_correct ?? 1) * (q.answers?.length ?? 0);
    case 'fill_in':
      return (q.blanks ?? []).reduce((a, b) => a + (num(b.points) ?? 0), 0);
    default:
      return num(q.points) ?? 0;
  }
}

/** Max score per track ("" for an exam without tracks). */
export function examMax(d: ExamDocument): Record<string, number> {
  const tracks = d.tracks?.length ? d.tracks : [''];
  const out: Record<string, number> = {};
  for (const t of tracks) {
    out[t] = 0;
    for (const s of d.sections)
      for (const q of s.questions) if (!t || !q.tracks?.length || q.tracks.includes(t)) out[t] += questionMax(q);
  }
  return out;
}
