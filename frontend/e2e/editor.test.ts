// The exam editor as a recruiter uses it: a new question has no answer key
// until she picks one (the server's refusal shows beside the question), and
// publishing goes through a summary she confirms.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { api, guarded, launch, newContext, shot, signup, watchConsole } from './helpers';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const VIEWPORT = { width: 1366, height: 900 };

async function loginTo(page: Page, who: { email: string; password: string }, path: string) {
  await page.goto(`/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`**${path}`);
}

async function addQuestion(page: Page, section: number, type: string) {
  const sec = page.locator(`#f-sections-${section}`);
  await sec.getByLabel('Question type').last().selectOption(type);
  await sec.getByRole('button', { name: '+ Add question' }).click();
}

test('a new question has no answer key until the recruiter picks one', async () => {
  const admin = await signup('nokey');
  const ctx = await newContext(browser, { viewport: VIEWPORT });
  const page = await ctx.newPage();
  watchConsole(page, 'nokey');
  await guarded('nokey', () => [page], async () => {
    await loginTo(page, admin, '/exams/new');
    await page.locator('#f-title').fill('No invented keys');
    await page.locator('#f-sections-0-title').fill('一、基础');
    await addQuestion(page, 0, 'true_false');
    await addQuestion(page, 0, 'single_choice');
    await addQuestion(page, 0, 'multiple_choice');

    const tf = page.locator('#f-sections-0-questions-0');
    const sc = page.locator('#f-sections-0-questions-1');
    const mc = page.locator('#f-sections-0-questions-2');
    // Nothing is chosen for her.
    assert.equal(await tf.getByLabel('True').isChecked(), false);
    assert.equal(await tf.getByLabel('False').isChecked(), false);
    assert.equal(await sc.getByRole('radio').count(), 2);
    for (const r of await sc.getByRole('radio').all()) assert.equal(await r.isChecked(), false);
    for (const c of await mc.getByRole('checkbox', { name: 'Correct' }).all()) assert.equal(await c.isChecked(), false);

    await page.locator('#f-sections-0-questions-0-prompt').fill('疏散楼梯的照明灯下班后可以关闭。');
    await page.locator('#f-sections-0-questions-1-prompt').fill('员工上班途中的交通事故是否属于工伤？');
    await sc.getByLabel('Option 1', { exact: true }).fill('是');
    await sc.getByLabel('Option 2', { exact: true }).fill('不是');
    await page.locator('#f-sections-0-questions-2-prompt').fill('“5A”包括哪些？');
    await mc.getByLabel('Option 1', { exact: true }).fill('办公自动化');
    await mc.getByLabel('Option 2', { exact: true }).fill('通讯自动化');
    await mc.getByLabel('Option 3', { exact: true }).fill('楼宇自动化');

    // Saving: the server refuses the missing keys, shown beside each question.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.locator('#f-sections-0-questions-0-answer-err').waitFor();
    await page.locator('#f-sections-0-questions-1-answer-err').waitFor();
    await page.locator('#f-sections-0-questions-2-answers-err').waitFor();
    assert.equal(await page.getByText('Draft saved.').count(), 0);
    // The draft was not quietly "fixed".
    assert.equal(await tf.getByLabel('True').isChecked(), false);
    assert.equal(await tf.getByLabel('False').isChecked(), false);
    for (const r of await sc.getByRole('radio').all()) assert.equal(await r.isChecked(), false);
    await shot(page, 'editor-no-key', false);
    assert.match(page.url(), /\/exams\/new$/, 'nothing was created');

    // Once she picks the keys, it saves with exactly those.
    await tf.getByLabel('False').check();
    await sc.getByRole('radio').nth(1).check();
    await mc.getByRole('checkbox', { name: 'Correct' }).nth(2).check();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.waitForURL(/\/exams\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const saved = await api<{ sections: { questions: { answer?: unknown; answers?: string[] }[] }[] }>(
      'GET',
      `/exams/${id}`,
      undefined,
      admin.token,
    );
    const qs = saved.sections[0].questions;
    assert.equal(qs[0].answer, false);
    assert.equal(qs[1].answer, 'b');
    assert.deepEqual(qs[2].answers, ['c']);
  });
  await ctx.close();
});
