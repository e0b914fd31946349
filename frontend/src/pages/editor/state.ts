// The exam editor's state and every change to it, as a pure reducer with
// typed actions. Edits share structure: changing one question replaces that
// question, its section and the section list, and nothing else, so only the
// edited row re-renders. Sections and questions carry a `key` given here
// (never during render) so rows keep their identity when they move.

import { changeType, countPlaceholders, emptyExam, emptySection, fromExam, newQuestion, nextOptionKey, parseTracks } from '../../lib/examModel';
import type { FieldProblem } from '../../lib/http';
import { importProblems } from '../../lib/imports';
import type { ImportResult } from '../../lib/imports';
import type { BankQuestion, Blank, Draw, Exam, ExamDocument, Question, QuestionType, RubricItem, Scoring, Section } from '../../lib/types';

/** `tagsText` is the tags box as typed ("投诉处理, 沟"); `tags` what it says. */
export type EQuestion = Question & { key: string; tagsText?: string };
/** `drawTagsText`: the draw's tags box as typed. */
export type ESection = Omit<Section, 'questions'> & { key: string; questions: EQuestion[]; drawTagsText?: string };
export type EDoc = Omit<ExamDocument, 'sections'> & { sections: ESection[] };

export type Notice = { kind: 'saved' } | { kind: 'published'; version: number; examId: string } | null;

export interface Publishing {
  /** The saved exam to publish; none when saving was refused. */
  examId?: string;
  /** The server's 422 details (from saving first, or from publishing). */
  problems: FieldProblem[];
  error: unknown;
  /** Counts openings, so each opening starts fresh. */
  n: number;
}

export interface EditorState {
  examId?: string;
  doc: EDoc | null;
  /** The tracks box as typed ("manager, supervisor"). */
  tracksText: string;
  status?: string;
  latestVersion: number;
  loadError: unknown;
  dirty: boolean;
  busy: 'save' | 'publish' | null;
  error: unknown;
  problems: FieldProblem[];
  notice: Notice;
  publishing: Publishing | null;
  opened: number;
  nextKey: number;
  /** Sections folded away in the editor, by section key (not part of the draft). */
  collapsed: Record<string, boolean>;
  /** What the last import read (format and counts), shown above an imported draft until it is saved. */
  imported: Pick<ImportResult, 'format' | 'stats'> & { problems: number } | null;
}

export type QuestionPatch = Partial<Pick<Question, 'prompt' | 'points' | 'answer' | 'reference_answer' | 'explanation' | 'bank_id'>>;

/** A new draw: two questions of any type, tagged as the recruiter types. */
export const NEW_DRAW: Draw = { count: 2, tags: [] };

/** Where a question is. */
export interface At {
  si: number;
  qi: number;
}

export type Action =
  | { type: 'reset'; examId?: string }
  | { type: 'loaded'; exam: Exam }
  | { type: 'loadFailed'; error: unknown }
  | { type: 'imported'; result: ImportResult }
  | { type: 'saveStarted'; busy: 'save' | 'publish' }
  | { type: 'saved'; exam: Exam }
  | { type: 'saveFailed'; error: unknown; problems: FieldProblem[] }
  | { type: 'setExam'; patch: Partial<Omit<ExamDocument, 'sections' | 'tracks'>> }
  | { type: 'setTracks'; text: string }
  | { type: 'setTrackLabel'; track: string; label: string }
  | { type: 'addSection' }
  | { type: 'removeSection'; si: number }
  | { type: 'moveSection'; si: number; to: number }
  | { type: 'setSection'; si: number; patch: Partial<Pick<Section, 'title' | 'instructions'>> }
  | ({ type: 'addQuestion'; qtype: QuestionType } & Pick<At, 'si'>)
  | ({ type: 'removeQuestion' } & At)
  | ({ type: 'moveQuestion'; to: number } & At)
  | ({ type: 'changeType'; qtype: QuestionType } & At)
  | ({ type: 'setQuestion'; patch: QuestionPatch } & At)
  | ({ type: 'setQuestionTrack'; track: string; on: boolean } & At)
  | ({ type: 'setQuestionTags'; text: string } & At)
  | { type: 'addFromBank'; si: number; questions: BankQuestion[] }
  | { type: 'setDraw'; si: number; draw: Draw | null; tagsText?: string }
  | ({ type: 'addOption' } & At)
  | ({ type: 'removeOption'; oi: number } & At)
  | ({ type: 'setOptionText'; oi: number; text: string } & At)
  | ({ type: 'setOptionKey'; oi: number; key: string } & At)
  | ({ type: 'markCorrect'; oi: number; on: boolean } & At)
  | ({ type: 'setScoring'; patch: Partial<Scoring> } & At)
  | ({ type: 'addBlank' } & At)
  | ({ type: 'removeBlank'; bi: number } & At)
  | ({ type: 'setBlank'; bi: number; patch: Partial<Blank> } & At)
  | ({ type: 'addCriterion' } & At)
  | ({ type: 'removeCriterion'; ri: number } & At)
  | ({ type: 'setCriterion'; ri: number; patch: Partial<RubricItem> } & At)
  | { type: 'publishOpened'; examId?: string; problems: FieldProblem[] }
  | { type: 'publishStarted' }
  | { type: 'published'; version: number }
  | { type: 'publishFailed'; error: unknown; problems: FieldProblem[] }
  | { type: 'publishClosed' }
  | { type: 'collapseSection'; key: string; on: boolean }
  | { type: 'collapseAll'; on: boolean };

