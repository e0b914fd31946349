// The pages run under examd's Content-Security-Policy (no inline script,
// never framed) without the policy blocking anything the app itself does:
// the staff login and exam list, and a candidate's /take/<token> page
// through starting the exam. A control shows the policy is live: an
// injected inline script is blocked and reported.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { choiceAndEssayExam, guarded, invite, publishedExam, shot, signup, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

type Violation = { directive: string; blocked: string; sample: string };

/** Records every CSP violation a page reports, from before its first script. */
async function watchCSP(page: Page): Promise<{ violations: () => Promise<Violation[]>; consoleErrors: string[] }> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: Violation[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) consoleErrors.push(m.text());
  });
  return {
    violations: () => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp),
    consoleErrors,
  };
}

function assertPageHeaders(headers: Record<string, string>, what: string) {
  const csp = headers['content-security-policy'] ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP ${csp}`);
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: CSP ${csp}`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: CSP ${csp}`);
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['referrer-policy'], 'no-referrer', what);
}

test('staff and candidate pages run under the CSP with no violation', async () => {
  const admin = await signup('csp');
  const examId = await publishedExam(admin.token, choiceAndEssayExam('CSP'));
  const inv = await invite(admin.token, examId, 'Cora CSP', 'cora');

  const { ctx: staffCtx, page: staff } = await watchedPage(browser, 'staff');
  const staffCSP = await watchCSP(staff);
  const { ctx: candCtx, page: cand } = await watchedPage(browser, 'candidate');
  const candCSP = await watchCSP(cand);

  await guarded('csp', () => [staff, cand], async () => {
    const res = await staff.goto('/login');
    assert.ok(res, 'no response for /login');
    assertPageHeaders(res.headers(), '/login');
    await staff.getByLabel('Email').fill(admin.email);
    await staff.getByLabel('Password').fill(admin.password);
    await staff.getByRole('button', { name: 'Log in' }).click();
    await staff.waitForURL('**/exams');
    await staff.getByText('CSP').first().waitFor();
    await shot(staff, '20-csp-staff', false);
    // The other staff pages, each a full load under the policy.
    for (const path of [`/exams/${examId}`, `/exams/${examId}/invitations`, `/exams/${examId}/results`, '/review', '/users']) {
      const r = await staff.goto(path);
      assert.ok(r, `no response for ${path}`);
      assertPageHeaders(r.headers(), path);
      await staff.locator('main').first().waitFor();
      await staff.waitForLoadState('networkidle');
    }

    const take = await cand.goto(new URL(inv.link).pathname);
    assert.ok(take, 'no response for /take');
    assertPageHeaders(take.headers(), '/take/<token>');
    await cand.getByRole('button', { name: 'Start the exam' }).click();
    await cand.locator('[data-qtype=single_choice] label.q-option', { hasText: 'Beta' }).click();
    await cand.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await shot(cand, '21-csp-candidate', false);

    assert.deepEqual(await staffCSP.violations(), [], 'CSP violations on the staff pages');
    assert.deepEqual(await candCSP.violations(), [], 'CSP violations on the candidate page');
    assert.deepEqual([...staffCSP.consoleErrors, ...candCSP.consoleErrors], [], 'CSP errors in the console');

    // Control: the policy is in force and the watch sees it. An injected
    // inline script (what a stored XSS would try) does not run.
    await cand.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.head.appendChild(s);
    });
    await cand.waitForFunction(() => (window as unknown as { __csp: unknown[] }).__csp.length > 0);
    const v = await candCSP.violations();
    assert.equal(v[0]?.directive.startsWith('script-src'), true, JSON.stringify(v));
    assert.equal(await cand.evaluate(() => (window as unknown as { __injected?: boolean }).__injected), undefined);
  });
  await staffCtx.close();
  await candCtx.close();
});
