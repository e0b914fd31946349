// An accommodation moves a running attempt's deadline in the database; the
// open page's countdown follows within 30 s without a reload (its periodic
// re-sync), and at once when a save answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guarded, parseClock, shot, signup, sql, unique, until, useBrowser, watchedPage } from './helpers';
import { candidateExam } from './take-helpers';

const browser = useBrowser();

test('a deadline moved on the server reaches the countdown without a reload', async () => {
  const admin = await signup('deadline');
  const { invitationId, link } = await candidateExam(admin.token, 'Deadline', unique('dora'), { time_limit_seconds: 600 });
  const { ctx, page } = await watchedPage(browser, 'deadline');
  await guarded('deadline', () => [page], async () => {
    await page.goto(new URL(link).pathname);
    await page.getByRole('button', { name: 'Start the exam' }).click();
    const timer = page.getByTestId('timer');
    await timer.waitFor();
    const before = parseClock((await timer.textContent()) ?? '');
    assert.ok(before > 590 && before <= 600, `timer ${before}`);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    // 30 more minutes, straight in the database; no click, no reload.
    await sql(`UPDATE attempts SET deadline = deadline + interval '30 minutes', submit_by = submit_by + interval '30 minutes'
      WHERE invitation_id = '${invitationId}'`);
    const moved = Date.now();
    await until(async () => parseClock((await timer.textContent()) ?? '') > 30 * 60, 32_000, 'the countdown to show the new deadline');
    const took = (Date.now() - moved) / 1000;
    assert.ok(took <= 30, `the new deadline took ${took.toFixed(1)} s`);
    await shot(page, '17-deadline-extended', false);

    // Another 10 minutes; this time a save answers with the new deadline at once.
    await sql(`UPDATE attempts SET deadline = deadline + interval '10 minutes', submit_by = submit_by + interval '10 minutes'
      WHERE invitation_id = '${invitationId}'`);
    await page.locator('[data-qtype=true_false] label.q-option', { hasText: 'True' }).click();
    await until(async () => parseClock((await timer.textContent()) ?? '') > 40 * 60, 5_000, 'the save to bring the new deadline');
    assert.equal(navigations, 0, 'the page was not reloaded');
  });
  await ctx.close();
});
