import { describe, expect, it } from 'vitest';
import { ApiError, Http, MemoryStore } from './http';
import { CandidateAuth, StaffSession } from './session';
import { staffApi } from './api';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function fakeFetch(handler: Handler) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    return handler(url, init);
  };
  return { fn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

const auth = (init: RequestInit) => new Headers(init.headers).get('Authorization');

const user = {
  id: 'u1',
  email: 'a@b.co',
  name: 'A',
  role: 'recruiter' as const,
  organization: { id: 'o1', name: 'Org' },
  created_at: '2026-01-01T00:00:00Z',
};

describe('errors', () => {
  it('parses the error body with details', async () => {
    const f = fakeFetch(() =>
      json(422, {
        error: {
          code: 'validation_failed',
          message: 'exam is not valid',
          details: [{ field: 'sections[1].questions[0].answers[1]', message: 'unknown option key "h"' }],
        },
      }),
    );
    const http = new Http(null, f.fn);
    const err = (await http.post("/exams", {}).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', message: 'exam is not valid' });
    expect(err.details).toEqual([{ field: 'sections[1].questions[0].answers[1]', message: 'unknown option key "h"' }]);
  });

  it('keeps Retry-After and copes with a body that is not JSON', async () => {
    const f = fakeFetch(() => new Response('busy', { status: 429, headers: { 'Retry-After': '30' } }));
    const err = (await new Http(null, f.fn).get('/x').catch((e) => e)) as ApiError;
    expect(err.code).toBe('http_429');
    expect(err.retryAfter).toBe(30);
    expect(err.isTransient).toBe(true);
  });

  it('turns a network failure into status 0', async () => {
    const err = (await new Http(null, async () => {
      throw new TypeError('Failed to fetch');
    })
      .get('/x')
      .catch((e) => e)) as ApiError;
    expect(err.isNetwork).toBe(true);
    expect(err.code).toBe('network');
  });

  it('sends JSON with a content type only when there is a body', async () => {
    const f = fakeFetch(() => json(200, { ok: true }));
    const http = new Http(null, f.fn);
    await http.post('/exams/1/publish');
    await http.put('/x', { a: 1 });
    expect(new Headers(f.calls[0].init.headers).get('Content-Type')).toBeNull();
    expect(f.calls[0].init.body).toBeUndefined();
    expect(new Headers(f.calls[1].init.headers).get('Content-Type')).toBe('application/json');
    expect(f.calls[1].init.body).toBe('{"a":1}');
  });
});

describe('staff refresh on 401', () => {
  function setup(refreshOk = true) {
    const store = new MemoryStore();
    let refreshes = 0;
    const f = fakeFetch((url, init) => {
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        if (!refreshOk) return json(401, { error: { code: 'unauthorized', message: 'no' } });
        const body = JSON.parse(String(init.body));
        expect(body.refresh_token).toBe('r1');
        return json(200, { access_token: 'a2', refresh_token: 'r2', expires_in: 900, token_type: 'Bearer' });
      }
      return auth(init) === 'Bearer a2' ? json(200, { items: [] }) : json(401, { error: { code: 'unauthorized', message: 'expired' } });
    });
    const session = new StaffSession(store, f.fn);
    session.set({ access_token: 'a1', refresh_token: 'r1', expires_in: 900 }, user);
    const api = staffApi(new Http(session, f.fn));
    return { session, api, f, refreshes: () => refreshes };
  }

  it('refreshes once and retries', async () => {
    const s = setup();
    await expect(s.api.listExams()).resolves.toEqual({ items: [] });
    expect(s.refreshes()).toBe(1);
    expect(s.session.state()?.refresh_token).toBe('r2');
    expect(s.session.user()).toEqual(user);
  });

  it('shares one refresh between concurrent requests', async () => {
    const s = setup();
    await Promise.all([s.api.listExams(), s.api.listExams(), s.api.listUsers()]);
    expect(s.refreshes()).toBe(1);
  });

  it('logs out when the refresh is refused, without looping', async () => {
    const s = setup(false);
    const err = (await s.api.listExams().catch((e) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(s.refreshes()).toBe(1);
    expect(s.session.state()).toBeNull();
  });
});

describe('candidate token', () => {
  it('opens a session when none is stored, and again after a 401', async () => {
    const store = new MemoryStore();
    let n = 0;
    const f = fakeFetch((url, init) => {
      if (url.endsWith('/candidate/sessions')) {
        n++;
        expect(JSON.parse(String(init.body))).toEqual({ token: 'inv-tok' });
        return json(200, {
          access_token: `c${n}`,
          expires_in: 3600,
          invitation: { id: 'i', candidate_name: '张三', status: 'pending' },
          exam: { title: 'T', time_limit_seconds: 60, question_count: 1, max_score: 1 },
        });
      }
      // the first token is refused (as if expired)
      return auth(init) === 'Bearer c2' ? json(200, { ok: 1 }) : json(401, { error: { code: 'unauthorized', message: 'x' } });
    });
    const a = new CandidateAuth('inv-tok', store, f.fn);
    const http = new Http(a, f.fn);
    await expect(http.get('/candidate/attempt')).resolves.toEqual({ ok: 1 });
    expect(n).toBe(2);
    // stored under the invitation token
    expect(store.getItem('examd.candidate.inv-tok')).toContain('"c2"');
    expect(a.stored()?.access_token).toBe('c2');
  });

  it('does not use an expired stored token', () => {
    const store = new MemoryStore();
    let now = 1_000_000;
    const a = new CandidateAuth('t', store, undefined, () => now);
    store.setItem('examd.candidate.t', JSON.stringify({ session: { access_token: 'x' }, expires_at: now + 60_000 }));
    expect(a.stored()?.access_token).toBe('x');
    now += 50_000;
    expect(a.stored()).toBeNull();
  });
});
