// The recruiter's side of a trial: a lost link replaced, extra time for a
// running attempt, a timed-out attempt reopened, the key beside a wrong
// answer, and results filtered and shown as cards on a 390 px phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { api, ApiFailure, guarded, lettered, parseClock, publishedExam as publishedDoc, shot, signup, staffPage, startAttempt, unique, until, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

interface Admin {
  email: string;
  password: string;
  token: string;
}

async function publishedExam(admin: Admin, limit: number, title = 'Recruiter checks') {
  return publishedDoc(admin.token, {
    title,
    time_limit_seconds: limit,
    grace_seconds: 0,
    pass_score: 1,
    sections: [
      {
        title: 'Part one',
        questions: [
          { type: 'true_false', prompt: 'Water boils at 100 °C at sea level.', answer: true, points: 1 },
          {
            type: 'single_choice',
            prompt: 'Which colour is the sky on a clear day?',
            options: lettered('Blue', 'Green'),
            answer: 'a',
            points: 1,
          },
        ],
      },
    ],
  });
}

async function invite(admin: Admin, examId: string, name: string) {
  return api<{ id: string; token: string; link: string }>(
    'POST',
    `/exams/${examId}/invitations`,
    { candidate_name: name, candidate_email: `${unique(name.toLowerCase().replace(/\s+/g, '.'))}@example.com` },
    admin.token,
  );
}

/** A new admin (signed up as prefix), a published exam of limit seconds and an invitation to it for name. */
async function invited(prefix: string, limit: number, name: string) {
  const admin = await signup(prefix);
  const examId = await publishedExam(admin, limit);
  const inv = await invite(admin, examId, name);
  return { admin, examId, inv };
}

async function candidateToken(inviteToken: string) {
  const s = await api<{ access_token: string }>('POST', '/candidate/sessions', { token: inviteToken });
  return s.access_token;
}

const adminPage = (admin: Admin, path: string, context?: BrowserContextOptions) => staffPage(browser, admin, { next: path, context });

test('a new link replaces a lost one: the old link is refused, the new one works', async () => {
  const { admin, examId, inv } = await invited('newlink', 600, 'Lost Link');
  const pages: Page[] = [];
  await guarded('newlink', () => pages, async () => {
    const page = await adminPage(admin, `/exams/${examId}/invitations`);
    pages.push(page);
    const row = page.getByTestId('invitation-row').filter({ hasText: 'Lost Link' });
    // After a reload the link is gone (only its hash is kept)…
    await row.getByText('hidden — use New link').waitFor();
    await row.getByRole('button', { name: 'New link' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'New link' }).click();
    const shown = page.getByTestId('new-link');
    await shown.waitFor();
    const fresh = (await shown.textContent())?.trim() ?? '';
    assert.match(fresh, /\/take\/[A-Za-z0-9_-]{20,}$/);
    assert.notEqual(fresh, inv.link);
    await page.getByTestId('fresh-link').getByRole('button', { name: 'Copy link' }).waitFor();
    // …and the row has a copy button again.
    await row.getByRole('button', { name: 'Copy link' }).waitFor();
    await shot(page, 'recruiter-01-new-link');

    const cand = await page.context().newPage();
    pages.push(cand);
    await cand.goto(new URL(inv.link).pathname);
    await cand.getByText('The link is not valid, or it was withdrawn.', { exact: false }).waitFor();
    await cand.goto(new URL(fresh).pathname);
    await cand.getByRole('button', { name: 'Start the exam' }).waitFor();
    await page.context().close();
  });
});

