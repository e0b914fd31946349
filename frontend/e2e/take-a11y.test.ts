// The candidate's pages with the keyboard only and under axe-core, in zh-CN
// and English: the start page, the exam, the answer sheet, the submit
// dialog and the thank-you page. Every control is reached by Tab and shows
// a visible focus ring; axe reports no serious or critical violation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { guarded, signup, unique, useBrowser, watchedPage } from './helpers';
import { expectNoSeriousA11y } from './axe';
import { candidateExam } from './take-helpers';

const browser = useBrowser();

/** Tabs until focus reaches an element matching pred (at most max presses); checks each stop is visibly focused. */
async function tabTo(page: Page, what: string, pred: string, max = 60, back = false): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const stop = await page.evaluate((sel) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { match: false, visible: true, name: 'body' };
      const cs = getComputedStyle(el);
      const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
      // A radio or checkbox shows its ring on the option around it.
      const wrap = el.closest('.q-option');
      const wrapRing = wrap ? getComputedStyle(wrap).boxShadow !== 'none' : false;
      return { match: el.matches(sel), visible: ring || wrapRing, name: `${el.tagName} ${el.textContent?.trim().slice(0, 30) ?? ''}` };
    }, pred);
    assert.ok(stop.visible, `no visible focus on ${stop.name}`);
    if (stop.match) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

for (const lang of ['zh-CN', 'en-US'] as const) {
  const zh = lang === 'zh-CN';
  test(`keyboard only and axe, ${lang}: start, exam, answer sheet, submit dialog, thank-you`, async () => {
    const admin = await signup(`a11y-${lang}`);
    const { link } = await candidateExam(admin.token, zh ? '无障碍' : 'Accessible', unique('ally'), { show_explanations: true });
    const { ctx, page } = await watchedPage(browser, `a11y-${lang}`, { locale: lang });
    await guarded(`a11y-${lang}`, () => [page], async () => {
      await page.goto(new URL(link).pathname);
      const start = page.getByRole('button', { name: zh ? '开始考试' : 'Start the exam' });
      await start.waitFor();
      await expectNoSeriousA11y(page, `start page, ${lang}`);
      await tabTo(page, 'the start button', 'button.btn-primary');
      await page.keyboard.press('Enter');
      await page.getByTestId('timer').waitFor();
      await expectNoSeriousA11y(page, `exam, ${lang}`);

      // Answer the true/false question with the keyboard.
      await tabTo(page, 'the first question', '[data-qtype=true_false] input');
      await page.keyboard.press('Space');
      await page.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]').waitFor();
      // Flag it, by keyboard.
      await tabTo(page, 'its flag', '[data-qtype=true_false] [data-testid=flag]');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('[data-qtype=true_false] [data-testid=flag]').getAttribute('aria-pressed'), 'true');

      // The answer sheet by keyboard: back up to its button, open it, go to question 3.
      await tabTo(page, 'the answer sheet button', '[data-testid=sheet-button]', 20, true);
      await page.keyboard.press('Enter');
      await page.getByTestId('answer-sheet').waitFor();
      await expectNoSeriousA11y(page, `answer sheet, ${lang}`);
      await tabTo(page, 'question 3 on the sheet', `[data-testid=answer-sheet] a[aria-label^="${zh ? '第 3 题' : 'Question 3'}"]`, 10);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.classList.contains('blank-input'));
      await page.keyboard.type('4');

      // Through the rest to the submit button at the bottom, then the dialog.
      await tabTo(page, 'the essay', 'textarea');
      await page.keyboard.type(zh ? '我的回答' : 'My answer');
      await tabTo(page, 'the submit button', '.submit-row button');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: zh ? '确定交卷吗？' : 'Submit your answers?' });
      await dialog.waitFor();
      await expectNoSeriousA11y(page, `submit dialog, ${lang}`);
      await tabTo(page, 'the confirm button', 'dialog[open] .dialog-actions .btn-primary', 12);
      await page.keyboard.press('Enter');

      await page.getByTestId('outcome').waitFor();
      await expectNoSeriousA11y(page, `thank-you page, ${lang}`);
    });
    await ctx.close();
  });
}
