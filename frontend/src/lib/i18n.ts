// Chinese (zh-CN) and English. The English dictionary defines the keys; the
// Chinese one is typed against it, so a missing key does not compile, and a
// unit test checks both hold the same keys and placeholders.

import { en, zh } from './messages';

export type Lang = 'en' | 'zh-CN';
export type MessageKey = keyof typeof en;
export type Dictionary = Record<MessageKey, string>;

export const LANGS: Lang[] = ['zh-CN', 'en'];
export const dictionaries: Record<Lang, Dictionary> = { en, 'zh-CN': zh };
export const LANG_STORAGE_KEY = 'examd.lang';

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
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** Placeholders a message uses, sorted: "{n} of {total}" → ["n", "total"]. */
export function placeholders(s: string): string[] {
  return [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}
