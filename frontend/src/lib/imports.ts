// Import and export in the web app, the parts without React: building the
// POST /imports request (JSON for pasted text, multipart for a file), putting
// each of the importer's problems beside its question, the summary line, and
// the file name of a download from its Content-Disposition header.

import type { FieldProblem } from './http';
import type { ExamDocument, QuestionType } from './types';
import { parsePath, formatPath } from './fieldpath';

export type ImportFormat = 'text' | 'gift' | 'moodle_xml' | 'qti' | 'xlsx' | 'docx';
export type ExportFormat = 'text' | 'gift' | 'moodle_xml' | 'qti' | 'xlsx';
export const EXPORT_FORMATS: ExportFormat[] = ['text', 'gift', 'moodle_xml', 'qti', 'xlsx'];

/** The file kinds the import dialog accepts. */
export const IMPORT_ACCEPT = '.txt,.docx,.xlsx,.gift,.xml,.zip';

export interface ImportProblem {
  field: string;
  /** 1-based source line; 0 when no line applies. */
  line: number;
  /** A FieldErrorCode for a rule break or an import_* code; absent for the readers' other notes. */
  code?: string;
  message: string;
  params?: Record<string, unknown>;
}

export interface ImportResult {
  format: string;
  exam: ExamDocument;
  problems: ImportProblem[];
  stats: { questions: number; by_type: Partial<Record<QuestionType, number>> };
}

/** What the recruiter gave: pasted text or a picked/dropped file. */
export type ImportInput = { text: string } | { file: File };

/** The request body: `{content}` JSON for text, a multipart `file` part for a file. */
export function importBody(input: ImportInput): { content: string } | FormData {
  if ('text' in input) return { content: input.text };
  const fd = new FormData();
  fd.append('file', input.file, input.file.name);
  return fd;
}

/** Whether a file name is one the dialog takes (by its ending). */
export function acceptedFile(name: string): boolean {
  const n = name.toLowerCase();
  return IMPORT_ACCEPT.split(',').some((ext) => n.endsWith(ext));
}

/**
 * The path of the question a problem's field is under ("sections[1].questions[2]"),
 * or null when it is about the exam or a section as a whole.
 */
export function questionPath(field: string): string | null {
  const segs = parsePath(field || '');
  if (segs.length >= 4 && segs[0] === 'sections' && typeof segs[1] === 'number' && segs[2] === 'questions' && typeof segs[3] === 'number') {
    return formatPath(segs.slice(0, 4));
  }
  return null;
}

/** An import problem as the editor shows it: beside its question, with its source line. */
export type LinedProblem = FieldProblem & { line: number };

/**
 * The importer's problems as editor problems: each one about a question is
 * put on that question (so it shows in the question's box, whatever part of
 * it the problem names), keeping the source line; others keep their field.
 */
export function importProblems(problems: ImportProblem[]): LinedProblem[] {
  const out = problems.map((p) => {
    const q = questionPath(p.field);
    // The code's words are chosen by the field the server named (the
    // answer, a blank), even when the problem is shown on its question.
    const out: LinedProblem = { field: q ?? p.field ?? '', message: p.message, line: p.line ?? 0 };
    if (q && q !== p.field) out.wordsField = p.field;
    if (p.code) out.code = p.code;
    if (p.params) out.params = p.params;
    return out;
  });
  // A question the importer already spoke of, at its source line, does not
  // repeat the rule check's line-less sentence about the same thing.
  const lined = new Set(out.filter((p) => p.line > 0 && questionPath(p.field)).map((p) => p.field));
  return out.filter((p) => p.line > 0 || !questionPath(p.field) || !lined.has(p.field));
}

/** How many questions of each type, in the editor's type order, zeros left out. */
export function typeCounts(stats: ImportResult['stats']): [QuestionType, number][] {
  const order: QuestionType[] = ['single_choice', 'multiple_choice', 'true_false', 'fill_in', 'essay'];
  return order.map((k) => [k, stats.by_type?.[k] ?? 0] as [QuestionType, number]).filter(([, n]) => n > 0);
}

/**
 * The file name in a Content-Disposition header: RFC 6266's `filename*`
 * (UTF-8, percent-encoded) before the plain `filename`; `fallback` when neither.
 */
export function dispositionFileName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (star) {
    let v = star[1].trim().replace(/^"(.*)"$/, '$1');
    const m = /^([\w-]+)'[^']*'(.*)$/.exec(v);
    if (m) v = m[2];
    try {
      const name = decodeURIComponent(v);
      if (name) return safeName(name, fallback);
    } catch {
      // a malformed encoding: try the plain name
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (plain) {
    const v = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1].trim();
    if (v) return safeName(v, fallback);
  }
  return fallback;
}

/** No directories in a saved name. */
function safeName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base || fallback;
}

/** The name to save an export under when the server names none. */
export function fallbackExportName(format: ExportFormat): string {
  const ext: Record<ExportFormat, string> = { text: 'txt', gift: 'gift', moodle_xml: 'xml', qti: 'zip', xlsx: 'xlsx' };
  return `exam.${ext[format]}`;
}

// An import read on the exam list waits here for the new draft's editor,
// which takes it once (it is never stored anywhere).
let pending: ImportResult | null = null;

export function setPendingImport(r: ImportResult): void {
  pending = r;
}

export function takePendingImport(): ImportResult | null {
  const r = pending;
  pending = null;
  return r;
}

/** A problem's sentence with its source line in front ("第 12 行：…" / "line 12: …"). */
export function withLine(p: FieldProblem & { line?: number }, sentence: string, lineLabel: (n: number) => string, sep: string): string {
  return p.line ? `${lineLabel(p.line)}${sep}${sentence}` : sentence;
}