export function initialState(examId?: string): EditorState {
  const base: EditorState = {
    examId,
    doc: null,
    tracksText: '',
    latestVersion: 0,
    loadError: null,
    dirty: false,
    busy: null,
    error: null,
    problems: [],
    notice: null,
    publishing: null,
    opened: 0,
    nextKey: 1,
    collapsed: {},
    imported: null,
  };
  return examId ? base : withDoc(base, emptyExam(), null);
}

/** The document as the server takes it (keys dropped by toDocument). */
export function plainDoc(d: EDoc): ExamDocument {
  return d as unknown as ExamDocument;
}

/** Gives every section and question a key, reusing the old ones by position. */
function withDoc(s: EditorState, d: ExamDocument, old: EDoc | null): EditorState {
  let next = s.nextKey;
  const key = () => `k${next++}`;
  const sections: ESection[] = d.sections.map((sec, si) => {
    const os = old?.sections[si];
    return {
      ...sec,
      key: os?.key ?? key(),
      questions: sec.questions.map((q, qi) => ({ ...q, key: os?.questions[qi]?.key ?? key() })),
    };
  });
  return { ...s, doc: { ...d, sections }, tracksText: (d.tracks ?? []).join(', '), nextKey: next };
}

function move<X>(list: X[], i: number, j: number): X[] {
  if (j < 0 || j >= list.length || i === j) return list;
  const out = list.slice();
  const [x] = out.splice(i, 1);
  out.splice(j, 0, x);
  return out;
}

const replaceAt = <X>(list: X[], i: number, x: X): X[] => list.map((y, k) => (k === i ? x : y));
const removeAt = <X>(list: X[], i: number): X[] => list.filter((_, k) => k !== i);
/** The list with its i-th item patched. */
const patchAt = <X>(list: X[], i: number, patch: Partial<X>): X[] => list.map((x, k) => (k === i ? { ...x, ...patch } : x));

/** An edit of the document: marks it dirty, drops the notice; `structural` also drops problems (paths shift). */
function edit(s: EditorState, doc: EDoc, structural = false): EditorState {
  return { ...s, doc, dirty: true, notice: null, problems: structural ? [] : s.problems };
}

function editSection(s: EditorState, si: number, fn: (sec: ESection) => ESection, structural = false): EditorState {
  const d = s.doc;
  if (!d || !d.sections[si]) return s;
  return edit(s, { ...d, sections: replaceAt(d.sections, si, fn(d.sections[si])) }, structural);
}

function editQuestion(s: EditorState, at: At, fn: (q: EQuestion) => EQuestion, structural = false): EditorState {
  const q = s.doc?.sections[at.si]?.questions[at.qi];
  if (!q) return s;
  return editSection(s, at.si, (sec) => ({ ...sec, questions: replaceAt(sec.questions, at.qi, fn(q)) }), structural);
}

const DEFAULT_SCORING: Scoring = { per_correct: 1, per_wrong: 1, floor: 0 };

