// The whole life of an exam in a real browser against a real examd:
// a recruiter signs up and builds an exam with all five question types in the
// editor, publishes and invites; the candidate answers (in Chinese), reloads
// mid-exam and finds answers and time intact, submits; a reviewer scores the
// essay; the recruiter sees the final score, amends a key and downloads CSV.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { amendKey, api, guarded, login, newContext, parseClock, shot, signIn, unique, useBrowser, watchConsole } from './helpers';

const browser = useBrowser();

const recruiter = {
  org: 'Acme 物业',
  name: 'Rita Recruiter',
  email: `${unique('rita')}@example.com`,
  password: 'correct horse battery',
};
const reviewer = {
  name: 'Ravi Reviewer',
  email: `${unique('ravi')}@example.com`,
  password: 'another long password',
};
const EXAM_TITLE = '客户服务经理面试题 (e2e)';
const ESSAY = '客户至上：倾听、记录、跟进，并在 24 小时内回复每一位客户。';

let examId = '';

// The steps depend on each other: after a failure the rest are skipped, and
// each failing step leaves screenshots of its pages (FAILED-*.png).
const open: Page[] = [];
const track = (p: Page) => (open.push(p), p);
let failed = false;
function step(name: string, fn: () => Promise<void>) {
  test(name, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await guarded(name.split(' ').slice(0, 3).join('-'), () => open, fn);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      open.length = 0;
    }
  });
}
let inviteLink = '';

async function addQuestion(page: Page, type: string) {
  const row = page.locator('#f-sections-0 > .add-row');
  await row.locator('select').selectOption(type);
  await row.getByRole('button', { name: /Add question/ }).click();
}

