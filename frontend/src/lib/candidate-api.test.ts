import { describe, expect, it } from 'vitest';
import { MemoryStore } from './http';
import { CandidateAuth, candidateApi } from './candidate-api';

// A conditional resume: the kept copy and its ETag make GET /candidate/attempt
// a 304 while nothing changed; the server's clock still comes fresh.
describe('resume with If-None-Match', () => {
  const attempt = (answer: string, serverTime: string) => ({
    id: 'a1',
    status: 'in_progress',
    deadline: '2026-12-02T10:30:00Z',
    server_time: serverTime,
    sections: [],
    responses: { q1: { response: { text: answer }, seq: 3 } },
  });

  function server() {
    const seen: (string | null)[] = [];
    let etag = '"v1"';
    let body = attempt('first', '2026-12-02T10:00:00Z');
    let clock = '2026-12-02T10:00:00Z';
    const fn = async (url: string, init: RequestInit = {}) => {
      if (url.endsWith('/candidate/sessions')) {
        return new Response(JSON.stringify({ access_token: 'tok', expires_in: 3600 }), { status: 200 });
      }
      const inm = new Headers(init.headers).get('If-None-Match');
      seen.push(inm);
      const headers = { ETag: etag, 'X-Server-Time': clock, 'Content-Type': 'application/json' };
      if (inm === etag) return new Response(null, { status: 304, headers });
      return new Response(JSON.stringify(body), { status: 200, headers });
    };
    return {
      fn,
      seen,
      change(newTag: string, b: ReturnType<typeof attempt>) {
        etag = newTag;
        body = b;
      },
      tick(t: string) {
        clock = t;
      },
    };
  }

  it('sends the kept ETag, uses the kept copy on a 304 with the new server time, and replaces it on a 200', async () => {
    const store = new MemoryStore();
    const s = server();
    const api = () => candidateApi(new CandidateAuth('inv', store, s.fn), s.fn);

    const first = await api().get();
    expect(first.responses.q1.response).toEqual({ text: 'first' });
    expect(s.seen).toEqual([null]);

    // A reload ten minutes later: a new page, the same tab's storage.
    s.tick('2026-12-02T10:10:00Z');
    const again = await api().get();
    expect(s.seen[1]).toBe('"v1"');
    expect(again.responses.q1.response).toEqual({ text: 'first' });
    expect(again.server_time).toBe('2026-12-02T10:10:00Z');

    // A save elsewhere changed the attempt: the server answers 200 and the
    // page shows the new answer, not the kept one.
    s.change('"v2"', attempt('second', '2026-12-02T10:11:00Z'));
    const changed = await api().get();
    expect(changed.responses.q1.response).toEqual({ text: 'second' });
    const next = await api().get();
    expect(s.seen[3]).toBe('"v2"');
    expect(next.responses.q1.response).toEqual({ text: 'second' });
  });

  it('forgetting the session drops the kept attempt', async () => {
    const store = new MemoryStore();
    const s = server();
    const auth = new CandidateAuth('inv', store, s.fn);
    await candidateApi(auth, s.fn).get();
    expect(auth.cachedAttempt()).not.toBeNull();
    auth.forget();
    expect(auth.cachedAttempt()).toBeNull();
  });
});
