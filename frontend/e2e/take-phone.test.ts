// The candidate on a phone (390×844, WeChat's browser, zh-CN): the header
// on one line, the answer sheet (答题卡) as a drawer whose numbers jump to
// their questions, flags kept across a reload, the submit dialog's links to
// unanswered and flagged questions, and a thank-you page that keeps its
// submit time and shows explanations after a reload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { guarded, shot, signup, unique, useBrowser, watchedPage, WECHAT, WECHAT_PHONE } from './helpers';
import { expectNoSeriousA11y } from './axe';
import { candidateExam } from './take-helpers';

const browser = useBrowser();

async function sheetStates(page: Page) {
  return page
    .getByTestId('answer-sheet')
    .locator('.sheet-item')
    .evaluateAll((els) => els.map((e) => `${e.textContent}:${e.getAttribute('data-mark')}${e.getAttribute('data-flagged') === 'true' ? '+flag' : ''}`));
}

async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  });
}

/** Timer, progress, save state, answer sheet and submit on one line, inside a 390 px screen. */
async function expectOneLineHeader(page: Page): Promise<void> {
  const boxes = await page.getByTestId('exam-bar').evaluate((bar) =>
    Array.from(bar.children).map((c) => {
      const r = c.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: c.textContent };
    }),
  );
  assert.equal(boxes.length, 5);
  const mid = (b: { top: number; bottom: number }) => (b.top + b.bottom) / 2;
  for (const b of boxes) {
    assert.ok(Math.abs(mid(b) - mid(boxes[0])) < 6, `"${b.text}" is not on the header's line: ${JSON.stringify(boxes)}`);
    assert.ok(b.left >= 0 && b.right <= 390, `"${b.text}" leaves the screen: ${b.left}–${b.right}`);
  }
  const barHeight = await page.getByTestId('exam-bar').evaluate((b) => b.getBoundingClientRect().height);
  assert.ok(barHeight < 64, `header ${barHeight}px tall`);
}

test('phone: one-line header, answer sheet drawer, flags, submit links, thank-you after a reload', async () => {
  const admin = await signup('phone');
  const { link } = await candidateExam(admin.token, '手机答题', unique('wei'), { show_explanations: true });
  const { ctx, page } = await watchedPage(browser, 'phone', WECHAT_PHONE);
  await guarded('phone', () => [page], async () => {
    await page.goto(new URL(link).pathname);
    await page.getByRole('button', { name: '开始考试' }).click();
    await page.getByTestId('timer').waitFor();

    await expectOneLineHeader(page);

    // Answer the first question, flag the second.
    await page.locator('[data-qtype=true_false] label.q-option', { hasText: '正确' }).tap();
    await page.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]').waitFor();
    await page.locator('[data-qtype=single_choice] [data-testid=flag]').tap();
    assert.equal(await page.locator('[data-qtype=single_choice] [data-testid=flag]').getAttribute('aria-pressed'), 'true');
    await shot(page, '18-phone-header', false);
    await expectNoSeriousA11y(page, 'the exam on a phone');

    // The sheet: every number with its state; tapping 4 goes to the essay.
    await page.getByTestId('sheet-button').tap();
    await page.getByTestId('answer-sheet').waitFor();
    assert.deepEqual(await sheetStates(page), ['1:saved', '2:unanswered+flag', '3:unanswered', '4:unanswered']);
    await shot(page, '19-phone-answer-sheet', false);
    await expectNoSeriousA11y(page, 'the answer sheet on a phone');
    await page.getByTestId('answer-sheet').getByRole('link', { name: /^第 4 题/ }).tap();
    await page.getByTestId('answer-sheet').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    assert.ok(await inViewport(page, '[data-qtype=essay]'), 'the essay is on screen');

    // Flags survive a reload.
    await page.reload();
    await page.getByTestId('timer').waitFor();
    assert.equal(await page.locator('[data-qtype=single_choice] [data-testid=flag]').getAttribute('aria-pressed'), 'true');

    // The submit dialog lists unanswered and flagged questions as links.
    await page.getByRole('button', { name: '交卷' }).first().tap();
    const dialog = page.getByRole('dialog', { name: '确定交卷吗？' });
    await dialog.waitFor();
    const numbers = (id: string) => dialog.getByTestId(id).getByRole('link').allTextContents();
    assert.deepEqual(await numbers('confirm-unanswered'), ['2', '3', '4']);
    assert.deepEqual(await numbers('confirm-flagged'), ['2']);
    await shot(page, '20-phone-submit-dialog', false);
    await dialog.getByTestId('confirm-unanswered').getByRole('link', { name: /^第 3 题/ }).tap();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.classList.contains('blank-input'));
    await page.keyboard.type('4');
    await page.locator('[data-qtype=essay] textarea').fill('我做过三年客服主管。');

    // Submit; the thank-you page shows the server's submit time and the explanations, also after a reload.
    await page.getByRole('button', { name: '交卷' }).first().tap();
    await dialog.getByRole('button', { name: '确定交卷' }).tap();
    const at = page.getByTestId('submitted-at');
    await at.waitFor();
    const shown = await at.textContent();
    assert.match(shown ?? '', /交卷时间/);
    await page.getByTestId('outcome').waitFor();
    await page.reload();
    await page.getByTestId('done').waitFor();
    await at.waitFor();
    assert.equal(await at.textContent(), shown, 'the same submit time after a reload');
    const items = page.getByTestId('outcome-item');
    assert.equal(await items.count(), 4);
    assert.equal(await items.nth(0).getAttribute('data-full'), 'true');
    assert.match((await items.nth(0).textContent()) ?? '', /Rayleigh scattering\./);
    assert.equal(await items.nth(1).getAttribute('data-full'), 'false');
    assert.equal(await items.nth(2).getAttribute('data-full'), 'true');
    assert.equal(await items.nth(3).getAttribute('data-full'), 'null'); // the essay waits for its reviewer
    await shot(page, '21-phone-thank-you');
  });
  await ctx.close();
});

test('phone, English: the header stays on one line, also offline with answers waiting', async () => {
  const admin = await signup('phone-en');
  const { link } = await candidateExam(admin.token, 'On a phone', unique('pat'));
  const { ctx, page } = await watchedPage(browser, 'phone-en', { viewport: { width: 390, height: 844 }, userAgent: WECHAT, isMobile: true, hasTouch: true });
  await guarded('phone-en', () => [page], async () => {
    await page.goto(new URL(link).pathname);
    await page.getByRole('button', { name: 'Start the exam' }).tap();
    await page.getByTestId('timer').waitFor();
    await expectOneLineHeader(page);
    await ctx.setOffline(true);
    await page.locator('[data-qtype=true_false] label.q-option', { hasText: 'True' }).tap();
    await page.locator('[data-qtype=single_choice] label.q-option', { hasText: 'Beta' }).tap();
    await page.locator('[data-testid=save-state][data-state=offline]').waitFor({ timeout: 10_000 });
    await expectOneLineHeader(page);
    await shot(page, '22-phone-en-offline', false);
    await ctx.setOffline(false);
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor({ timeout: 20_000 });
  });
  await ctx.close();
});
