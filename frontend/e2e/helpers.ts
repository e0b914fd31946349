// Shared set-up of the browser tests: Debian's Chromium through
// playwright-core, the server's URL, screenshots, and a small API client for
// what the tests prepare without the UI.

import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';

export const BASE = (process.env.EXAMD_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A test file's browser: launched before its first test, closed after its last. */
export interface BrowserRef {
  current?: Browser;
}

/** Registers the file's before/after hooks that launch and close its browser. */
export function useBrowser(): BrowserRef {
  const ref: BrowserRef = {};
  before(async () => {
    ref.current = await launch();
  });
  after(async () => {
    await ref.current?.close();
  });
  return ref;
}

export async function newContext(from: Browser | BrowserRef, opts: BrowserContextOptions = {}): Promise<BrowserContext> {
  const browser = 'newContext' in from ? from : from.current;
  if (!browser) throw new Error('newContext: the browser is not launched yet (call useBrowser() at the top of the file)');
  const ctx = await browser.newContext({
    baseURL: BASE,
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    ...opts,
  });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** A new context (opts for it) with one page, whose console is watched under label. */
export async function watchedPage(
  from: Browser | BrowserRef,
  label: string,
  opts: BrowserContextOptions = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await newContext(from, opts);
  const page = await ctx.newPage();
  watchConsole(page, label);
  return { ctx, page };
}

/** WeChat's browser on an iPhone: where the trial's candidates opened their links (issue 10). */
export const WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
/** A 390×844 phone in WeChat's browser, in zh-CN: the context of the candidate on a phone. */
export const WECHAT_PHONE: BrowserContextOptions = {
  locale: 'zh-CN',
  viewport: { width: 390, height: 844 },
  userAgent: WECHAT,
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

export async function shot(page: Page, name: string, fullPage = true): Promise<string> {
  const path = `${SHOTS}${name}.png`;
  await page.screenshot({ path, fullPage });
  return path;
}

/** Prints browser errors, so a failing test says why. */
export function watchConsole(page: Page, label: string) {
  page.on('pageerror', (e) => console.error(`[${label}] page error:`, e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`[${label}] console:`, m.text());
  });
}

export const unique = (p: string) => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body}`);
  }
}

/** A thin client for test set-up and checks. */
export async function api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new ApiFailure(res.status, text, `${method} ${path}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function signup(prefix: string) {
  const email = `${unique(prefix)}@example.com`;
  const password = 'correct horse battery';
  const r = await api<{ access_token: string; user: { id: string } }>('POST', '/signup', {
    organization: `Org ${prefix}`,
    name: `Admin ${prefix}`,
    email,
    password,
  });
  return { email, password, token: r.access_token };
}

export async function login(email: string, password: string): Promise<string> {
  const r = await api<{ access_token: string }>('POST', '/auth/login', { email, password });
  return r.access_token;
}

/** Who signs in through the login page (what signup() returns will do). */
export interface Credentials {
  email: string;
  password: string;
}

const LOGIN_LABELS = {
  en: { email: 'Email', password: 'Password', submit: 'Log in' },
  'zh-CN': { email: '邮箱', password: '密码', submit: '登录' },
};

export interface SignInOptions {
  /** Opens /login?next=<next>, so the app goes there after; without it, to the role's home. */
  next?: string;
  /** Waits until the URL ends in it after the click; next by default, no wait when neither is given. */
  landing?: string;
  /** The login page's language, whose labels are filled in (English by default). */
  lang?: 'zh-CN' | 'en';
  /** Picks lang on the login page first (stored as the app does, then reloaded), as a person switching would. */
  chooseLang?: boolean;
}

/** Signs in through the login page. */
export async function signIn(page: Page, who: Credentials, opts: SignInOptions = {}): Promise<void> {
  const { next, landing = next, lang = 'en', chooseLang = false } = opts;
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  if (chooseLang) {
    await page.evaluate((l) => localStorage.setItem('examd.lang', l), lang);
    await page.reload();
  }
  const l = LOGIN_LABELS[lang];
  await page.getByLabel(l.email).fill(who.email);
  await page.getByLabel(l.password).fill(who.password);
  await page.getByRole('button', { name: l.submit }).click();
  if (landing) await page.waitForURL(`**${landing}`);
}

/**
 * A staff page in a context of its own, signed in (opts.context for the
 * context, the rest for signIn), its console watched under label (the
 * landing path by default) and, given pages, pushed there for guarded's
 * screenshots.
 */
export async function staffPage(
  from: Browser | BrowserRef,
  who: Credentials,
  opts: SignInOptions & { context?: BrowserContextOptions; label?: string; pages?: Page[] },
): Promise<Page> {
  const { page } = await watchedPage(from, opts.label ?? opts.landing ?? opts.next ?? 'staff', opts.context);
  opts.pages?.push(page);
  await signIn(page, who, opts);
  return page;
}

/** "1:02:03" or "4:59" → seconds */
export function parseClock(s: string): number {
  const parts = s.trim().split(':').map(Number);
  return parts.reduce((a, x) => a * 60 + x, 0);
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Runs a test body; on failure, saves a screenshot of each page first. */
export async function guarded(name: string, pages: () => Page[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    let i = 0;
    for (const p of pages()) {
      try {
        if (!p.isClosed()) await shot(p, `FAILED-${name}-${i++}`);
      } catch {
        // best effort
      }
    }
    throw e;
  }
}

/**
 * Turns off Playwright's focus emulation for a page, so that a window really
 * loses focus (window blur, document.hasFocus() false) when another page of
 * the context is brought to the front, as in a desktop browser. Call it
 * after navigating: a navigation to another origin may start a new renderer,
 * which gets the emulation back.
 */
export async function realFocus(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
}

/**
 * Runs SQL on the test server's database (EXAMD_DATABASE_URL, which
 * scripts/e2e.sh sets) with psql, for what no endpoint does; returns psql's
 * unaligned output.
 */
export async function sql(statement: string): Promise<string> {
  const url = process.env.EXAMD_DATABASE_URL;
  if (!url) throw new Error('EXAMD_DATABASE_URL is not set: run the browser tests through scripts/e2e.sh');
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile('psql', [url, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', statement], (err, stdout, stderr) => {
      if (err) reject(new Error(`psql: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** An exam as the API gives it back: its id and the ids of its questions. */
export interface CreatedExam {
  id: string;
  sections: { questions: { id: string; type: string }[] }[];
}

/** Creates doc as the holder of token and publishes it; returns the exam as created. */
export async function publishExam(token: string, doc: unknown): Promise<CreatedExam> {
  const exam = await api<CreatedExam>('POST', '/exams', doc, token);
  await api('POST', `/exams/${exam.id}/publish`, undefined, token);
  return exam;
}

/** Creates doc as the holder of token and publishes it; returns the exam's id. */
export async function publishedExam(token: string, doc: unknown): Promise<string> {
  return (await publishExam(token, doc)).id;
}

/** Invites one candidate, at a fresh `<emailPrefix>-…@example.com`; returns the invitation. */
export async function invite(
  token: string,
  examId: string,
  name: string,
  emailPrefix: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; link: string; token: string }> {
  return api('POST', `/exams/${examId}/invitations`, { candidate_name: name, candidate_email: `${unique(emailPrefix)}@example.com`, ...extra }, token);
}

/**
 * Starts the attempt of an invitation through the candidate API, as the
 * candidate's page would; returns the candidate's token, the attempt's
 * questions in order, and the calls that answer (a question's first save)
 * and submit.
 */
export async function startAttempt(inviteToken: string) {
  const ses = await api<{ access_token: string }>('POST', '/candidate/sessions', { token: inviteToken });
  const token = ses.access_token;
  const att = await api<{ sections: { questions: { id: string; type: string; prompt: string }[] }[] }>('POST', '/candidate/attempt', undefined, token);
  return {
    token,
    questions: att.sections.flatMap((s) => s.questions),
    answer: (questionId: string, response: unknown) => api('PUT', `/candidate/attempt/answers/${questionId}`, { response, seq: 1 }, token),
    submit: () => api('POST', '/candidate/attempt/submit', undefined, token),
  };
}

/** A choice question's options, keyed a, b, c… in the order given: lettered('Yes', 'No'). */
export function lettered(...texts: string[]): { key: string; text: string }[] {
  return texts.map((text, i) => ({ key: String.fromCharCode(97 + i), text }));
}

/** A ten-minute exam of one section of these questions; extra adds (or overrides) what else the document says. */
export function tenMinuteExam(title: string, section: string, questions: unknown[], extra: Record<string, unknown> = {}) {
  return { title, time_limit_seconds: 600, sections: [{ title: section, questions }], ...extra };
}

/** A ten-minute exam of one true/false question for two tracks (manager, supervisor), for tests about invitations. */
export function twoTrackExam(title: string) {
  return tenMinuteExam(title, 'S', [{ type: 'true_false', prompt: 'OK?', answer: true, points: 1 }], { tracks: ['manager', 'supervisor'] });
}

/** The rubric of the review tests' essays: two criteria, 4 and 6 points of 10. */
export const ESSAY_RUBRIC = [
  { criterion: 'Names the risks', points: 4 },
  { criterion: 'Gives a plan', points: 6 },
];

/**
 * On a version page, amends the key of one answer item: choose the new key
 * (its label), preview the effect, give the reason, confirm, and wait for
 * what the page says was done.
 */
export async function amendKey(item: Locator, choose: string, reason: string, done = 'Amended: 1 attempt(s) re-scored, 1 score(s) changed.') {
  await item.getByRole('button', { name: 'Amend key' }).click();
  await item.getByLabel(choose).check();
  await item.getByRole('button', { name: 'Preview the effect' }).click();
  await item.getByLabel('Reason for the change').fill(reason);
  await item.getByRole('button', { name: 'Confirm the amendment' }).click();
  await item.getByText(done).waitFor();
}

/** A ten-minute exam of one choice question and one essay, for tests about the page, not the questions. */
export function choiceAndEssayExam(title: string, section = 'S') {
  return tenMinuteExam(title, section, [
    { type: 'single_choice', prompt: 'Pick one', options: lettered('Alpha', 'Beta'), answer: 'b', points: 1 },
    { type: 'essay', prompt: 'Write', points: 5 },
  ]);
}
