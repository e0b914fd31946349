// Integrity events are evidence for the recruiter, so they must not be
// invented: walking the page and the submit dialog with Tab records nothing;
// really leaving the page (another tab in front) records one departure and
// one return.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, guarded, realFocus, signup, unique, until, useBrowser, watchedPage } from './helpers';
import { candidateExam, eventsOf } from './take-helpers';

const browser = useBrowser();

test('Tab through the page and the submit dialog records no event; leaving the page records one', async () => {
  const admin = await signup('integrity');
  const { examId, link } = await candidateExam(admin.token, 'Integrity', unique('ivy'));

  const { ctx, page } = await watchedPage(browser, 'integrity');
  await guarded('integrity', () => [page], async () => {
    await page.goto(new URL(link).pathname);
    await realFocus(page); // after the navigation, which may change the page's renderer
    await page.getByRole('button', { name: 'Start the exam' }).click();
    await page.getByTestId('timer').waitFor();
    const stops = await page.evaluate(() => document.querySelectorAll('a, button, input, textarea, select').length);

    // Well past the last control, twice around the page.
    const seen = new Set<string>();
    for (let i = 0; i < stops * 2 + 5; i++) {
      await page.keyboard.press('Tab');
      seen.add(await page.evaluate(() => document.activeElement?.tagName ?? 'none'));
    }
    assert.ok(seen.has('TEXTAREA') && seen.has('BUTTON'), `Tab reached ${[...seen].join(',')}`);
    assert.equal(await page.evaluate(() => document.hasFocus()), true);

    // The submit dialog, by keyboard: open it, Tab round it, close it.
    await page.getByRole('button', { name: 'Submit' }).first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const inDialog = await page.evaluate(() => !!document.activeElement?.closest('dialog'));
      assert.ok(inDialog, `focus left the dialog after ${i + 1} Tab presses`);
    }
    for (let i = 0; i < 12; i++) await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await page.waitForTimeout(1500);
    const attemptId = await attemptOf(admin.token, examId);
    assert.deepEqual(await eventsOf(admin.token, attemptId), [], 'no event from moving focus inside the page');

    // Really leaving: another tab comes to the front, then this one again.
    const other = await ctx.newPage();
    await realFocus(other);
    await other.goto('about:blank');
    await other.bringToFront();
    await until(async () => (await eventsOf(admin.token, attemptId)).length >= 1, 10_000, 'the departure event');
    await page.bringToFront();
    await until(async () => (await eventsOf(admin.token, attemptId)).length >= 2, 10_000, 'the return event');
    await page.waitForTimeout(1000);
    assert.deepEqual(await eventsOf(admin.token, attemptId), ['blur', 'focus']);
    await other.close();
  });
  await ctx.close();
});

async function attemptOf(token: string, examId: string): Promise<string> {
  const r = await api<{ items: { attempt_id: string | null }[] }>('GET', `/exams/${examId}/results`, undefined, token);
  const id = r.items[0]?.attempt_id;
  assert.ok(id, 'the attempt is listed');
  return id;
}
