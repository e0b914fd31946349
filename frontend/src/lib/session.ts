// Token stores. Staff keep their pair in localStorage (read afresh on every
// use, so two tabs share one rotating refresh token); a candidate's access
// token lives in sessionStorage keyed by the invitation token and is simply
// fetched again from POST /candidate/sessions when missing or expired.

import { postJson } from './http';
import type { FetchFn, KeyValueStore, TokenSource } from './http';
import type { LoginResponse, TokenPair, User } from './types';

const STAFF_KEY = 'examd.staff';

export interface StaffState {
  access_token: string;
  refresh_token: string;
  /** ms since epoch, local clock; informative only (a 401 drives refresh). */
  expires_at: number;
  user: User;
}

type Listener = (s: StaffState | null) => void;

export class StaffSession implements TokenSource {
  private readonly store: KeyValueStore;
  private readonly fetchFn: FetchFn;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();

  constructor(store: KeyValueStore, fetchFn?: FetchFn) {
    this.store = store;
    this.fetchFn = fetchFn ?? ((i, init) => fetch(i, init));
  }

  state(): StaffState | null {
    const raw = this.store.getItem(STAFF_KEY);
    if (!raw) return null;
    try {
      const s = JSON.parse(raw) as StaffState;
      return s && s.access_token && s.user ? s : null;
    } catch {
      return null;
    }
  }

  /** The stored text: a stable snapshot for React's useSyncExternalStore. */
  snapshot(): string | null {
    return this.store.getItem(STAFF_KEY);
  }

  /** Tells subscribers the stored session may have changed (another tab). */
  notify(): void {
    this.emit(this.state());
  }

  user(): User | null {
    return this.state()?.user ?? null;
  }

  /** Stores a pair from login, signup or refresh. */
  set(pair: TokenPair, user?: User): void {
    const prev = this.state();
    const u = user ?? prev?.user;
    if (!u) throw new Error('a staff session needs its user');
    const s: StaffState = {
      access_token: pair.access_token,
      refresh_token: pair.refresh_token,
      expires_at: Date.now() + (pair.expires_in || 900) * 1000,
      user: u,
    };
    this.store.setItem(STAFF_KEY, JSON.stringify(s));
    this.emit(s);
  }

  setUser(user: User): void {
    const s = this.state();
    if (!s) return;
    s.user = user;
    this.store.setItem(STAFF_KEY, JSON.stringify(s));
    this.emit(s);
  }

  clear(): void {
    this.store.removeItem(STAFF_KEY);
    this.emit(null);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(s: StaffState | null) {
    for (const fn of this.listeners) fn(s);
  }

  async token(): Promise<string | null> {
    return this.state()?.access_token ?? null;
  }

  /**
   * Called after a 401. Refreshes once, shared by every request that failed
   * meanwhile; when another request (or tab) has already replaced the refused
   * token, no refresh is needed: presenting a used refresh token would revoke
   * the whole family.
   */
  refresh(refused: string | null): Promise<boolean> {
    const cur = this.state();
    if (!cur) return Promise.resolve(false);
    if (refused && cur.access_token !== refused) return Promise.resolve(true);
    if (!this.refreshing) {
      this.refreshing = this.doRefresh(cur).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(cur: StaffState): Promise<boolean> {
    let res: Response;
    try {
      res = await postJson(this.fetchFn, '/auth/refresh', { refresh_token: cur.refresh_token });
    } catch {
      return false; // offline: keep the session, the caller sees its 401
    }
    if (!res.ok) {
      // Another tab may have rotated the pair while this request ran.
      const now = this.state();
      if (now && now.refresh_token !== cur.refresh_token) return true;
      this.clear();
      return false;
    }
    const body = (await res.json()) as Partial<LoginResponse>;
    this.set(body as TokenPair, body.user ?? cur.user);
    return true;
  }
}

export { CandidateAuth } from './candidate-api';
