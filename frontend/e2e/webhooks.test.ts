// An admin connects an applicant-tracking system: creates a webhook (the
// signing secret shown once, with a copy button), invites candidates by
// e-mail (one on the form, one on the pasted list), a candidate takes the
// exam through the link in the mail, and the delivery log shows each event
// delivered, with a retry that sends the same webhook-id again.
//
// The mail arrives at an SMTP sink in this process on E2E_SMTP_PORT (the
// port scripts/e2e.sh gives examd as SMTP_URL); the webhook goes to an HTTP
// receiver on 127.0.0.1 (examd runs with WEBHOOK_ALLOW_PRIVATE=true there)
// that checks every Standard Webhooks signature itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { BASE, guarded, lettered, newContext, publishedExam, shot, signIn, signup, unique, until, useBrowser, watchConsole, watchedPage } from './helpers';
import { mailText, startSmtpSink } from './smtp-sink';

const browser = useBrowser();
const pages: Page[] = [];

interface Received {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** A webhook receiver that verifies each request's signature with the secret it is given. */
async function startReceiver() {
  const state = { secret: '', got: [] as Received[], bad: [] as string[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const ts = String(req.headers['webhook-timestamp'] ?? '');
      const sig = String(req.headers['webhook-signature'] ?? '');
      const key = Buffer.from(state.secret.replace(/^whsec_/, ''), 'base64');
      const want = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
      const ok = sig.split(' ').some((s) => {
        if (!s.startsWith('v1,')) return false;
        const given = Buffer.from(s.slice(3), 'base64');
        return given.length === want.length && timingSafeEqual(given, want);
      });
      const fresh = Math.abs(Date.now() / 1000 - Number(ts)) < 300;
      if (!ok || !id || !fresh || !state.secret) {
        state.bad.push(`${id} ${ts} ${sig}`);
        res.writeHead(400).end('bad signature');
        return;
      }
      const ev = JSON.parse(body) as { type: string; data: Record<string, unknown> };
      state.got.push({ id, type: ev.type, data: ev.data });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { state, url: `http://127.0.0.1:${port}/ats/hook`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('webhook with its secret shown once, invitations by e-mail, the exam taken from the mail, deliveries logged and retried', async () => {
  const smtpPort = Number(process.env.E2E_SMTP_PORT);
  assert.ok(smtpPort > 0, 'E2E_SMTP_PORT is not set: run the browser tests through scripts/e2e.sh, which gives examd SMTP_URL on it');
  const sink = await startSmtpSink(smtpPort);
  const rcv = await startReceiver();
  try {
    await guarded('webhooks', () => pages, async () => {
      const admin = await signup('hooks');
      const title = unique('ATS exam');
      const examId = await publishedExam(admin.token, {
        title,
        time_limit_seconds: 900,
        sections: [
          {
            title: 'S',
            questions: [
              { type: 'true_false', prompt: 'Webhooks are signed.', answer: true, points: 1 },
              { type: 'single_choice', prompt: 'Pick Beta.', options: lettered('Alpha', 'Beta'), answer: 'b', points: 1 },
            ],
          },
        ],
      });

      const ctx = await newContext(browser, { locale: 'en-US' });
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
      const page = await ctx.newPage();
      pages.push(page);
      watchConsole(page, 'admin');
      await signIn(page, admin, { landing: '/exams' });

      // ---- the webhook: URL, events, the secret once ----
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'New webhook' }).waitFor();
      await page.getByLabel('URL (http or https)').fill(rcv.url);
      await page.getByLabel('Description').fill('Greenhouse');
      for (const ev of ['invitation.created', 'attempt.started']) await page.locator('label.check', { hasText: ev }).locator('input').check();
      await page.getByRole('button', { name: 'Create webhook' }).click();
      const secretEl = page.getByTestId('webhook-secret');
      await secretEl.waitFor();
      const secret = ((await secretEl.textContent()) ?? '').trim();
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);
      assert.ok(Buffer.from(secret.slice(6), 'base64').length >= 24, 'the secret holds at least 24 random bytes');
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
      rcv.state.secret = secret;
      await shot(page, 'h24-webhooks-01-secret-once');
      // Listed without the secret; once the page is left, it is gone.
      const listed = page.getByTestId('webhook-list').locator('li', { hasText: rcv.url });
      await listed.getByText('Greenhouse').waitFor();
      for (const ev of ['Invitation created', 'Attempt started', 'Attempt submitted', 'Attempt graded']) await listed.getByText(ev, { exact: true }).waitFor();
      await page.reload();
      await page.getByTestId('webhook-list').getByText(rcv.url).waitFor();
      assert.equal(await page.getByTestId('webhook-secret').count(), 0);
      assert.equal((await page.content()).includes(secret), false, 'the secret is shown again after a reload');

      // ---- invitations by e-mail: one on the form (in English), one on the list (in Chinese) ----
      await page.goto(`/exams/${examId}/invitations`);
      const one = page.locator('form', { has: page.getByRole('heading', { name: 'Invite a candidate' }) });
      const casey = `${unique('casey')}@example.com`;
      const lin = `${unique('lin')}@example.com`;
      await one.getByLabel('Name').fill('Casey Candidate');
      await one.getByLabel('Email').fill(casey);
      await one.getByTestId('send-email').check();
      await one.getByLabel('E-mail language').selectOption('en');
      await one.getByRole('button', { name: 'Create invitation' }).click();
      await one.getByText('Invitation for Casey Candidate created.', { exact: false }).waitFor();
      const bulk = page.getByTestId('bulk-invite');
      await bulk.getByLabel('One candidate per line: name, email, track').fill(`林一, ${lin}`);
      await bulk.getByTestId('bulk-send-email').check();
      await bulk.getByLabel('E-mail language').selectOption('zh-CN');
      await bulk.getByRole('button', { name: 'Invite 1' }).click();
      await bulk.getByTestId('bulk-outcome').waitFor();

      const mailTo = (addr: string) => until(async () => sink.mails.find((m) => m.to.includes(addr)), 20_000, `the invitation mail to ${addr}`);
      const caseyMail = mailText((await mailTo(casey)).raw);
      const linMail = mailText((await mailTo(lin)).raw);
      assert.match(caseyMail, new RegExp(`you are invited to take the exam “${title}”`));
      assert.match(caseyMail, /Time limit: 15 minutes/);
      assert.match(linMail, new RegExp(`诚邀您参加「${title}」`));
      assert.match(linMail, /考试时长：15 分钟/);
      const link = /https?:\/\/[^\s"<>]+\/take\/[A-Za-z0-9_-]+/.exec(caseyMail)?.[0];
      assert.ok(link, `no link in the mail:\n${caseyMail}`);
      assert.ok(link.startsWith(`${BASE}/take/`), `the link ${link} points at this server`);

      // The e-mail column says Sent for both (the list refreshes on demand).
      await until(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          const st = await page.getByTestId('email-status').allTextContents();
          return st.length === 2 && st.every((s) => s.trim() === 'Sent');
        },
        20_000,
        'both e-mail statuses to read Sent',
      );
      await shot(page, 'h24-webhooks-02-invited-by-mail');

      // ---- the candidate follows the link from the mail ----
      const { ctx: candCtx, page: cand } = await watchedPage(browser, 'candidate', { locale: 'en-US' });
      pages.push(cand);
      await cand.goto(link);
      await cand.getByRole('button', { name: 'Start the exam' }).click();
      await cand.getByTestId('timer').waitFor();
      await cand.locator('[data-qtype=true_false] label.q-option', { hasText: 'True' }).click();
      await cand.locator('[data-qtype=single_choice] label.q-option', { hasText: 'Beta' }).click();
      await cand.locator('[data-qtype=single_choice] [data-testid=q-mark][data-mark=saved]').waitFor();
      await cand.getByRole('button', { name: 'Submit' }).first().click();
      const confirm = cand.getByRole('dialog', { name: 'Submit your answers?' });
      await confirm.getByRole('button', { name: 'Submit now' }).click();
      await cand.getByRole('heading', { name: 'Your answers have been submitted' }).waitFor();
      await shot(cand, 'h24-webhooks-03-candidate-done');
      await candCtx.close();

      // ---- every event arrived signed: two invitations, started, submitted, graded ----
      const want = ['attempt.graded', 'attempt.started', 'attempt.submitted', 'invitation.created', 'invitation.created'];
      await until(async () => rcv.state.got.length >= want.length, 20_000, 'five signed deliveries');
      assert.deepEqual(rcv.state.bad, [], 'requests with a bad signature');
      assert.deepEqual(rcv.state.got.map((e) => e.type).sort(), want);
      const graded = rcv.state.got.find((e) => e.type === 'attempt.graded')!;
      assert.equal(graded.data.candidate_email, casey);
      assert.equal(graded.data.score, 2);
      assert.equal(graded.data.passed, true);
      assert.equal(graded.data.exam_id, examId);

      // ---- the delivery log: newest first, all delivered, then a retry ----
      await page.goto('/webhooks');
      const item = page.getByTestId('webhook-list').locator('li', { hasText: rcv.url });
      await item.getByRole('button', { name: 'Delivery log' }).click();
      const log = page.getByTestId('delivery-log');
      await log.waitFor();
      const rows = log.locator('tbody tr');
      assert.equal(await rows.count(), 5);
      const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((s) => s.trim());
      for (let i = 0; i < 5; i++) {
        const [, status, attempts, last] = await cells(i);
        assert.deepEqual([status, attempts, last], ['Delivered', '1', '204'], `row ${i}: ${(await cells(i)).join(' | ')}`);
      }
      assert.equal((await cells(0))[0], 'Attempt graded');
      await shot(page, 'h24-webhooks-04-delivery-log');

      const firstId = rcv.state.got.find((e) => e.type === 'attempt.graded')!.id;
      await rows.nth(0).getByRole('button', { name: 'Retry' }).click();
      await until(async () => rcv.state.got.length === 6, 20_000, 'the retried delivery');
      assert.equal(rcv.state.got[5].id, firstId, 'a retry carries the same webhook-id');
      assert.equal(rcv.state.got[5].type, 'attempt.graded');
      await until(
        async () => {
          await item.getByRole('button', { name: 'Delivery log' }).click(); // closes
          await log.waitFor({ state: 'detached' });
          await item.getByRole('button', { name: 'Delivery log' }).click(); // opens afresh, and fetches
          await rows.first().waitFor(); // the fresh page, not a read before it arrived
          const c = await cells(0);
          return c[1] === 'Delivered' && c[2] === '2';
        },
        15_000,
        'the log to show the second attempt',
      );
      assert.deepEqual(rcv.state.bad, []);
      await shot(page, 'h24-webhooks-05-retried');
      await ctx.close();
    });
  } finally {
    await sink.close();
    await rcv.close();
  }
});
