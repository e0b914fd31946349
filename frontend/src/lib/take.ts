// Pure helpers of the candidate's page.

import type { SaveState } from './autosave';
import type { CandidateQuestion, Response } from './types';

/**
 * What a question's number says on the page and the answer sheet: saved
 * (the server holds the answer), waiting (a save is queued, in flight or
 * retrying), failed (the server refused it) or unanswered. Only "saved"
 * claims the answer is safe.
 */
export type QuestionMark = 'saved' | 'waiting' | 'failed' | 'unanswered';

export function questionMark(answered: boolean, state: SaveState): QuestionMark {
  if (state === 'error') return 'failed';
  if (state === 'saving' || state === 'offline') return 'waiting';
  return answered ? 'saved' : 'unanswered';
}

/** Whether a response counts as answered for the "n of m answered" line. */
export function isAnswered(q: CandidateQuestion, r: Response | undefined | null): boolean {
  if (!r) return false;
  switch (q.type) {
    case 'true_false':
      return 'value' in r && typeof r.value === 'boolean';
    case 'single_choice':
      return 'choice' in r && !!r.choice;
    case 'multiple_choice':
      return 'choices' in r && r.choices.length > 0;
    case 'fill_in':
      return 'blanks' in r && r.blanks.some((b) => b.trim() !== '');
    case 'essay':
      return 'text' in r && r.text.trim() !== '';
  }
}

export type PromptPart = { text: string } | { blank: number };

/**
 * Splits a fill-in prompt at its {{n}} placeholders (n from 1). Blanks the
 * prompt does not place (blank_count above the placeholders) come at the end.
 */
export function splitPrompt(prompt: string, blankCount: number): PromptPart[] {
  const parts: PromptPart[] = [];
  const seen = new Set<number>();
  const re = /\{\{\s*(\d+)\s*\}\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(prompt)) !== null) {
    if (m.index > last) parts.push({ text: prompt.slice(last, m.index) });
    const n = Number(m[1]) - 1;
    if (n >= 0 && (blankCount === 0 || n < blankCount) && !seen.has(n)) {
      parts.push({ blank: n });
      seen.add(n);
    } else {
      parts.push({ text: m[0] });
    }
    last = m.index + m[0].length;
  }
  if (last < prompt.length) parts.push({ text: prompt.slice(last) });
  for (let i = 0; i < blankCount; i++) if (!seen.has(i)) parts.push({ blank: i });
  return parts;
}

/** The candidate's blanks array, sized to the question. */
export function blanksOf(r: Response | undefined, count: number): string[] {
  const have = r && 'blanks' in r ? r.blanks : [];
  return Array.from({ length: count }, (_, i) => have[i] ?? '');
}
