// Two reviewers mark the same essay blind, far apart; an admin moderates it
// from the review page, seeing both marks, and the attempt is graded with
// the moderator's score. The agreement panel then shows the pair.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { api, ESSAY_RUBRIC, guarded, launch, publishExam, shot, signup, staffPage, startAttempt, tenMinuteExam, unique } from './helpers';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const pages: Page[] = [];

const loginPage = (email: string, password: string, label: string, landing: string) =>
  staffPage(browser, { email, password }, { landing, label, pages });

test('two reviewers mark an essay blind and an admin moderates their disagreement', async () => {
  await guarded('double-marking', () => pages, async () => {
    const admin = await signup('double');
    const exam = await publishExam(
      admin.token,
      tenMinuteExam(
        'Double marking trial',
        'Essays',
        [{ type: 'essay', prompt: 'How would you handle a flood in the lobby?', points: 10, reference_answer: 'Close the lobby, call the plumber.', rubric: ESSAY_RUBRIC }],
        { review: { markers: 2, tolerance: 1 } },
      ),
    );
    const inv = await api<{ token: string }>('POST', `/exams/${exam.id}/invitations`, { candidate_name: 'Ann', candidate_email: `${unique('ann')}@example.com` }, admin.token);
    const attempt = await startAttempt(inv.token);
    await attempt.answer(exam.sections[0].questions[0].id, { text: 'I would mop it up.' });
    await attempt.submit();

    const password = 'correct horse battery';
    const revs = [
      { email: `${unique('rev1')}@example.com`, name: 'Rita One', password },
      { email: `${unique('rev2')}@example.com`, name: 'Rob Two', password },
    ];
    for (const r of revs) await api('POST', '/users', { ...r, role: 'reviewer' }, admin.token);

    // First reviewer: 2 points by the rubric, then nothing more for them.
    const p1 = await loginPage(revs[0].email, password, 'rev1', '/review');
    await p1.getByRole('button', { name: 'Claim next essay' }).click();
    await p1.getByTestId('essay-text').getByText('I would mop it up.').waitFor();
    await p1.getByText('Close the lobby, call the plumber.').waitFor();
    await p1.getByLabel('Points for criterion 1 (0 to 4)').fill('1');
    await p1.getByLabel('Points for criterion 2 (0 to 6)').fill('1');
    await p1.getByTestId('criteria-sum').getByText('Sum of the criteria: 2 of 10').waitFor();
    await p1.locator('#f-comment').fill('Misses the risks.');
    await p1.getByRole('button', { name: 'Save score and take the next' }).click();
    await p1.getByText('Nothing is waiting for review.').waitFor();

    // Second reviewer gets the other copy, without the first mark.
    const p2 = await loginPage(revs[1].email, password, 'rev2', '/review');
    await p2.getByRole('button', { name: 'Claim next essay' }).click();
    await p2.getByTestId('essay-text').getByText('I would mop it up.').waitFor();
    assert.equal(await p2.getByText('Misses the risks.').count(), 0);
    assert.equal(await p2.getByTestId('moderation-marks').count(), 0);
    await p2.locator('#f-points').fill('7');
    await p2.locator('#f-comment').fill('Practical and quick.');
    await shot(p2, 'double-01-second-marker');
    await p2.getByRole('button', { name: 'Save score and take the next' }).click();
    await p2.getByText('Nothing is waiting for review.').waitFor();

    // The admin moderates: both marks and comments beside the essay.
    const pa = await loginPage(admin.email, admin.password, 'admin', '/exams');
    await pa.goto('/review');
    await pa.getByLabel('Moderate disagreements').check();
    await pa.getByRole('button', { name: 'Claim next disagreement' }).click();
    const marks = pa.getByTestId('moderation-marks');
    await marks.getByText('Misses the risks.').waitFor();
    await marks.getByText('Practical and quick.').waitFor();
    await marks.getByText('Mark 1: 2 of 10').waitFor();
    await marks.getByText('Mark 2: 7 of 10').waitFor();
    await pa.locator('#f-points').fill('4.5');
    await shot(pa, 'double-02-moderation');
    await pa.getByRole('button', { name: 'Set the final score' }).click();
    await pa.getByText('No essay awaits moderation.').waitFor();

    const res = await api<{ items: { status: string; score: number }[] }>('GET', `/exams/${exam.id}/results`, undefined, admin.token);
    assert.equal(res.items[0].status, 'graded');
    assert.equal(res.items[0].score, 4.5);

    // The agreement panel for the exam.
    await pa.getByLabel('Exam').selectOption(exam.id);
    const panel = pa.getByTestId('agreement');
    await panel.getByText('Marker agreement').waitFor();
    await panel.getByText('needs 5 pairs').waitFor();
    await panel.getByRole('cell', { name: 'Rita One' }).waitFor();
    await panel.getByRole('cell', { name: '-5.00' }).waitFor();
    await panel.getByRole('cell', { name: '+5.00' }).waitFor();
    await shot(pa, 'double-03-agreement');

    // The same in Chinese.
    await pa.evaluate(() => localStorage.setItem('examd.lang', 'zh-CN'));
    await pa.reload();
    await pa.getByLabel('试卷').selectOption(exam.id);
    await pa.getByRole('heading', { name: '评分一致性' }).waitFor();
    await shot(pa, 'double-04-zh');
  });
});
