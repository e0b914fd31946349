// Chinese (zh-CN) and English. Each catalogue's English dictionary defines
// its keys and the Chinese one is typed against it, so a missing key does
// not compile; a unit test checks both hold the same keys and placeholders.
//
// Two catalogues: the candidate's (messages-candidate.ts) is built in, the
// staff side's (messages.ts) is added by addMessages when the staff shell
// loads, so the candidate's page carries none of the staff pages' words.
// Only the key type of the staff catalogue is imported here.

import { enCandidate, zhCandidate } from './messages-candidate';
import type { en as enStaff } from './messages';

export type Lang = 'en' | 'zh-CN';
export type MessageKey = keyof typeof enCandidate | keyof typeof enStaff;
export type Dictionary = Record<MessageKey, string>;

export const LANGS: Lang[] = ['zh-CN', 'en'];
// Staff keys are there once addMessages has run; before that a lookup
// falls back to the key itself.
export const dictionaries: Record<Lang, Partial<Dictionary>> = { en: { ...enCandidate }, 'zh-CN': { ...zhCandidate } };
export const LANG_STORAGE_KEY = 'examd.lang';

/** Adds a catalogue (the staff side's) to the built-in one. */
export function addMessages(en: Partial<Dictionary>, zh: Partial<Dictionary>): void {
  Object.assign(dictionaries.en, en);
  Object.assign(dictionaries['zh-CN'], zh);
}

/** A stored choice wins; else the browser's language; else English. */
export function detectLang(stored: string | null | undefined, browser: readonly string[] | string | undefined): Lang {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  const list = typeof browser === 'string' ? [browser] : (browser ?? []);
  for (const l of list) {
    const x = l.toLowerCase();
    if (x.startsWith('zh')) return 'zh-CN';
    if (x.startsWith('en')) return 'en';
  }
  return 'en';
}

export type Vars = Record<string, string | number>;

/** Looks a key up and fills {placeholders}. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const s = dictionaries[lang][key] ?? dictionaries.en[key] ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(dictionaries.en, key);
}

/** Placeholders a message uses, sorted: "{n} of {total}" → ["n", "total"]. */
export function placeholders(s: string): string[] {
  return [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}
