// The HTTP layer under the typed API client: JSON in and out, the bearer
// token, one retry after a 401 once the token source has renewed itself,
// and the contract's error body parsed into ApiError.

export const API_BASE = '/api/v1';

export interface FieldProblem {
  field: string;
  message: string;
  /** The stable word for the kind of problem (API.md "Error details carry a code"). */
  code?: string;
  /** Values the problem's sentence needs, e.g. {max: 200}. */
  params?: Record<string, unknown>;
  /** The path whose last name picks the code's words when field was narrowed (an import problem shown on its question). */
  wordsField?: string;
}

/**
 * An error answered by the server (status ≥ 400, with the contract's
 * `{error: {code, message, details}}` body) or a network failure (status 0,
 * code "network").
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldProblem[];
  /** Seconds from Retry-After, when the server sent it (429). */
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, details: FieldProblem[] = [], retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** The request never got an answer (offline, connection refused, …). */
  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** Worth trying again later as it is: network trouble, overload, 5xx. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Builds an ApiError from a failed response, whatever its body holds. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let details: FieldProblem[] = [];
  try {
    const text = await res.text();
    if (text) {
      const body = JSON.parse(text) as unknown;
      const err = (body as { error?: unknown })?.error as
        | { code?: unknown; message?: unknown; details?: unknown }
        | undefined;
      if (err && typeof err === 'object') {
        if (typeof err.code === 'string') code = err.code;
        if (typeof err.message === 'string') message = err.message;
        if (Array.isArray(err.details)) {
          details = err.details
            .filter(
              (d): d is { field?: unknown; message?: unknown; code?: unknown; params?: unknown } =>
                !!d && typeof d === 'object',
            )
            .map((d) => {
              const p: FieldProblem = {
                field: typeof d.field === 'string' ? d.field : '',
                message: typeof d.message === 'string' ? d.message : '',
              };
              if (typeof d.code === 'string') p.code = d.code;
              if (d.params && typeof d.params === 'object' && !Array.isArray(d.params)) p.params = d.params as Record<string, unknown>;
              return p;
            });
        }
      }
    }
  } catch {
    // not JSON: keep the status-derived code
  }
  const ra = res.headers.get('Retry-After');
  const retryAfter = ra && /^\d+$/.test(ra) ? Number(ra) : undefined;
  return new ApiError(res.status, code, message, details, retryAfter);
}

/**
 * Where the bearer token comes from. `token` may fetch one (a candidate's
 * session); `refresh` is called once after a 401 with the token that was
 * refused and says whether a retry is worth it.
 */
export interface TokenSource {
  token(): Promise<string | null>;
  refresh(refused: string | null): Promise<boolean>;
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  signal?: AbortSignal;
  /** Return the raw Response (for downloads) instead of parsed JSON. */
  raw?: boolean;
  /** Extra query string, without "?". */
  query?: Record<string, string | number | boolean | undefined>;
  /** Extra request headers (If-None-Match for a conditional resume). */
  headers?: Record<string, string>;
}

/** POSTs body as JSON to path, with no token and no retry: the calls that open or renew a session. */
export function postJson(fetchFn: FetchFn, path: string, body: unknown): Promise<Response> {
  return fetchFn(API_BASE + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

export class Http {
  private readonly auth: TokenSource | null;
  private readonly fetchFn: FetchFn;
  private readonly base: string;

  constructor(auth: TokenSource | null, fetchFn?: FetchFn, base = API_BASE) {
    this.auth = auth;
    // Bound so that window.fetch keeps its `this`.
    this.fetchFn = fetchFn ?? ((input, init) => fetch(input, init));
    this.base = base;
  }

  get<T>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, undefined, opts);
  }
  post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, body, opts);
  }
  put<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, body, opts);
  }
  patch<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, body, opts);
  }
  delete<T>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, undefined, opts);
  }

  async request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    let url = this.base + path;
    if (opts.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) q.set(k, String(v));
      const s = q.toString();
      if (s) url += (url.includes('?') ? '&' : '?') + s;
    }
    let token = this.auth ? await this.auth.token() : null;
    let res = await this.send(method, url, body, token, opts);
    if (res.status === 401 && this.auth) {
      if (await this.auth.refresh(token)) {
        token = await this.auth.token();
        res = await this.send(method, url, body, token, opts);
      }
    }
    // A 304 is an answer only to a conditional request, handed back raw.
    if (res.status === 304 && opts.raw && opts.headers?.['If-None-Match']) return res as unknown as T;
    if (!res.ok) throw await errorFromResponse(res);
    if (opts.raw) return res as unknown as T;
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, 'bad_response', 'the server answered with something that is not JSON');
    }
  }

  private async send(
    method: string,
    url: string,
    body: unknown,
    token: string | null,
    opts: RequestOptions,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    // A FormData body (a file upload) sets its own multipart Content-Type.
    const form = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    if (token) headers['Authorization'] = `Bearer ${token}`;
    try {
      return await this.fetchFn(url, {
        method,
        headers,
        body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
        signal: opts.signal,
        cache: 'no-store',
      });
    } catch (e) {
      if ((e as { name?: string })?.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', e instanceof Error ? e.message : 'network error');
    }
  }
}

/** The minimal part of Web Storage the token stores use (testable with a Map). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class MemoryStore implements KeyValueStore {
  private m = new Map<string, string>();
  getItem(key: string): string | null {
    return this.m.has(key) ? (this.m.get(key) as string) : null;
  }
  setItem(key: string, value: string): void {
    this.m.set(key, value);
  }
  removeItem(key: string): void {
    this.m.delete(key);
  }
}

/** localStorage/sessionStorage when the browser allows them, memory otherwise. */
export function browserStore(kind: 'local' | 'session'): KeyValueStore {
  try {
    const s = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    if (s) {
      const probe = '__examd_probe__';
      s.setItem(probe, '1');
      s.removeItem(probe);
      return s;
    }
  } catch {
    // private mode or no DOM
  }
  return new MemoryStore();
}
