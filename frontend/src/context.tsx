// App-wide state: the language, and the staff session with its API client.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { detectLang, LANG_STORAGE_KEY, translate } from './lib/i18n';
import type { Lang, MessageKey, Vars } from './lib/i18n';
import { browserStore } from './lib/http';
import { StaffSession } from './lib/session';
import { createStaffClient, publicApi } from './lib/api';
import type { StaffApi } from './lib/api';
import type { User } from './lib/types';

export type T = (key: MessageKey, vars?: Vars) => string;

interface LangCtx {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: T;
}

const LangContext = createContext<LangCtx | null>(null);

export function LangProvider({ children }: { children: ReactNode }) {
  const store = useMemo(() => browserStore('local'), []);
  const [lang, setLangState] = useState<Lang>(() =>
    detectLang(store.getItem(LANG_STORAGE_KEY), typeof navigator !== 'undefined' ? navigator.languages ?? navigator.language : undefined),
  );
  const setLang = useCallback(
    (l: Lang) => {
      store.setItem(LANG_STORAGE_KEY, l);
      setLangState(l);
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

// ---- staff ----

interface StaffCtx {
  session: StaffSession;
  api: StaffApi;
  user: User | null;
  logout: () => Promise<void>;
}

const StaffContext = createContext<StaffCtx | null>(null);

const staffSession = new StaffSession(browserStore('local'));
const staffClient = createStaffClient(staffSession);

export function StaffProvider({ children }: { children: ReactNode }) {
  const raw = useSyncExternalStore(
    (fn) => staffSession.subscribe(fn),
    () => staffSession.snapshot(),
    () => null,
  );
  const userKey = raw ? JSON.stringify(staffSession.state()?.user ?? null) : 'null';
  const stableUser = useMemo(() => JSON.parse(userKey) as User | null, [userKey]);
  // Other tabs logging in or out.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === 'examd.staff') staffSession.notify();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const logout = useCallback(async () => {
    const rt = staffSession.state()?.refresh_token;
    staffSession.clear();
    if (rt) {
      try {
        await publicApi().logout(rt);
      } catch {
        // the local session is gone either way
      }
    }
  }, []);
  const value = useMemo(
    () => ({ session: staffSession, api: staffClient, user: stableUser, logout }),
    [stableUser, logout],
  );
  return <StaffContext.Provider value={value}>{children}</StaffContext.Provider>;
}

export function useStaff(): StaffCtx {
  const c = useContext(StaffContext);
  if (!c) throw new Error('useStaff outside StaffProvider');
  return c;
}
