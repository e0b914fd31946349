// The candidate's page in both languages: it downloads the texts of the
// language it opens in only, fetches the other on a switch, and shows
// every step (welcome, questions, the submit confirmation, the thank-you
// page) in the language chosen, which a reload keeps.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { guarded, launch, signup, unique, watchedPage } from './helpers';
import { candidateExam } from './take-helpers';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('candidate page: opens in Chinese with its texts only, switches to English and back', async () => {
  const admin = await signup('takelang');
  const { link } = await candidateExam(admin.token, '双语', unique('lang'));
  const { ctx, page } = await watchedPage(browser, 'takelang', { locale: 'zh-CN' });
  const texts: string[] = [];
  page.on('response', (r) => {
    const m = /messages-candidate(-zh)?-[\w-]+\.js$/.exec(new URL(r.url()).pathname);
    if (m) texts.push(m[1] ? 'zh' : 'en');
  });
  await guarded('takelang', () => [page], async () => {
    await page.goto(new URL(link).pathname);
    await page.getByRole('button', { name: '开始考试' }).waitFor();
    assert.deepEqual(texts, ['zh'], 'a Chinese page loads the Chinese texts only');

    await page.locator('#lang-select').selectOption('en');
    await page.getByRole('button', { name: 'Start the exam' }).click();
    assert.deepEqual(texts, ['zh', 'en']);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.locator('[data-qtype=true_false] label.q-option', { hasText: 'True' }).click();
    await page.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]').waitFor();

    // A reload keeps English and loads nothing of Chinese.
    texts.length = 0;
    await page.reload();
    await page.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]').waitFor();
    assert.deepEqual(texts, ['en']);

    await page.getByRole('button', { name: 'Submit', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Submit your answers?' });
    await dialog.getByRole('button', { name: 'Submit now' }).click();
    await page.getByRole('heading', { name: 'Your answers have been submitted' }).waitFor();

    await page.locator('#lang-select').selectOption('zh-CN');
    await page.getByRole('heading', { name: '您的答案已提交' }).waitFor();
    assert.equal(await page.locator('#lang-select').inputValue(), 'zh-CN');
  });
  await ctx.close();
});
