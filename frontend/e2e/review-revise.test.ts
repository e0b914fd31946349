// A reviewer skips an essay, gives one back, scores with rubric ticks, and
// revises the score from "my scored essays" while the candidate's other
// essay still waits; once every essay is scored the score is final.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api, ESSAY_RUBRIC, guarded, publishExam, shot, signIn, signup, startAttempt, tenMinuteExam, unique, until, useBrowser, watchedPage } from './helpers';
import type { Locator } from 'playwright-core';

const browser = useBrowser();

const pages: Page[] = [];

/** Waits for an input to show a value (React fills it a render later). */
async function hasValue(l: Locator, want: string) {
  await until(async () => (await l.inputValue()) === want, 5000, `value ${want}`).catch(async () => {
    assert.equal(await l.inputValue(), want);
  });
}

async function takeExam(token: string, examId: string, ids: string[], who: string) {
  const inv = await api<{ token: string }>(
    'POST',
    `/exams/${examId}/invitations`,
    { candidate_name: who, candidate_email: `${unique(who)}@example.com` },
    token,
  );
  const attempt = await startAttempt(inv.token);
  for (const [i, id] of ids.entries()) await attempt.answer(id, { text: `Essay ${i + 1} by ${who}` });
  await attempt.submit();
}

test('a reviewer skips, gives back, scores with rubric ticks and revises while the attempt is grading', async () => {
  await guarded('review-revise', () => pages, async () => {
    const admin = await signup('review');
    const exam = await publishExam(
      admin.token,
      tenMinuteExam('Review trial', 'Essays', [
        { type: 'essay', prompt: 'How would you handle a flood in the lobby?', points: 10, rubric: ESSAY_RUBRIC },
        { type: 'essay', prompt: 'How would you train a new receptionist?', points: 10, rubric: ESSAY_RUBRIC },
      ]),
    );
    const ids = exam.sections[0].questions.map((q) => q.id);
    await takeExam(admin.token, exam.id, ids, 'Ann');

    const reviewer = { email: `${unique('rev')}@example.com`, name: 'Rita Reviewer', password: 'correct horse battery' };
    await api('POST', '/users', { ...reviewer, role: 'reviewer' }, admin.token);

    const { ctx, page } = await watchedPage(browser, 'reviewer');
    pages.push(page);
    await signIn(page, reviewer, { landing: '/review' });
    await page.getByText('You have not scored any essay here yet.').waitFor();

    // Claim, then skip: the other essay comes, not the same one.
    await page.getByRole('button', { name: 'Claim next essay' }).click();
    const essay = page.getByTestId('essay-text');
    await essay.waitFor();
    const firstText = (await essay.textContent())?.trim();
    await page.getByRole('button', { name: 'Skip, take another' }).click();
    await page.getByText('Skipped; you get it again only when nothing else waits.').waitFor();
    await page.waitForFunction((prev) => {
      const el = document.querySelector('[data-testid=essay-text]');
      return !!el && el.textContent?.trim() !== prev;
    }, firstText);
    const secondText = (await essay.textContent())?.trim();
    assert.notEqual(secondText, firstText);

    // Give it back: nothing is held, both wait.
    await page.getByRole('button', { name: 'Give back' }).click();
    await page.getByText('Given back to the queue; any reviewer can take it now.').waitFor();
    assert.equal(await essay.count(), 0);
    const stats = page.getByTestId('review-stats');
    await page.waitForFunction(() => document.querySelector('[data-testid=review-stats] dd')?.textContent === '2');
    assert.match((await stats.textContent()) ?? '', /Waiting2Being reviewed0Done0/);

    // Claim again and score with the rubric: a tick fills its full points,
    // a typed part adds, and the score is the sum.
    await page.getByRole('button', { name: 'Claim next essay' }).click();
    await essay.waitFor();
    const scoredText = (await essay.textContent())?.trim() ?? '';
    await page.getByLabel('Names the risks (4)').check();
    await hasValue(page.locator('#f-points'), '4');
    await page.getByLabel('Points for criterion 2 (0 to 6)').fill('2.5');
    await hasValue(page.locator('#f-points'), '6.5');
    await page.getByTestId('criteria-sum').getByText('Sum of the criteria: 6.5 of 10').waitFor();
    await page.locator('#f-comment').fill('Good on risks, thin plan.');
    await shot(page, 'review-01-rubric-ticks');
    await page.getByRole('button', { name: 'Save score and take the next' }).click();
    await page.getByText('Scored 6.5.').waitFor();

    // The score is in "my scored essays", open to revision: the other essay
    // of this candidate is still waiting (and now held by the reviewer).
    const mine = page.getByTestId('my-scores');
    const row = mine.getByTestId('my-score').first();
    await row.getByText('6.5 of 10').waitFor();
    await row.getByText('Good on risks, thin plan.').waitFor();
    await row.getByRole('button', { name: 'Revise' }).click();
    const form = row.getByRole('group', { name: 'Revising your score' });
    await form.getByText('The candidate’s answer').click();
    assert.equal((await form.locator('.essay-text').textContent())?.trim(), scoredText);
    // The ticks given come back.
    assert.equal(await form.getByLabel('Names the risks (4)').isChecked(), true);
    await hasValue(form.getByLabel('Points for criterion 2 (0 to 6)'), '2.5');
    await form.getByLabel('Gives a plan (6)').check();
    await hasValue(form.getByLabel(/^Score/), '10');
    await form.getByLabel('Comment').fill('On a second reading the plan is complete.');
    await shot(page, 'review-02-revise');
    await form.getByRole('button', { name: 'Save the revised score' }).click();
    await mine.getByText('Score revised to 10.').waitFor();
    await row.getByText('10 of 10').waitFor();
    await row.getByText(/revised/).waitFor();

    // The server agrees: the attempt's manual score is the revised one.
    const resultsNow = () => api<{ items: { status: string; manual_score: number; score: number }[] }>('GET', `/exams/${exam.id}/results`, undefined, admin.token);
    const results = await resultsNow();
    assert.equal(results.items[0].status, 'grading');
    assert.equal(results.items[0].manual_score, 10);

    // Score the last essay: the attempt is graded and both scores are final.
    await essay.waitFor();
    await page.locator('#f-points').fill('3');
    await page.getByRole('button', { name: 'Save score and take the next' }).click();
    await page.getByText('Nothing is waiting for review.').waitFor();
    await mine.getByTestId('my-score').nth(1).waitFor();
    assert.equal(await mine.getByRole('button', { name: 'Revise' }).count(), 0);
    assert.equal(await mine.getByText('Final: the candidate’s essays are all scored').count(), 2);
    await shot(page, 'review-03-final');
    const graded = await resultsNow();
    assert.equal(graded.items[0].status, 'graded');
    assert.equal(graded.items[0].score, 13);

    // The same page in Chinese.
    await page.evaluate(() => localStorage.setItem('examd.lang', 'zh-CN'));
    await page.reload();
    await page.getByRole('heading', { name: '我已评的答卷' }).waitFor();
    await page.getByText('10 / 10 分').waitFor();
    await shot(page, 'review-04-zh');
    await ctx.close();
  });
});