export function reducer(s: EditorState, a: Action): EditorState {
  switch (a.type) {
    case 'reset':
      return initialState(a.examId);
    case 'loaded':
      return {
        ...withDoc(s, fromExam(a.exam), null),
        examId: a.exam.id ?? s.examId,
        status: a.exam.status,
        latestVersion: a.exam.latest_version ?? 0,
        loadError: null,
        dirty: false,
      };
    case 'loadFailed':
      return { ...s, loadError: a.error };
    case 'imported': {
      // An unsaved draft (even over a saved exam: saving replaces it), with
      // each importer problem on its question and its source line.
      const { result } = a;
      const shown = importProblems(result.problems ?? []);
      return {
        ...withDoc(s, fromExam(result.exam), null),
        dirty: true,
        busy: null,
        error: null,
        notice: null,
        publishing: null,
        collapsed: {},
        problems: shown,
        imported: { format: result.format, stats: result.stats, problems: shown.length },
      };
    }
    case 'saveStarted':
      return { ...s, busy: a.busy, error: null, problems: [], notice: null };
    case 'saved':
      return {
        ...withDoc(s, fromExam(a.exam), s.doc),
        examId: a.exam.id ?? s.examId,
        status: a.exam.status ?? s.status,
        latestVersion: a.exam.latest_version ?? s.latestVersion,
        dirty: false,
        imported: null,
        busy: s.busy === 'publish' ? 'publish' : null,
        notice: s.busy === 'save' ? { kind: 'saved' } : null,
      };
    case 'saveFailed':
      return { ...s, busy: null, error: a.error, problems: a.problems };
    case 'setExam':
      return s.doc ? edit(s, { ...s.doc, ...a.patch }) : s;
    case 'setTracks':
      return s.doc ? { ...edit(s, { ...s.doc, tracks: parseTracks(a.text) }), tracksText: a.text } : s;
    case 'setTrackLabel':
      return s.doc ? edit(s, { ...s.doc, track_labels: { ...s.doc.track_labels, [a.track]: a.label } }) : s;
    case 'addSection': {
      if (!s.doc) return s;
      const sec: ESection = { ...emptySection(), key: `k${s.nextKey}`, questions: [] };
      return { ...edit(s, { ...s.doc, sections: [...s.doc.sections, sec] }, true), nextKey: s.nextKey + 1 };
    }
    case 'removeSection':
      return s.doc ? edit(s, { ...s.doc, sections: removeAt(s.doc.sections, a.si) }, true) : s;
    case 'moveSection':
      return s.doc ? edit(s, { ...s.doc, sections: move(s.doc.sections, a.si, a.to) }, true) : s;
    case 'setSection':
      return editSection(s, a.si, (sec) => ({ ...sec, ...a.patch }));
    case 'addQuestion': {
      const q: EQuestion = { ...newQuestion(a.qtype), key: `k${s.nextKey}` };
      const out = editSection(s, a.si, (sec) => ({ ...sec, questions: [...sec.questions, q] }), true);
      return out === s ? s : { ...out, nextKey: s.nextKey + 1 };
    }
    case 'removeQuestion':
      return editSection(s, a.si, (sec) => ({ ...sec, questions: removeAt(sec.questions, a.qi) }), true);
    case 'moveQuestion':
      return editSection(s, a.si, (sec) => ({ ...sec, questions: move(sec.questions, a.qi, a.to) }), true);
    case 'changeType':
      return editQuestion(s, a, (q) => ({ ...changeType(q, a.qtype), key: q.key }), true);
    case 'setQuestion':
      return editQuestion(s, a, (q) => ({ ...q, ...a.patch }));
    case 'setQuestionTrack': {
      const tracks = s.doc?.tracks ?? [];
      return editQuestion(s, a, (q) => {
        const set = new Set(q.tracks ?? []);
        if (a.on) set.add(a.track);
        else set.delete(a.track);
        return { ...q, tracks: tracks.filter((k) => set.has(k)) };
      });
    }
    case 'setQuestionTags':
      return editQuestion(s, a, (q) => ({ ...q, tags: parseTracks(a.text), tagsText: a.text }));
    case 'addFromBank': {
      // Copies: the bank's id becomes bank_id, the exam gives its own id on save.
      let next = s.nextKey;
      const copies: EQuestion[] = a.questions.map(({ id, created_at: _c, updated_at: _u, ...q }) => ({ ...q, bank_id: id, key: `k${next++}` }));
      const out = editSection(s, a.si, (sec) => ({ ...sec, questions: [...sec.questions, ...copies] }), true);
      return out === s ? s : { ...out, nextKey: next };
    }
    case 'setDraw':
      return editSection(s, a.si, (sec) => {
        const { draw: _d, drawTagsText: _t, ...rest } = sec;
        if (!a.draw) return rest;
        const text = a.tagsText ?? sec.drawTagsText ?? (a.draw.tags ?? []).join(', ');
        return { ...rest, draw: { ...a.draw, tags: a.tagsText !== undefined ? parseTracks(a.tagsText) : a.draw.tags }, drawTagsText: text };
      });
    case 'addOption':
      return editQuestion(s, a, (q) => {
        const options = q.options ?? [];
        return options.length >= 26 ? q : { ...q, options: [...options, { key: nextOptionKey(options), text: '' }] };
      });
    case 'removeOption':
      return editQuestion(
        s,
        a,
        (q) => {
          const gone = q.options?.[a.oi];
          if (!gone) return q;
          const out: EQuestion = { ...q, options: removeAt(q.options ?? [], a.oi) };
          // The key goes with its option; no other option becomes correct.
          if (q.type === 'single_choice' && q.answer === gone.key) delete out.answer;
          if (q.answers) out.answers = q.answers.filter((k) => k !== gone.key);
          return out;
        },
        true,
      );
    case 'setOptionText':
      return editQuestion(s, a, (q) => ({ ...q, options: patchAt(q.options ?? [], a.oi, { text: a.text }) }));
    case 'setOptionKey':
      return editQuestion(s, a, (q) => {
        const old = q.options?.[a.oi]?.key;
        if (old === undefined) return q;
        const out: EQuestion = { ...q, options: patchAt(q.options ?? [], a.oi, { key: a.key }) };
        if (q.answer === old) out.answer = a.key;
        if (q.answers) out.answers = q.answers.map((k) => (k === old ? a.key : k));
        return out;
      });
    case 'markCorrect':
      return editQuestion(s, a, (q) => {
        const key = q.options?.[a.oi]?.key;
        if (key === undefined) return q;
        if (q.type === 'single_choice') return { ...q, answer: key };
        const set = new Set(q.answers ?? []);
        if (a.on) set.add(key);
        else set.delete(key);
        return { ...q, answers: (q.options ?? []).map((o) => o.key).filter((k) => set.has(k)) };
      });
    case 'setScoring':
      return editQuestion(s, a, (q) => ({ ...q, scoring: { ...(q.scoring ?? DEFAULT_SCORING), ...a.patch } }));
    case 'addBlank':
      return editQuestion(s, a, (q) => {
        const blanks = [...(q.blanks ?? []), { accepted: [''], points: 1 }];
        const prompt = countPlaceholders(q.prompt) < blanks.length ? `${q.prompt}{{${blanks.length}}}` : q.prompt;
        return { ...q, blanks, prompt };
      });
    case 'removeBlank':
      return editQuestion(s, a, (q) => ({ ...q, blanks: removeAt(q.blanks ?? [], a.bi) }), true);
    case 'setBlank':
      return editQuestion(s, a, (q) => ({ ...q, blanks: patchAt(q.blanks ?? [], a.bi, a.patch) }));
    case 'addCriterion':
      return editQuestion(s, a, (q) => ({ ...q, rubric: [...(q.rubric ?? []), { criterion: '', points: 1 }] }));
    case 'removeCriterion':
      return editQuestion(s, a, (q) => ({ ...q, rubric: removeAt(q.rubric ?? [], a.ri) }), true);
    case 'setCriterion':
      return editQuestion(s, a, (q) => ({ ...q, rubric: patchAt(q.rubric ?? [], a.ri, a.patch) }));
    case 'publishOpened':
      return {
        ...s,
        busy: null,
        publishing: { examId: a.examId, problems: a.problems, error: null, n: s.opened },
        opened: s.opened + 1,
      };
    case 'publishStarted':
      return s.publishing ? { ...s, busy: 'publish', publishing: { ...s.publishing, error: null } } : s;
    case 'published':
      return {
        ...s,
        busy: null,
        publishing: null,
        status: 'published',
        latestVersion: a.version,
        notice: s.publishing?.examId ? { kind: 'published', version: a.version, examId: s.publishing.examId } : null,
      };
    case 'publishFailed':
      return {
        ...s,
        busy: null,
        problems: a.problems.length ? a.problems : s.problems,
        publishing: s.publishing
          ? { ...s.publishing, problems: a.problems.length ? a.problems : s.publishing.problems, error: a.problems.length ? null : a.error }
          : null,
      };
    case 'publishClosed':
      return { ...s, publishing: null };
    case 'collapseSection':
      return { ...s, collapsed: { ...s.collapsed, [a.key]: a.on } };
    case 'collapseAll':
      return { ...s, collapsed: a.on ? Object.fromEntries((s.doc?.sections ?? []).map((x) => [x.key, true])) : {} };
  }
}