step('recruiter signs up and builds an exam with all five types', async () => {
  const ctx = await newContext(browser);
  const page = track(await ctx.newPage());
  watchConsole(page, 'recruiter');

  await page.goto('/signup');
  await page.getByLabel('Organization').fill(recruiter.org);
  await page.getByLabel('Name').fill(recruiter.name);
  await page.getByLabel('Email').fill(recruiter.email);
  await page.getByLabel('Password').fill(recruiter.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/exams');
  await page.getByRole('link', { name: 'New exam' }).click();
  await page.waitForURL('**/exams/new');

  await page.locator('#f-title').fill(EXAM_TITLE);
  await page.locator('#f-description').fill('写字楼客户服务经理岗位 · e2e');
  await page.locator('#f-time_limit').fill('10');
  await page.locator('#f-pass_score').fill('6');
  await page.locator('#f-sections-0-title').fill('一、综合');
  await page.locator('#f-sections-0-instructions').fill('共五题');

  for (const type of ['fill_in', 'true_false', 'single_choice', 'multiple_choice', 'essay']) await addQuestion(page, type);

  // 1. fill-in, first without its placeholder and answer: the server's 422
  // must show beside the fields.
  await page.locator('#f-sections-0-questions-0-prompt').fill('The capital of France is ___.');
  // 2. true/false (no key until one is picked)
  await page.locator('#f-sections-0-questions-1-prompt').fill('The sky is blue on a clear day.');
  await page.locator('#f-sections-0-questions-1').getByLabel('True').check();
  // 3. single choice
  await page.locator('#f-sections-0-questions-2-prompt').fill('2 + 2 = ?');
  await page.locator('#f-sections-0-questions-2-options-0-text').fill('3');
  await page.locator('#f-sections-0-questions-2-options-1-text').fill('4');
  await page.locator('#f-sections-0-questions-2-options-1-correct').check();
  // 4. multiple choice
  await page.locator('#f-sections-0-questions-3-prompt').fill('Which are prime numbers?');
  await page.locator('#f-sections-0-questions-3-options-0-text').fill('2');
  await page.locator('#f-sections-0-questions-3-options-1-text').fill('3');
  await page.locator('#f-sections-0-questions-3-options-2-text').fill('4');
  await page.locator('#f-sections-0-questions-3-options-0-correct').check();
  await page.locator('#f-sections-0-questions-3-options-1-correct').check();
  // 5. essay
  await page.locator('#f-sections-0-questions-4-prompt').fill('做为写字楼客务经理，应重点做好哪些方面的工作？');
  await page.locator('#f-sections-0-questions-4-points').fill('10');
  await page.locator('#f-sections-0-questions-4-reference_answer').fill('客户关系、投诉处理、团队培训。');
  await page.locator('#f-sections-0-questions-4').getByRole('button', { name: /Add criterion/ }).click();
  await page.locator('#f-sections-0-questions-4-rubric-0-criterion').fill('Clarity');
  await page.locator('#f-sections-0-questions-4-rubric-0-points').fill('5');

  await page.getByRole('button', { name: 'Save draft' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  // The problems are shown beside the fill-in's fields, not only in the summary.
  const fillIn = page.locator('#f-sections-0-questions-0');
  await fillIn.locator('.field-errors').first().waitFor();
  assert.ok((await fillIn.locator('.field-errors').count()) >= 1, 'a field error inside the fill-in question');
  await page.locator('#f-sections-0-questions-0-blanks-0-accepted-err').waitFor();
  await shot(page, '02-editor-validation');

  // Fix it.
  await page.locator('#f-sections-0-questions-0-prompt').fill('The capital of France is {{1}}.');
  await page.locator('#f-sections-0-questions-0-blanks-0-accepted').fill('Paris\nparis');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved.').waitFor();
  await page.waitForURL(/\/exams\/[0-9a-f-]{36}$/);
  examId = new URL(page.url()).pathname.split('/')[2];
  assert.equal(await page.locator('.error-summary').count(), 0);

  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  // The rubric (5 of 10 points) is a warning to accept before publishing.
  const confirm = page.getByRole('dialog', { name: 'Publish this exam?' });
  await confirm.getByLabel('I have read the warnings and want to publish anyway.').check();
  await confirm.getByRole('button', { name: 'Publish version 1' }).click();
  await page.getByText('Published as version 1.').waitFor();
  assert.equal((await page.getByTestId('latest-version').textContent())?.trim(), '1');
  await shot(page, '03-editor');

  // Reload: what the server keeps is what we built.
  await page.reload();
  await page.locator('#f-sections-0-questions-3-options-1-text').waitFor();
  assert.equal(await page.locator('#f-sections-0-questions-0-prompt').inputValue(), 'The capital of France is {{1}}.');
  assert.equal(await page.locator('#f-sections-0-questions-2-options-1-correct').isChecked(), true);
  assert.equal(await page.locator('#f-sections-0-questions-3-options-2-correct').isChecked(), false);
  assert.equal(await page.locator('#f-time_limit').inputValue(), '10');

  // Invite one candidate, then a pasted list.
  await page.getByRole('link', { name: 'Invitations' }).first().click();
  await page.waitForURL(`**/exams/${examId}/invitations`);
  await page.locator('#f-candidate_name').fill('张三');
  await page.locator('#f-candidate_email').fill(`${unique('zhang')}@example.com`);
  await page.getByRole('button', { name: 'Create invitation' }).click();
  const link = page.getByTestId('invite-link');
  await link.waitFor();
  inviteLink = (await link.getAttribute('href')) ?? '';
  assert.match(inviteLink, /\/take\/[^/]+$/);

  await page.getByLabel('One candidate per line: name, email, track').fill(
    `李四, ${unique('li')}@example.com\nWang Wu, ${unique('wang')}@example.com`,
  );
  await page.getByRole('button', { name: 'Invite 2' }).click();
  await page.locator('.bulk-results li.ok').nth(1).waitFor();
  await page.getByRole('cell', { name: 'Wang Wu' }).waitFor();
  await shot(page, '04-invitations');
  await ctx.close();
});

step('candidate answers in Chinese, reloads mid-exam, and submits', async () => {
  assert.ok(inviteLink, 'the invitation link from the first test');
  const ctx = await newContext(browser, { locale: 'zh-CN' });
  const page = track(await ctx.newPage());
  watchConsole(page, 'candidate');
  // The link names the server's PUBLIC_URL; open it on the server under test.
  const path = new URL(inviteLink).pathname;
  await page.goto(path);
  await page.getByRole('heading', { name: EXAM_TITLE }).waitFor();
  await page.getByText('10 分钟').waitFor();
  await shot(page, '05-candidate-welcome-zh');
  await page.getByRole('button', { name: '开始考试' }).click();

  await page.getByTestId('timer').waitFor();
  await page.getByLabel('第 1 空').fill('Paris');
  await page.locator('[data-qtype=true_false] label.q-option', { hasText: '正确' }).click();
  await page.locator('[data-qtype=single_choice] label.q-option', { hasText: /^4$/ }).click();
  await page.locator('[data-qtype=multiple_choice] label.q-option', { hasText: /^2$/ }).click();
  await page.locator('[data-qtype=multiple_choice] label.q-option', { hasText: /^3$/ }).click();
  await page.locator('[data-qtype=essay] textarea').fill(ESSAY);
  await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
  assert.equal((await page.getByTestId('answered').textContent())?.trim(), '已答 5 / 5 题');
  await shot(page, '06-candidate-exam-zh', false);

  // Reload mid-exam: same answers, same remaining time.
  const before = parseClock((await page.getByTestId('timer').textContent()) ?? '');
  const t0 = Date.now();
  await page.reload();
  await page.getByTestId('timer').waitFor();
  await page.locator('[data-qtype=essay] textarea').waitFor();
  // Let the first tick render.
  await page.waitForTimeout(400);
  const afterReload = parseClock((await page.getByTestId('timer').textContent()) ?? '');
  const expected = before - (Date.now() - t0) / 1000;
  assert.ok(Math.abs(afterReload - expected) <= 2.5, `remaining time after reload: ${afterReload}s, expected about ${expected.toFixed(1)}s`);
  assert.ok(before > 9 * 60, `about ten minutes left, got ${before}s`);
  assert.equal(await page.getByLabel('第 1 空').inputValue(), 'Paris');
  assert.equal(await page.locator('[data-qtype=true_false] input[value=true]').isChecked(), true);
  assert.equal(await page.locator('[data-qtype=single_choice] label.q-option', { hasText: /^4$/ }).locator('input').isChecked(), true);
  assert.equal(await page.locator('[data-qtype=multiple_choice] label.q-option', { hasText: /^2$/ }).locator('input').isChecked(), true);
  assert.equal(await page.locator('[data-qtype=multiple_choice] label.q-option', { hasText: /^4$/ }).locator('input').isChecked(), false);
  assert.equal(await page.locator('[data-qtype=essay] textarea').inputValue(), ESSAY);
  assert.equal((await page.getByTestId('answered').textContent())?.trim(), '已答 5 / 5 题');

  // A second tab on a phone-sized screen resumes too, and the answer typed there is kept.
  const phone = track(await ctx.newPage());
  await phone.setViewportSize({ width: 390, height: 844 });
  watchConsole(phone, 'candidate-phone');
  await phone.goto(path);
  await phone.locator('[data-qtype=essay] textarea').waitFor();
  assert.equal(await phone.locator('[data-qtype=essay] textarea').inputValue(), ESSAY);
  await shot(phone, '07-candidate-phone-zh', false);
  await phone.close();

  // Submit with confirmation.
  await page.getByRole('region', { name: '考试状态' }).getByRole('button', { name: '交卷' }).click();
  const dialog = page.getByRole('dialog', { name: '确定交卷吗？' });
  await dialog.waitFor();
  await shot(page, '08-candidate-confirm-zh', false);
  await dialog.getByRole('button', { name: '确定交卷' }).click();
  await page.getByTestId('done').getByRole('heading', { name: '您的答案已提交' }).waitFor();
  await shot(page, '09-candidate-done-zh');

  // Reloading the link now shows the final page, not the exam.
  await page.reload();
  await page.getByTestId('done').getByRole('heading', { name: '本次考试已交卷' }).waitFor();
  await ctx.close();
});

step('a reviewer scores the essay beside the reference answer', async () => {
  // The admin (the recruiter who signed up) adds a reviewer through the API.
  const adminToken = await login(recruiter.email, recruiter.password);
  await api('POST', '/users', { ...reviewer, role: 'reviewer' }, adminToken);

  const ctx = await newContext(browser);
  const page = track(await ctx.newPage());
  watchConsole(page, 'reviewer');
  await signIn(page, reviewer, { landing: '/review' });
  await page.getByRole('button', { name: 'Claim next essay' }).click();
  await page.getByTestId('essay-text').waitFor();
  assert.equal((await page.getByTestId('essay-text').textContent())?.trim(), ESSAY);
  await page.getByText('客户关系、投诉处理、团队培训。').waitFor();
  await page.getByLabel(/Clarity/).check();
  assert.equal(await page.locator('#f-points').inputValue(), '5');
  await page.locator('#f-points').fill('8');
  await page.locator('#f-comment').fill('清楚，有条理。');
  await shot(page, '10-reviewer');
  await page.getByRole('button', { name: 'Save score and take the next' }).click();
  await page.getByText('Scored 8.').waitFor();
  await page.getByText('Nothing is waiting for review.').waitFor();
  await ctx.close();
});

step('the recruiter sees the final score, amends a key and downloads CSV', async () => {
  const ctx = await newContext(browser);
  const page = track(await ctx.newPage());
  watchConsole(page, 'results');
  await signIn(page, recruiter, { next: `/exams/${examId}/results` });

  const row = page.getByTestId('result-row').filter({ hasText: '张三' });
  await row.waitFor();
  // 1 (fill-in) + 1 (true/false) + 1 (single) + 2 (multiple) + 8 (essay) = 13 of 15
  assert.match((await row.getByTestId('result-score').textContent()) ?? '', /^13\s*\/\s*15$/);
  await row.getByText('Graded').waitFor();
  await shot(page, '11-results');

  // CSV through fetch with the token, then a Blob link.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = await readFile((await download.path()) as string, 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'the CSV starts with a byte-order mark');
  assert.ok(csv.includes('张三'), 'the CSV names the candidate');

  // Per-attempt detail.
  await row.getByRole('link', { name: 'Details' }).click();
  await page.waitForURL('**/attempts/**');
  await page.getByRole('heading', { name: '张三' }).waitFor();
  assert.equal((await page.getByTestId('attempt-score').textContent())?.trim(), '13');
  await page.getByText('清楚，有条理。').waitFor();
  await page.getByText('graded by a reviewer').waitFor();
  await shot(page, '12-attempt');

  // Amend the true/false key: dry run first, the diff, then confirm.
  await page.goto(`/exams/${examId}/versions/1`);
  const tf = page.locator('.answer-item', { hasText: 'The sky is blue on a clear day.' });
  await tf.getByRole('button', { name: 'Amend key' }).click();
  await tf.getByLabel('False').check();
  await tf.getByRole('button', { name: 'Preview the effect' }).click();
  await tf.getByText('1 attempt(s) would be re-scored; 1 total score(s) would change.').waitFor();
  await tf.getByRole('cell', { name: '张三' }).waitFor();
  await shot(page, '13-amend-preview');
  // Nothing written by the dry run.
  await page.goto(`/exams/${examId}/results`);
  assert.match((await page.getByTestId('result-row').filter({ hasText: '张三' }).getByTestId('result-score').textContent()) ?? '', /^13\s*\//);
  await page.goto(`/exams/${examId}/versions/1`);
  await amendKey(tf, 'False', 'The question says a clear day; the key was entered wrong.');
  await page.getByRole('heading', { name: 'Amendments' }).waitFor();
  await page.getByTestId('amend-reason').getByText('the key was entered wrong', { exact: false }).waitFor();
  await page.goto(`/exams/${examId}/results`);
  assert.match((await page.getByTestId('result-row').filter({ hasText: '张三' }).getByTestId('result-score').textContent()) ?? '', /^12\s*\/\s*15$/);
  await ctx.close();
});
