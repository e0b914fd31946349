// Chinese (zh-CN) and English. Each catalogue's English dictionary defines
// its keys and the Chinese one is typed against it, so a missing key does
// not compile; a unit test checks both hold the same keys and placeholders.
//
// Two catalogues: the candidate's (messages-candidate.ts in English,
// messages-candidate-zh.ts in Chinese) is loaded one language at a time by
// loadLang, which main.tsx awaits for the first language before anything
// renders and LangProvider before it switches; the staff side's
// (messages.ts) is added by addMessages when the staff shell loads. So the
// candidate's page carries neither the other language's words nor the
// staff pages'. Only the key types are imported here.

import type { enCandidate } from './messages-candidate';
import type { en as enStaff } from './messages';
import type { enDone } from './messages-done';

export type Lang = 'en' | 'zh-CN';
export type MessageKey = keyof typeof enCandidate | keyof typeof enDone | keyof typeof enStaff;
export type Dictionary = Record<MessageKey, string>;

export const LANGS: Lang[] = ['zh-CN', 'en'];
// A language's keys are there once loadLang (and, for the staff keys,
// addMessages) has run; before that a lookup falls back to English, then
// to the key itself.
export const dictionaries: Record<Lang, Partial<Dictionary>> = { en: {}, 'zh-CN': {} };
export const LANG_STORAGE_KEY = 'examd.lang';

const candidateTexts: Record<Lang, () => Promise<Partial<Dictionary>>> = {
  en: () => import('./messages-candidate').then((m) => m.enCandidate),
  'zh-CN': () => import('./messages-candidate-zh').then((m) => m.zhCandidate),
};
const loaded = new Map<Lang, Promise<void>>();

/** Loads the candidate's texts of a language once; a failed load may be retried. */
export function loadLang(lang: Lang): Promise<void> {
  let p = loaded.get(lang);
  if (!p) {
    p = candidateTexts[lang]().then(
      (texts) => {
        Object.assign(dictionaries[lang], texts);
      },
      (err: unknown) => {
        loaded.delete(lang);
        throw err;
      },
    );
    loaded.set(lang, p);
  }
  return p;
}

/** Adds a catalogue (the staff side's, the thank-you page's) to the loaded ones. */
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
  const own = (l: Lang) => Object.prototype.hasOwnProperty.call(dictionaries[l], key);
  return own('en') || own('zh-CN');
}

/** Placeholders a message uses, sorted: "{n} of {total}" → ["n", "total"]. */
export function placeholders(s: string): string[] {
  return [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}
