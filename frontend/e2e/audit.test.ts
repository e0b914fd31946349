// The admin's audit page after two staff changes made in the browser: a key
// amendment on the version page and the erasure of a candidate on the audit
// page itself. Both appear, newest first, with who made them; the action
// filter narrows the list; the erased candidate's name is gone from the
// results while the score stays.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { amendKey, api, choiceAndEssayExam, guarded, publishExam, shot, signIn, signup, startAttempt, unique, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();
const pages: Page[] = [];

test('a key amendment and an erasure both show on the audit page', async () => {
  await guarded('audit', () => pages, async () => {
    const admin = await signup('audit');
    const exam = await publishExam(admin.token, choiceAndEssayExam('Audit trial'));
    const examId = exam.id;
    const email = `${unique('audit-cand')}@example.com`;
    const inv = await api<{ token: string }>('POST', `/exams/${examId}/invitations`, { candidate_name: '王小明', candidate_email: email }, admin.token);
    const attempt = await startAttempt(inv.token);
    const choice = exam.sections[0].questions[0];
    await attempt.answer(choice.id, { choice: 'a' });
    await attempt.submit();

    const { ctx, page } = await watchedPage(browser, 'audit');
    pages.push(page);
    page.on('dialog', (d) => void d.accept());
    await signIn(page, admin, { next: `/exams/${examId}/versions/1` });

    // The key amendment: a becomes the right answer, with a reason.
    const item = page.locator('.answer-item', { hasText: 'Pick one' });
    await amendKey(item, 'a. Alpha', 'Alpha is also right');

    // The erasure, from the audit page's own form.
    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.locator('tr[data-action="key.amended"]').waitFor();
    await page.getByLabel('Candidate’s e-mail').fill(email);
    await page.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByText('Erased 1 invitation(s) and 1 attempt(s).').waitFor();

    // Both changes, newest first, each by the admin.
    const erased = table.locator('tr[data-action="candidate.erased"]');
    await erased.waitFor();
    const rows = table.locator('tbody tr');
    const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    assert.ok(actions.indexOf('candidate.erased') < actions.indexOf('key.amended'), `newest first: ${actions.join(', ')}`);
    assert.equal(actions[0], 'candidate.erased');
    await erased.getByText('Candidate erased').waitFor();
    await erased.getByText('Admin audit').waitFor();
    assert.match((await erased.textContent()) ?? '', /"attempts":1/);
    const amended = table.locator('tr[data-action="key.amended"]');
    await amended.getByText('Key amended').waitFor();
    await amended.getByText('Admin audit').waitFor();
    // The audit log itself keeps no trace of the erased person.
    const whole = (await table.textContent()) ?? '';
    assert.ok(!whole.includes(email) && !whole.includes('王小明'), 'the audit log does not name the erased candidate');
    await page.screenshot({ path: '/tmp/h25-audit.png', fullPage: true });
    await shot(page, 'audit');

    // The action filter keeps only the amendment.
    await page.getByLabel('Action').selectOption({ label: 'Key amended' });
    await table.locator('tr[data-action="candidate.erased"]').waitFor({ state: 'detached' });
    assert.deepEqual(await rows.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-action')))]), ['key.amended']);

    // The score stays, without the name.
    await page.goto(`/exams/${examId}/results`);
    const row = page.getByTestId('result-row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.ok(!((await row.textContent()) ?? '').includes('王小明'), 'the results no longer name the erased candidate');
    assert.match((await row.getByTestId('result-score').textContent()) ?? '', /^1\s*\/\s*6$/);
    await ctx.close();
  });
});
