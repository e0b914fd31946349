// A five-second exam with no grace: the candidate's time runs out with the
// page open, and the page shows the submitted state by itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, publishExam, shot, signup, unique, until, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

test('time runs out with the page open: the app shows the submitted state', async () => {
  const admin = await signup('timeout');
  const exam = await publishExam(admin.token, {
    title: 'Five seconds',
    description: 'A very short exam',
    time_limit_seconds: 5,
    grace_seconds: 0,
    sections: [
      {
        title: 'Only section',
        questions: [{ type: 'true_false', prompt: 'Is this quick?', answer: true, points: 1 }],
      },
    ],
  });
  const inv = await api<{ link: string }>(
    'POST',
    `/exams/${exam.id}/invitations`,
    { candidate_name: 'Tim Out', candidate_email: `${unique('tim')}@example.com` },
    admin.token,
  );

  const { ctx, page } = await watchedPage(browser, 'timeout');
  await page.goto(new URL(inv.link).pathname);
  await page.getByRole('button', { name: 'Start the exam' }).click();
  await page.getByTestId('timer').waitFor();
  const started = Date.now();
  await page.locator('[data-qtype=true_false] label.q-option', { hasText: 'True' }).click();
  await page.locator('[data-testid=save-state][data-state=saved]').waitFor();

  // No click from here on: the countdown reaches zero and the page submits.
  await page.getByTestId('done').getByRole('heading', { name: 'Time is up, submitted' }).waitFor({ timeout: 20_000 });
  const took = (Date.now() - started) / 1000;
  assert.ok(took >= 3 && took < 15, `the submitted state came after ${took.toFixed(1)}s`);
  await shot(page, '14-timeout-submitted');

  // The server agrees: the attempt is no longer in progress, and the answer saved in time counts.
  const row = await until(
    async () => {
      const r = await api<{ items: { status: string; score: number | null; submitted_by: string | null }[] }>(
        'GET',
        `/exams/${exam.id}/results`,
        undefined,
        admin.token,
      );
      const x = r.items[0];
      return x && x.status !== 'in_progress' && x.status !== 'submitted' ? x : null;
    },
    25_000,
    'the attempt to be submitted on the server',
  );
  assert.equal(row.score, 1);
  assert.ok(row.submitted_by === 'timeout' || row.submitted_by === 'candidate', `submitted_by ${row.submitted_by}`);

  // A reload shows the final page too.
  await page.reload();
  await page.getByTestId('done').waitFor();
  await ctx.close();
});
