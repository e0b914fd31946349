// The server's 422 details in people's words, in the page's language, beside
// the field they are about: a weak password and a bad address on the users
// page, and a bulk-invite line the server refuses, in zh-CN and English.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api, guarded, publishedExam, shot, signIn, signup, twoTrackExam, unique, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

const pages: Page[] = [];

/** The error text shown under the field with this label. */
async function fieldError(page: Page, label: string): Promise<string> {
  const field = page.locator('.field', { has: page.getByLabel(label, { exact: true }) });
  const errs = field.locator('.field-errors');
  await errs.waitFor();
  return ((await errs.textContent()) ?? '').trim();
}

test('the users page says a weak password and a bad address in Chinese and in English', async () => {
  await guarded('errors-users', () => pages, async () => {
    const admin = await signup('errs');
    const { ctx, page } = await watchedPage(browser, 'users', { locale: 'zh-CN' });
    pages.push(page);
    await signIn(page, admin, { landing: '/exams', lang: 'zh-CN', chooseLang: true });
    await page.goto('/users');
    const form = page.locator('form', { has: page.getByRole('heading', { name: '添加用户' }) });
    await form.getByLabel('姓名').fill('周杰');
    await form.getByLabel('邮箱').fill('zhoujie@example');
    await form.getByLabel('密码').fill('short');
    await form.getByRole('button', { name: '添加' }).click();
    assert.equal(await fieldError(page, '密码'), '至少 10 个字符');
    assert.equal(await fieldError(page, '邮箱'), '不是有效的邮箱地址');
    const text = (await form.textContent()) ?? '';
    assert.doesNotMatch(text, /password|characters|email address/i, 'no English from the server in the Chinese page');
    await shot(page, 'errors-users-zh');

    await page.evaluate(() => localStorage.setItem('examd.lang', 'en'));
    await page.reload();
    const enForm = page.locator('form', { has: page.getByRole('heading', { name: 'Add a user' }) });
    await enForm.getByLabel('Name').fill('Zhou Jie');
    await enForm.getByLabel('Email').fill(`${unique('zj')}@example.com`);
    await enForm.getByLabel('Password').fill('          ');
    await enForm.getByRole('button', { name: 'Add user' }).click();
    assert.equal(await fieldError(page, 'Password'), 'must not be only spaces');
    await shot(page, 'errors-users-en');

    // Nothing was created by the refused attempts.
    const users = await api<{ items: { email: string }[] }>('GET', '/users', undefined, admin.token);
    assert.equal(users.items.length, 1);
    await ctx.close();
  });
});

test('a bulk-invite line the server refuses is named in English too', async () => {
  await guarded('errors-bulk', () => pages, async () => {
    const admin = await signup('errb');
    const doc = twoTrackExam('Refusals');
    const exam = { id: await publishedExam(admin.token, doc) };
    const { ctx, page } = await watchedPage(browser, 'bulk-en');
    pages.push(page);
    await signIn(page, admin, { landing: '/exams', lang: 'en', chooseLang: true });
    await page.goto(`/exams/${exam.id}/invitations`);
    const form = page.getByTestId('bulk-invite');
    const box = form.getByLabel('One candidate per line: name, email, track');
    await box.waitFor();
    // The exam loses a track while the page is open: the server refuses it.
    await api('PUT', `/exams/${exam.id}`, { ...doc, tracks: ['manager'] }, admin.token);
    await api('POST', `/exams/${exam.id}/publish`, undefined, admin.token);
    await box.fill(`Sue Pervisor, ${unique('sue')}@example.com, supervisor`);
    await form.getByRole('button', { name: 'Invite 1' }).click();
    const refused = form.getByTestId('bulk-problems').locator('li');
    await refused.first().waitFor();
    assert.equal(((await refused.first().textContent()) ?? '').trim(), 'Line 1: not invited: Track: the exam has no track “supervisor”');
    await shot(page, 'errors-bulk-en');
    await ctx.close();
  });
});
