// Import and export in the browser: a recruiter pastes the seed's exam text
// (our customer's page, committed under fixtures/), sees the problems the
// importer found beside their questions with their source lines, fixes one
// key, saves (the server names what is still missing), fixes the rest,
// saves and publishes. Then the Export menu downloads the draft and the
// frozen version under the server's file name, and the files import back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { api, BASE, guarded, shot, signIn, signup, useBrowser, watchedPage } from './helpers';

const SEED = readFileSync(new URL('./fixtures/seed-exam.zh.txt', import.meta.url), 'utf8');

const browser = useBrowser();

interface Imported {
  format: string;
  exam: { title: string; sections: { title: string; questions: { type: string }[] }[] };
  problems: { field: string; line: number; message: string }[];
  stats: { questions: number };
}

/** The question box of sections[si].questions[qi]. */
const box = (page: Page, si: number, qi: number) => page.locator(`#f-sections-${si}-questions-${qi}`);

test('paste the seed, see its problems by line, fix the keys, save and publish; export and import back', async () => {
  const admin = await signup('import');
  const { ctx, page } = await watchedPage(browser, 'import');
  await guarded('import', () => [page], async () => {
    await signIn(page, admin, { next: '/exams' });
    await page.getByRole('heading', { name: 'Exams' }).waitFor();
    await page.getByLabel('Language').selectOption('zh-CN');

    // 1. The import dialog, the seed pasted.
    await page.getByRole('button', { name: '导入', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '导入试卷' });
    await dialog.waitFor();
    await dialog.getByLabel('试卷文字').fill(SEED);
    assert.ok(await dialog.getByRole('button', { name: '下载 Excel 模板' }).isVisible());
    await shot(page, 'import-1-paste', false);

    // 2. Read into a new, unsaved draft: the summary and the problems.
    await dialog.getByRole('button', { name: '读入编辑器' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /从 text 导入：共 31 题/);
    assert.match(await summary.innerText(), /单项选择题 5/);
    assert.match(await summary.innerText(), /有 \d+ 个问题需要检查/);
    assert.equal(new URL(page.url()).pathname, '/exams/new');
    assert.ok(await page.getByText('尚未保存').first().isVisible());
    // Beside the first single-choice question (section 三): the missing key, with its line,
    // in the recruiter's language (the importer's code, not its English message).
    const q = box(page, 2, 0);
    const qText = await q.locator('.field-errors').first().innerText();
    assert.match(qText, /第 \d+ 行：原文没有给出答案/);
    assert.doesNotMatch(qText, /the source gives no key/);
    // Beside the first fill-in: the blank the source lost.
    assert.match(await box(page, 0, 0).locator('.field-errors').first().innerText(), /第 7 行：原文中这道填空题的空位已丢失/);
    // Nothing was stored.
    const before = await api<{ items: unknown[] }>('GET', '/exams', undefined, admin.token);
    assert.equal(before.items.length, 0);
    await shot(page, 'import-2-problems', false);
    await q.scrollIntoViewIfNeeded();
    await shot(page, 'import-2b-question-problem', false);

    // 3. Fix one key (section 三, question 1: option A), save: the server names the 19 still missing.
    await page.locator('#f-sections-2-questions-0-options-0-correct').check();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText(/请修改.*19|19.*问题/).first().waitFor();
    assert.equal(await page.locator('#f-sections-2-questions-0-options-0-correct').isChecked(), true);
    assert.equal((await box(page, 2, 0).locator('.field-errors').count()), 0, 'the fixed question has no problem left');
    assert.ok((await box(page, 2, 1).locator('.field-errors').count()) > 0, 'the next one still lacks its key');
    await box(page, 2, 0).scrollIntoViewIfNeeded();
    await shot(page, 'import-3-one-key-fixed', false);

    // 4. Fix the rest: blanks for the fill-ins, keys for 判断, 单选, 多选.
    for (let qi = 0; qi < 5; qi++) {
      const b = box(page, 0, qi);
      await b.getByRole('button', { name: '添加填空' }).click();
      await b.getByLabel('可接受的答案').fill(`答案${qi + 1}`);
      await page.locator(`[id="tf-sections[1].questions[${qi}]-true"]`).check();
      if (qi > 0) await page.locator(`#f-sections-2-questions-${qi}-options-0-correct`).check();
      await page.locator(`#f-sections-3-questions-${qi}-options-0-correct`).check();
    }
    // Straight from the preview into the bank: all 31, each then linked to its copy.
    await summary.getByRole('button', { name: '将导入的 31 道题存入题库' }).click();
    await page.getByTestId('import-saved-bank').getByText(/已将 31 道题存入题库/).waitFor();
    const bank = await api<{ items: { prompt: string }[] }>('GET', '/bank/questions?limit=100', undefined, admin.token);
    assert.equal(bank.items.length, 31, 'the bank holds the imported questions');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('草稿已保存。').waitFor();
    await page.waitForURL(/\/exams\/[0-9a-f-]{36}$/);
    const examId = new URL(page.url()).pathname.split('/').pop()!;
    assert.equal(await page.getByTestId('import-summary').count(), 0, 'the summary goes once the draft is saved');
    const saved = await api<{ sections: { questions: { answer?: unknown }[] }[] }>('GET', `/exams/${examId}`, undefined, admin.token);
    assert.equal(saved.sections.length, 7);
    assert.equal(saved.sections[2].questions[0].answer, 'a');
    const linked = saved.sections.flatMap((x) => x.questions).filter((x) => (x as { bank_id?: string }).bank_id);
    assert.equal(linked.length, 31, 'every saved question keeps its bank_id');
    await shot(page, 'import-4-saved');

    // 5. Publish.
    await page.getByRole('button', { name: '发布', exact: true }).click();
    const pub = page.getByRole('dialog', { name: '发布这份试卷？' });
    await pub.waitFor();
    await shot(page, 'import-5-publish-summary', false);
    await pub.getByRole('button', { name: '发布第 1 版' }).click();
    await page.getByText('已发布为第 1 版。').waitFor();
    await shot(page, 'import-6-published', false);

    // 6. Export the draft as GIFT from the editor: the server's file name, and it imports back.
    // (GIFT is what this build's server writes in full; the others follow with their writers.)
    await page.getByRole('button', { name: /导出/ }).click();
    const [draftDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('group', { name: '将此考试导出为' }).getByRole('button', { name: 'Moodle GIFT（.gift）' }).click(),
    ]);
    // The name the server gives (its filename*, the title made safe for a file system).
    const head = await fetch(`${BASE}/api/v1/exams/${examId}/export?format=gift`, { headers: { Authorization: `Bearer ${admin.token}` } });
    const star = /filename\*=UTF-8''([^;]+)/.exec(head.headers.get('Content-Disposition') ?? '');
    assert.ok(star, 'the server names the file');
    assert.equal(draftDl.suggestedFilename(), decodeURIComponent(star[1]));
    assert.equal(draftDl.suggestedFilename(), '推荐第9篇_客户服务经理面试题.gift');
    const gift = readFileSync(await draftDl.path(), 'utf8');
    const back = await api<Imported>('POST', '/imports', { format: 'gift', content: gift }, admin.token);
    assert.equal(back.stats.questions, 31);
    assert.deepEqual(
      back.exam.sections.map((s) => s.questions.length),
      saved.sections.map((s) => s.questions.length),
    );

    // 7. Export the frozen version from the version page; it imports back too.
    await page.goto(`/exams/${examId}/versions/1`);
    await page.getByRole('button', { name: /导出/ }).click();
    const [versionDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('group', { name: '将此考试导出为' }).getByRole('button', { name: 'Moodle GIFT（.gift）' }).click(),
    ]);
    assert.equal(versionDl.suggestedFilename(), '推荐第9篇_客户服务经理面试题-v1.gift');
    await shot(page, 'import-7-version-export', false);
    const frozen = readFileSync(await versionDl.path(), 'utf8');
    const back2 = await api<Imported>('POST', '/imports', { format: 'gift', content: frozen }, admin.token);
    assert.equal(back2.stats.questions, 31);
  });
  await ctx.close();
});
