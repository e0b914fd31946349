// A recruiter pastes a list copied from a spreadsheet, header row and all:
// every line is checked before sending, the bad ones are named by line, the
// button counts only the good ones, and after sending only the lines that
// were not invited stay in the box.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api, guarded, publishedExam, shot, signIn, signup, twoTrackExam, unique, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

const pages: Page[] = [];

test('bulk invite checks each pasted line, skips the header and keeps only what was not invited', async () => {
  await guarded('bulk-invite', () => pages, async () => {
    const admin = await signup('bulk');
    const doc = twoTrackExam('批量邀请');
    const exam = { id: await publishedExam(admin.token, doc) };
    const zhang = `${unique('zhang')}@example.com`;
    const li = `${unique('li')}@example.com`;
    const wang = `${unique('wang')}@example.com`;

    const { ctx, page } = await watchedPage(browser, 'recruiter', { locale: 'zh-CN' });
    pages.push(page);
    await signIn(page, admin, { landing: '/exams', lang: 'zh-CN' });
    await page.goto(`/exams/${exam.id}/invitations`);
    const form = page.getByTestId('bulk-invite');
    const box = form.getByLabel('每行一位考生：姓名，邮箱，岗位类别');
    await box.waitFor();

    const pasted = [
      '姓名\t邮箱\t岗位',
      `张三\t${zhang}\tmanager`,
      '周杰\tzhoujie@example\tmanager',
      `李四\t${li}\tsupervisor`,
      `李四二\t${li.toUpperCase()}\tmanager`,
      `王五\t${wang}\tdirector`,
      '"Qian, Qi"\t\tmanager',
    ].join('\n');
    await box.fill(pasted);

    const summary = form.getByTestId('bulk-summary');
    await summary.getByText('2 行可邀请，4 行有问题').waitFor();
    assert.match((await summary.textContent()) ?? '', /第 1 行是表头，已跳过。/);
    const problems = form.getByTestId('bulk-problems');
    const lines = (await problems.locator('li').allTextContents()).map((s) => s.trim());
    assert.deepEqual(lines, [
      '第 3 行：“zhoujie@example”不是有效的邮箱地址（应如 name@example.com）',
      '第 5 行：与第 4 行的邮箱重复',
      '第 6 行：岗位类别“director”不存在（可选：manager, supervisor）',
      '第 7 行：缺少邮箱',
    ]);
    await shot(page, 'bulk-01-checked-zh');

    // Fix one line in the box: the counts follow.
    await box.fill(pasted.replace('\tdirector', '\tsupervisor'));
    await summary.getByText('3 行可邀请，3 行有问题').waitFor();
    const send = form.getByRole('button', { name: '邀请 3 人' });
    await send.click();
    await form.getByTestId('bulk-outcome').getByText('已邀请 3 人，链接见下方。').waitFor();

    // The invited lines left the box; the header and the bad lines stayed.
    const left = await box.inputValue();
    assert.deepEqual(left.split('\n'), [
      '姓名\t邮箱\t岗位',
      '周杰\tzhoujie@example\tmanager',
      `李四二\t${li.toUpperCase()}\tmanager`,
      '"Qian, Qi"\t\tmanager',
    ]);
    await summary.getByText('0 行可邀请，3 行有问题').waitFor();
    assert.equal(await form.getByRole('button', { name: '邀请 0 人' }).isDisabled(), true);
    assert.equal(await form.getByTestId('bulk-invited').locator('li').count(), 3);
    await page.getByRole('cell', { name: '王五' }).waitFor();
    await shot(page, 'bulk-02-sent-zh');

    const invs = await api<{ items: { candidate_email: string; track: string }[] }>(
      'GET',
      `/exams/${exam.id}/invitations`,
      undefined,
      admin.token,
    );
    assert.deepEqual(invs.items.map((i) => `${i.candidate_email} ${i.track}`).sort(), [`${li} supervisor`, `${wang} supervisor`, `${zhang} manager`].sort());

    // A line the server refuses stays, with the server's reason. The exam
    // loses its supervisor track in a new version while the page is open, so
    // the page still takes "supervisor" for good and the server refuses it.
    await api('PUT', `/exams/${exam.id}`, { ...doc, tracks: ['manager'] }, admin.token);
    await api('POST', `/exams/${exam.id}/publish`, undefined, admin.token);
    const ok = `${unique('ok')}@example.com`;
    await box.fill(`name,email,track\nSue Pervisor,${unique('sue')}@example.com,supervisor\nOK Person,${ok},manager`);
    await summary.getByText('2 行可邀请，0 行有问题').waitFor();
    await form.getByRole('button', { name: '邀请 2 人' }).click();
    await form.getByTestId('bulk-outcome').getByText('已邀请 1 人。1 行未能邀请，已留在输入框中并注明原因。').waitFor();
    assert.equal((await box.inputValue()).split('\n').length, 2);
    assert.match(await box.inputValue(), /^name,email,track\nSue Pervisor,/);
    const refused = (await problems.locator('li').allTextContents()).map((x) => x.trim());
    assert.equal(refused.length, 1);
    // The server's reason in the page's language, naming the field.
    assert.equal(refused[0], '第 2 行：未能邀请：岗位类别：试卷没有“supervisor”这个岗位');
    await summary.getByText('0 行可邀请，1 行有问题').waitFor();
    // Changing the line clears the server's reason and makes it sendable again.
    await box.fill((await box.inputValue()).replace(',supervisor', ',manager'));
    await summary.getByText('1 行可邀请，0 行有问题').waitFor();
    await shot(page, 'bulk-03-refused-zh');

    // English too.
    await page.evaluate(() => localStorage.setItem('examd.lang', 'en'));
    await page.reload();
    const enBox = page.getByTestId('bulk-invite').getByLabel('One candidate per line: name, email, track');
    await enBox.fill('name,email,track\nZhou Jie, zhoujie@example, manager\nAnn, ann@example.com');
    await page.getByTestId('bulk-problems').getByText('Line 2: “zhoujie@example” is not a valid email address (name@example.com)').waitFor();
    await page.getByTestId('bulk-problems').getByText('Line 3: no track (one of: manager)').waitFor();
    await page.getByTestId('bulk-summary').getByText('0 ready to invite, 2 with problems').waitFor();
    await shot(page, 'bulk-04-en');
    await ctx.close();
  });
});