test('extra time for a running attempt moves the candidate’s deadline', async () => {
  const { admin, examId, inv } = await invited('extratime', 300, 'Slow Writer');
  const pages: Page[] = [];
  await guarded('extratime', () => pages, async () => {
    const { ctx: cctx, page: cand } = await watchedPage(browser, 'candidate');
    pages.push(cand);
    await cand.goto(new URL(inv.link).pathname);
    await cand.getByRole('button', { name: 'Start the exam' }).click();
    await cand.getByTestId('timer').waitFor();
    assert.ok(parseClock((await cand.getByTestId('timer').textContent()) ?? '') <= 300);

    const page = await adminPage(admin, `/exams/${examId}/invitations`);
    pages.push(page);
    const row = page.getByTestId('invitation-row').filter({ hasText: 'Slow Writer' });
    await row.getByText('In progress').waitFor();
    await row.getByRole('button', { name: 'Extra time' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('The attempt is running', { exact: false }).waitFor();
    await dialog.getByLabel('Extra minutes').fill('30');
    await dialog.getByRole('button', { name: 'Save extra time' }).click();
    await page.getByTestId('time-done').getByText('Slow Writer now has 30 extra minutes.', { exact: false }).waitFor();
    await row.getByText('+30 min extra').waitFor();
    await shot(page, 'recruiter-02-extra-time');

    // The server's view for the candidate moved at once.
    const tok = await candidateToken(inv.token);
    const a = await api<{ started_at: string; deadline: string }>('GET', '/candidate/attempt', undefined, tok);
    assert.equal(Date.parse(a.deadline) - Date.parse(a.started_at), (300 + 1800) * 1000);
    // The candidate's countdown shows it (after a reload here; the page's
    // own periodic re-sync is another change).
    await cand.reload();
    await cand.getByTestId('timer').waitFor();
    const left = parseClock((await cand.getByTestId('timer').textContent()) ?? '');
    assert.ok(left > 1800 && left <= 2100, `the countdown shows ${left} s`);
    await cctx.close();
    await page.context().close();
  });
});

test('an admin reopens a timed-out attempt; the attempt page shows keys and a timeline', async () => {
  const { admin, examId, inv } = await invited('reopen', 3, 'Power Cut');
  const tok = await candidateToken(inv.token);
  const att = await api<{ id: string; sections: { questions: { id: string; type: string }[] }[] }>(
    'POST',
    '/candidate/attempt',
    undefined,
    tok,
  );
  const qs = att.sections.flatMap((s) => s.questions);
  const sc = qs.find((q) => q.type === 'single_choice')!;
  await api('PUT', `/candidate/attempt/answers/${sc.id}`, { response: { choice: 'b' }, seq: 1 }, tok);
  await api('POST', '/candidate/attempt/events', { type: 'blur', at: new Date().toISOString() }, tok);
  await new Promise((r) => setTimeout(r, 1200));
  await api('POST', '/candidate/attempt/events', { type: 'focus', at: new Date().toISOString() }, tok);
  // The server's sweeper submits it as a timeout within seconds.
  await until(
    async () => {
      const r = await api<{ items: { status: string; submitted_by: string | null }[] }>('GET', `/exams/${examId}/results`, undefined, admin.token);
      return r.items[0]?.submitted_by === 'timeout';
    },
    25_000,
    'the timeout submission',
  );
  const pages: Page[] = [];
  await guarded('reopen', () => pages, async () => {
    const page = await adminPage(admin, `/attempts/${att.id}?exam=${examId}`);
    pages.push(page);
    // The key beside the wrong answer, each chosen option marked.
    const chosen = page.locator('[data-testid=option][data-chosen=true]');
    await chosen.getByText('chosen, wrong').waitFor();
    await page.locator('[data-testid=option][data-correct=true]').getByText('right, not chosen').waitFor();
    await page.getByTestId('key-line').getByText('True').waitFor();
    // The blur/focus pair is one "left the page" entry with its duration.
    await page.getByTestId('timeline').getByText(/Left the page for \d+ s/).waitFor();
    await shot(page, 'recruiter-03-attempt-keys');
    // The same in Chinese: "离开页面 1 秒", options marked in Chinese.
    await page.locator('#lang-select').selectOption('zh-CN');
    await page.getByTestId('timeline').getByText(/离开页面 \d+ 秒/).waitFor();
    await page.locator('[data-testid=option][data-chosen=true]').getByText('已选，错误').waitFor();
    await shot(page, 'recruiter-03b-attempt-keys-zh');
    await page.locator('#lang-select').selectOption('en');

    await page.getByRole('button', { name: 'Reopen attempt' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reopen attempt' }).click();
    await dialog.getByText('Say why the attempt is reopened.').waitFor();
    await dialog.getByLabel('Minutes from now').fill('15');
    await dialog.getByLabel('Reason').fill('Power cut at the test centre');
    await dialog.getByRole('button', { name: 'Reopen attempt' }).click();
    await page.getByTestId('reopened').waitFor();
    await page.getByText('In progress').first().waitFor();
    await shot(page, 'recruiter-04-reopened');

    // The candidate continues where they were and can change the answer.
    const cur = await api<{ status: string; deadline: string; responses: Record<string, unknown> }>('GET', '/candidate/attempt', undefined, await candidateToken(inv.token));
    assert.equal(cur.status, 'in_progress');
    assert.ok(Date.parse(cur.deadline) - Date.now() > 14 * 60_000, `deadline ${cur.deadline}`);
    assert.ok(cur.responses[sc.id], 'the saved answer stayed');
    // A second reopen is refused while it runs.
    await assert.rejects(
      api('POST', `/attempts/${att.id}/reopen`, { extra_seconds: 60, reason: 'again' }, admin.token),
      (e: unknown) => e instanceof ApiFailure && e.status === 409,
    );
    await page.context().close();
  });
});

test('results: filters, sort, never-started invitees and cards on a 390 px phone', async () => {
  const admin = await signup('results');
  const examId = await publishedExam(admin, 600, '结果筛选');
  const done: [string, boolean, boolean][] = [
    ['Ann Both', true, true],
    ['Ben One', true, false],
    ['Cai None', false, false],
  ];
  for (const [name, tf, sc] of done) {
    const inv = await invite(admin, examId, name);
    const attempt = await startAttempt(inv.token);
    const qs = attempt.questions;
    if (tf) await attempt.answer(qs.find((q) => q.type === 'true_false')!.id, { value: true });
    if (sc) await attempt.answer(qs.find((q) => q.type === 'single_choice')!.id, { choice: 'a' });
    await attempt.submit();
  }
  await invite(admin, examId, 'Dee Waiting');

  const pages: Page[] = [];
  await guarded('results', () => pages, async () => {
    const page = await adminPage(admin, `/exams/${examId}/results`);
    pages.push(page);
    const rows = page.getByTestId('result-row');
    await rows.filter({ hasText: 'Dee Waiting' }).getByText('Not started').waitFor();
    assert.equal(await rows.count(), 4);

    const names = async () => (await rows.locator('th').allTextContents()).map((x) => x.trim());
    await page.getByLabel('Sort by').selectOption('-score');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(async () => (await names()).join(',') === 'Ann Both,Ben One,Cai None,Dee Waiting', 10_000, 'sorted by score');

    await page.getByLabel('Status', { exact: true }).selectOption('pending');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(async () => (await names()).join(',') === 'Dee Waiting', 10_000, 'only the never-started');

    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Score at least').fill('1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(async () => (await names()).join(',') === 'Ann Both,Ben One', 10_000, 'score at least 1');
    await shot(page, 'recruiter-05-results-filtered');

    // The CSV follows the page's language and the browser's zone.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^结果筛选-results-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.context().close();

    // A phone: every row is a card with its labels; nothing is cut to a
    // character per line.
    const phone = await adminPage(admin, `/exams/${examId}/results`, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    pages.push(phone);
    const card = phone.getByTestId('result-row').filter({ hasText: 'Ann Both' });
    await card.waitFor();
    const box = await card.boundingBox();
    assert.ok(box && box.width > 300, `the card is ${box?.width} px wide`);
    assert.equal(await card.evaluate((el) => getComputedStyle(el).display), 'block');
    const head = await phone.locator('[data-testid=results-table] thead').boundingBox();
    assert.ok(!head || head.height <= 1, 'the header row is hidden on a phone');
    const email = await card.locator('td').nth(0).boundingBox();
    assert.ok(email && email.height < 60, `the e-mail cell is ${email?.height} px tall`);
    const scrollable = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(scrollable, false, 'no sideways scrolling');
    await shot(phone, 'recruiter-06-results-390');
    await phone.goto(`/exams/${examId}/invitations`);
    const invCard = phone.getByTestId('invitation-row').filter({ hasText: 'Dee Waiting' });
    await invCard.getByRole('button', { name: 'New link' }).waitFor();
    assert.equal(await invCard.evaluate((el) => getComputedStyle(el).display), 'block');
    await shot(phone, 'recruiter-07-invitations-390');
    await phone.context().close();
  });
});
