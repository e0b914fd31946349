// App-wide state of the staff side: the staff session with its API client.
// The language lives in lang.tsx (the candidate's page needs it without
// the rest) and is re-exported here for the staff pages.

import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { browserStore } from './lib/http';
import { StaffSession } from './lib/session';
import { createStaffClient, publicApi } from './lib/api';
import type { StaffApi } from './lib/api';
import type { User } from './lib/types';

export { LangProvider, useI18n, useT } from './lang';
export type { T } from './lang';

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
