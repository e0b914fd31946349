// The language: the one piece of app-wide state the candidate's page
// shares with the staff side (the staff session is in context.tsx, which
// only the staff shell loads).

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { detectLang, LANG_STORAGE_KEY, loadLang, translate } from './lib/i18n';
import type { Lang, MessageKey, Vars } from './lib/i18n';
import { browserStore } from './lib/http';

export type T = (key: MessageKey, vars?: Vars) => string;

interface LangCtx {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: T;
}

const LangContext = createContext<LangCtx | null>(null);

/** The language a page opens in: the stored choice, else the browser's. */
export function initialLang(): Lang {
  const nav = typeof navigator !== 'undefined' ? (navigator.languages ?? navigator.language) : undefined;
  return detectLang(browserStore('local').getItem(LANG_STORAGE_KEY), nav);
}

export function LangProvider({ children }: { children: ReactNode }) {
  const store = useMemo(() => browserStore('local'), []);
  const [lang, setLangState] = useState<Lang>(initialLang);
  // The other language's texts are fetched on the switch; the page keeps
  // the current language until they are there (and if they cannot come).
  const setLang = useCallback(
    (l: Lang) => {
      loadLang(l).then(
        () => {
          store.setItem(LANG_STORAGE_KEY, l);
          setLangState(l);
        },
        (err: unknown) => console.warn('language not switched', err),
      );
    },
    [store],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const t = useCallback<T>((key, vars) => translate(lang, key, vars), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useI18n(): LangCtx {
  const c = useContext(LangContext);
  if (!c) throw new Error('useI18n outside LangProvider');
  return c;
}

export function useT(): T {
  return useI18n().t;
}
