// Extra time given by the recruiter (PATCH /invitations/{id}) while the
// candidate's page is open: the visible countdown moves by about that much
// without a reload, at once when the candidate's next save answers, and
// within 30 s (the page's periodic re-sync) when the candidate does nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api, guarded, newContext, parseClock, shot, signup, unique, until, useBrowser, watchConsole } from './helpers';
import { candidateExam } from './take-helpers';

const browser = useBrowser();

test('extra time from the recruiter reaches the running countdown without a reload', async () => {
  const admin = await signup('xtime');
  const { examId, link, invitationId } = await candidateExam(admin.token, 'Extra time', unique('xena'), { time_limit_seconds: 600 });
  const cand = await newContext(browser);
  const rec = await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  const page = await cand.newPage();
  const staff = await rec.newPage();
  const pages: Page[] = [page, staff];
  watchConsole(page, 'candidate');
  watchConsole(staff, 'recruiter');
  await guarded('extra-time', () => pages, async () => {
    await page.goto(new URL(link).pathname);
    await page.getByRole('button', { name: 'Start the exam' }).click();
    const timer = page.getByTestId('timer');
    await timer.waitFor();
    const clock = async () => parseClock((await timer.textContent()) ?? '');
    const start = await clock();
    assert.ok(start > 590 && start <= 600, `timer ${start}`);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    // The recruiter, in the web app, gives 20 extra minutes.
    await staff.goto('/login');
    await staff.evaluate(() => localStorage.setItem('examd.lang', 'zh-CN'));
    await staff.getByLabel('邮箱').fill(admin.email);
    await staff.getByLabel('密码').fill(admin.password);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.waitForURL('**/exams');
    await staff.goto(`/exams/${examId}/invitations`);
    const row = staff.getByTestId('invitation-row').filter({ hasText: 'Casey Candidate' });
    await row.getByRole('button', { name: '延长时间' }).click();
    const dialog = staff.getByRole('dialog');
    await dialog.getByLabel('额外分钟数').fill('20');
    await dialog.getByRole('button', { name: '保存' }).click();
    await staff.getByTestId('time-done').getByText('Casey Candidate 现有额外 20 分钟。').waitFor();
    await shot(staff, 'trial-extra-time-recruiter-zh', false);
    const given = Date.now();

    // The candidate answers a question: the save's answer carries the new deadline.
    const before = await clock();
    await page.locator('[data-qtype=true_false] label.q-option', { hasText: 'True' }).click();
    await until(async () => (await clock()) > 20 * 60, 8_000, 'the save to bring the 20 extra minutes');
    const after1 = await clock();
    const moved = after1 - before + (Date.now() - given) / 1000;
    assert.ok(Math.abs(moved - 20 * 60) <= 10, `the countdown moved by ${moved.toFixed(0)} s, not about 1200`);
    await shot(page, 'trial-extra-time-candidate', false);

    // Ten more minutes through the API; the candidate does nothing.
    const inv = await api<{ extra_time_seconds: number; deadline?: string }>(
      'PATCH',
      `/invitations/${invitationId}`,
      { extra_time_seconds: 30 * 60 },
      admin.token,
    );
    assert.equal(inv.extra_time_seconds, 1800);
    const patched = Date.now();
    const before2 = await clock();
    await until(async () => (await clock()) > before2 + 9 * 60, 32_000, 'the re-sync to bring 10 more minutes');
    const took = (Date.now() - patched) / 1000;
    assert.ok(took <= 30, `the new deadline took ${took.toFixed(1)} s`);
    const moved2 = (await clock()) - before2 + (Date.now() - patched) / 1000;
    assert.ok(Math.abs(moved2 - 10 * 60) <= 10, `the countdown moved by ${moved2.toFixed(0)} s, not about 600`);
    assert.equal(navigations, 0, 'the candidate page was not reloaded');
  });
  await cand.close();
  await rec.close();
});
