// The candidate's side of the API: the session token store of an
// invitation (kept in sessionStorage, fetched again from POST
// /candidate/sessions when missing or expired) and the attempt endpoints.
// Apart from session.ts and api.ts so that the candidate's page does not
// carry the staff client; both re-export what is here.

import { ApiError, errorFromResponse, Http, postJson } from './http';
import type { FetchFn, KeyValueStore, TokenSource } from './http';
import type {
  Attempt,
  CandidateSession,
  IntegrityEventType,
  Response as AnswerResponse,
  SaveAnswerResponse,
  SubmitResponse,
} from './types';

const enc = encodeURIComponent;

const CAND_PREFIX = 'examd.candidate.';

interface StoredCandidate {
  session: CandidateSession;
  /** ms since epoch, local clock, when the access token stops being used. */
  expires_at: number;
}

export class CandidateAuth implements TokenSource {
  readonly invitationToken: string;
  private readonly store: KeyValueStore;
  private readonly fetchFn: FetchFn;
  private pending: Promise<CandidateSession> | null = null;
  private readonly now: () => number;

  constructor(invitationToken: string, store: KeyValueStore, fetchFn?: FetchFn, now: () => number = Date.now) {
    this.invitationToken = invitationToken;
    this.store = store;
    this.fetchFn = fetchFn ?? ((i, init) => fetch(i, init));
    this.now = now;
  }

  private key(): string {
    return CAND_PREFIX + this.invitationToken;
  }

  /** The stored session when its token is still good for a while. */
  stored(): CandidateSession | null {
    const raw = this.store.getItem(this.key());
    if (!raw) return null;
    try {
      const s = JSON.parse(raw) as StoredCandidate;
      if (!s.session?.access_token || !(s.expires_at > this.now() + 15_000)) return null;
      return s.session;
    } catch {
      return null;
    }
  }

  /** POST /candidate/sessions: a fresh token and the welcome facts. */
  open(): Promise<CandidateSession> {
    if (!this.pending) {
      this.pending = this.doOpen().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  private async doOpen(): Promise<CandidateSession> {
    let res: Response;
    try {
      res = await postJson(this.fetchFn, '/candidate/sessions', { token: this.invitationToken });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : 'network error');
    }
    if (!res.ok) {
      const err = await errorFromResponse(res);
      if (err.status === 401 || err.status === 403) this.forget();
      throw err;
    }
    const session = (await res.json()) as CandidateSession;
    const s: StoredCandidate = {
      session,
      expires_at: this.now() + (session.expires_in || 600) * 1000,
    };
    this.store.setItem(this.key(), JSON.stringify(s));
    return session;
  }

  /** The stored session if valid, else a fresh one. */
  async session(): Promise<CandidateSession> {
    return this.stored() ?? (await this.open());
  }

  /** The attempt last received and its ETag, for a conditional resume. */
  cachedAttempt(): { etag: string; attempt: Attempt } | null {
    const raw = this.store.getItem(this.key() + '.attempt');
    if (!raw) return null;
    try {
      const c = JSON.parse(raw) as { etag?: string; attempt?: Attempt };
      return c.etag && c.attempt ? { etag: c.etag, attempt: c.attempt } : null;
    } catch {
      return null;
    }
  }

  keepAttempt(etag: string | null, attempt: Attempt): void {
    if (!etag) return;
    try {
      this.store.setItem(this.key() + '.attempt', JSON.stringify({ etag, attempt }));
    } catch {
      // Storage full or refused: resumes are simply not conditional.
    }
  }

  forget(): void {
    this.store.removeItem(this.key());
    this.store.removeItem(this.key() + '.attempt');
  }

  async token(): Promise<string | null> {
    return (await this.session()).access_token;
  }

  async refresh(refused: string | null): Promise<boolean> {
    const cur = this.stored();
    if (cur && refused && cur.access_token !== refused) return true;
    this.forget();
    try {
      await this.open();
      return true;
    } catch {
      return false;
    }
  }
}

/** Candidate endpoints, authenticated by the invitation's session token. */
export function candidateApi(auth: CandidateAuth, fetchFn?: FetchFn) {
  const http = new Http(auth, fetchFn);
  return {
    auth,
    /** A fresh session (welcome facts and token). */
    open: (): Promise<CandidateSession> => auth.open(),
    start: () => http.post<Attempt>('/candidate/attempt'),
    get: () => resume(http, auth),
    save: (questionId: string, response: AnswerResponse, seq: number) =>
      http.put<SaveAnswerResponse>(`/candidate/attempt/answers/${enc(questionId)}`, { response, seq }),
    submit: () => http.post<SubmitResponse>('/candidate/attempt/submit'),
    event: (type: IntegrityEventType, at: Date = new Date()) =>
      http.post<void>('/candidate/attempt/events', { type, at: at.toISOString() }),
  };
}

export type CandidateApi = ReturnType<typeof candidateApi>;

/**
 * GET /candidate/attempt, conditional when a copy is kept: the server
 * answers 304 while nothing the candidate sees has changed (its ETag
 * covers saves, submission, deadline moves and grading), and the kept copy
 * is used with the server's clock from X-Server-Time, so the countdown
 * stays honest. Any 200 replaces the copy.
 */
async function resume(http: Http, auth: CandidateAuth): Promise<Attempt> {
  const kept = auth.cachedAttempt();
  const res = await http.get<Response>('/candidate/attempt', {
    raw: true,
    headers: kept ? { 'If-None-Match': kept.etag } : undefined,
  });
  const serverTime = res.headers.get('X-Server-Time');
  if (res.status === 304 && kept) {
    return serverTime ? { ...kept.attempt, server_time: serverTime } : kept.attempt;
  }
  let attempt: Attempt;
  try {
    attempt = (await res.json()) as Attempt;
  } catch {
    throw new ApiError(res.status, 'bad_response', 'the server answered with something that is not JSON');
  }
  auth.keepAttempt(res.headers.get('ETag'), attempt);
  return attempt;
}
