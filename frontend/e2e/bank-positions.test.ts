// The recruiter's bank-and-positions workflow in the browser: an exam built
// from bank questions (copied with the picker) and one draw section, linked
// to its position and published; two candidates take it and get different
// drawn questions; the position page shows the ranking and the blueprint,
// the attempt page the candidate's competencies against the cohort, and the
// bank page finds the questions by a Chinese word.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api, guarded, invite, lettered, newContext, signIn, signup, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();
const POOL = 20;
const DRAWN = 3;

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/h22-${name}.png`, fullPage: true });
}

/** Opens the candidate's link, records the drawn prompts, answers everything and submits. */
async function take(page: Page, link: string, name: string): Promise<string[]> {
  await page.goto(new URL(link).pathname);
  await page.getByRole('button', { name: 'Start the exam' }).click();
  await page.getByTestId('timer').waitFor();
  const drawn = page.locator('[data-qtype=true_false]');
  await drawn.first().waitFor();
  assert.equal(await drawn.count(), DRAWN, `${name} sees the ${DRAWN} drawn questions`);
  const prompts = await drawn.locator('.q-prompt').allTextContents();
  // Right on the first drawn question only, so the two differ in points too.
  for (let i = 0; i < DRAWN; i++) {
    await drawn.nth(i).locator('label.q-option', { hasText: i === 0 ? 'True' : 'False' }).click();
  }
  for (const q of await page.locator('[data-qtype=single_choice]').all()) await q.locator('label.q-option').first().click();
  await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
  await screenshot(page, name);
  await page.getByRole('region', { name: 'Exam status' }).getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Submit now' }).click();
  await page.getByRole('heading', { name: 'Your answers have been submitted' }).waitFor();
  return prompts;
}

test('an exam from the bank with a draw section: two candidates draw differently; ranking, blueprint and competency chart', async () => {
  const admin = await signup('bankpos');
  const position = await api<{ id: string }>(
    'POST',
    '/positions',
    {
      title: '客户服务经理',
      description: '写字楼客户服务部经理',
      responsibilities: ['全面管理本部门工作', '处理客户抱怨与投诉事项'],
      requirements: ['良好的沟通能力'],
    },
    admin.token,
  );
  const pool = Array.from({ length: POOL }, (_, i) => ({
    type: 'true_false',
    prompt: `客户投诉情景 ${i + 1}：先道歉再了解情况是否正确？`,
    answer: true,
    points: 1,
    tags: ['投诉处理'],
  }));
  const picked = ['沟通题甲：电访时首先应当？', '沟通题乙：上门服务前应当？'].map((prompt) => ({
    type: 'single_choice',
    prompt,
    options: lettered('说明来意', '直接开始'),
    answer: 'a',
    points: 2,
    tags: ['沟通'],
  }));
  await api('POST', '/bank/questions/batch', { questions: [...pool, ...picked] }, admin.token);

  const { page } = await watchedPage(browser, 'bank-positions');
  const candidates: Page[] = [];
  await guarded('bank-positions', () => [page, ...candidates], async () => {
    await signIn(page, admin, { next: '/exams/new' });

    // The bank page finds the pool by a Chinese word inside the prompts.
    await page.getByRole('link', { name: 'Question bank' }).click();
    await page.getByLabel('Search prompts and options').fill('投诉');
    await page.getByTestId('bank-list').getByText('客户投诉情景 1：', { exact: false }).first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=bank-list] tbody tr').length === 20);
    await screenshot(page, 'bank');

    // A new exam: two bank questions copied with the picker, then a draw section.
    await page.goto('/exams/new');
    await page.locator('#f-title').fill('客户服务经理 · 题库抽题');
    await page.getByLabel('Pass score').fill('4');
    await page.getByLabel('Position').selectOption({ label: '客户服务经理' });
    await page.locator('#f-sections-0-title').fill('一、沟通');
    await page.locator('#f-sections-0').getByRole('button', { name: '+ Add from bank' }).click();
    const picker = page.getByRole('dialog', { name: 'Add questions from the bank' });
    await picker.getByLabel('Tag').fill('沟通');
    // The tag filter applies once typing pauses: the 22 questions narrow to 2.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=bank-picker] li').length === 2);
    for (const box of await picker.getByRole('checkbox').all()) await box.check();
    await picker.getByRole('button', { name: 'Add 2 selected' }).click();
    assert.deepEqual(
      (await page.locator('#f-sections-0 textarea[id$=-prompt]').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value))).sort(),
      picked.map((q) => q.prompt).sort(),
    );

    await page.getByRole('button', { name: 'Add section' }).click();
    const drawSec = page.locator('#f-sections-1');
    await page.locator('#f-sections-1-title').fill('二、投诉处理(随机抽题)');
    await drawSec.getByLabel('This section draws questions from the bank for each candidate').check();
    await drawSec.getByLabel('How many questions').fill(String(DRAWN));
    await drawSec.getByLabel('Tagged (any of, comma-separated)').fill('投诉处理');
    await drawSec.getByLabel('Of type').selectOption('true_false');
    await drawSec.getByText(`The bank has ${POOL} matching questions now`, { exact: false }).waitFor();
    await screenshot(page, 'editor');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    const examId = new URL(page.url()).pathname.split('/')[2];
    const saved = await api<{ position_id?: string; sections: { questions: { bank_id?: string }[]; draw?: unknown }[] }>('GET', `/exams/${examId}`, undefined, admin.token);
    assert.equal(saved.position_id, position.id);
    assert.ok(saved.sections[0].questions.every((q) => q.bank_id), 'the copies keep their bank_id');
    assert.deepEqual(saved.sections[1].draw, { count: DRAWN, tags: ['投诉处理'], type: 'true_false' });

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this exam?' });
    await dialog.getByRole('button', { name: 'Publish version 1' }).waitFor();
    const ack = dialog.getByLabel('I have read the warnings and want to publish anyway.');
    if (await ack.count()) await ack.check();
    await dialog.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Published as version 1.').waitFor();

    // Two candidates: each gets their own draw from the pool of 20.
    const prompts: string[][] = [];
    for (const [i, name] of ['张三', '李四'].entries()) {
      const inv = await invite(admin.token, examId, name, `cand${i}`);
      const c = await (await newContext(browser)).newPage();
      candidates.push(c);
      prompts.push(await take(c, inv.link, `candidate-${i + 1}`));
    }
    const [a, b] = prompts.map((p) => [...p].sort().join('\n'));
    assert.ok(pool.some((q) => prompts[0].includes(q.prompt)), 'drawn from the pool');
    assert.notEqual(a, b, `the two candidates drew the same questions:\n${a}`);

    // The position page: responsibilities, the blueprint and the ranking.
    await page.goto(`/positions/${position.id}`);
    await page.getByTestId('position-duties').getByText('处理客户抱怨与投诉事项').waitFor();
    const ranking = page.getByTestId('ranking');
    await ranking.locator('tbody tr').nth(1).waitFor();
    assert.equal(await ranking.locator('tbody tr').count(), 2);
    const blueprint = page.getByTestId('blueprint-table');
    await blueprint.locator('tr[data-tag=沟通]').waitFor();
    // 沟通: 2 questions × 2 points; 投诉处理: 3 drawn × 1 point; of 7 points.
    assert.deepEqual(await blueprint.locator('tr[data-tag=沟通] td').allTextContents(), ['沟通', '2', '4', '57 %']);
    assert.deepEqual(await blueprint.locator('tr[data-tag=投诉处理] td').allTextContents(), ['投诉处理', '3', '3', '43 %']);
    await page.getByTestId('blueprint-chart').locator('svg').waitFor();
    await screenshot(page, 'position');

    // The first of the ranking: per-tag scores against the cohort's mean.
    await ranking.locator('tbody tr').first().getByRole('link').click();
    const tags = page.getByTestId('tag-scores');
    await tags.getByTestId('tag-chart').locator('svg').waitFor();
    await tags.getByText('Cohort: every attempt of the exams of position “客户服务经理”').waitFor();
    assert.equal(await tags.locator('tr[data-tag=沟通] td').first().textContent(), '4 / 4');
    await screenshot(page, 'attempt');
  });
});
