// Autosave through a lost connection: the indicator says "offline —
// retrying", the newest answer is saved once the network is back, and a
// reload shows it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceAndEssayExam, guarded, invite, publishedExam, shot, signup, tenMinuteExam, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

test('answers typed offline are saved when the connection returns', async () => {
  const admin = await signup('offline');
  const examId = await publishedExam(admin.token, choiceAndEssayExam('Offline'));
  const inv = await invite(admin.token, examId, 'Olga Offline', 'olga');

  const { ctx, page } = await watchedPage(browser, 'offline');
  await guarded('offline', () => [page], async () => {
    await page.goto(new URL(inv.link).pathname);
    await page.getByRole('button', { name: 'Start the exam' }).click();
    await page.locator('[data-qtype=single_choice] label.q-option', { hasText: 'Alpha' }).click();
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor();

    await ctx.setOffline(true);
    await page.locator('[data-qtype=single_choice] label.q-option', { hasText: 'Beta' }).click();
    await page.locator('[data-qtype=essay] textarea').fill('written without a network');
    await page.locator('[data-testid=save-state][data-state=offline]').waitFor({ timeout: 10_000 });
    assert.match((await page.getByTestId('save-state').textContent()) ?? '', /2 waiting to save, retrying/);
    // Nothing typed offline is shown as saved: both questions wait.
    for (const type of ['single_choice', 'essay']) {
      const mark = page.locator(`[data-qtype=${type}] [data-testid=q-mark]`);
      assert.equal(await mark.getAttribute('data-mark'), 'waiting', type);
      assert.equal((await mark.textContent())?.trim(), 'Waiting to save');
    }
    await shot(page, '16-offline-retrying', false);

    await ctx.setOffline(false);
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor({ timeout: 20_000 });
    for (const type of ['single_choice', 'essay']) {
      await page.locator(`[data-qtype=${type}] [data-testid=q-mark][data-mark=saved]`).waitFor();
    }

    await page.reload();
    await page.locator('[data-qtype=essay] textarea').waitFor();
    assert.equal(await page.locator('[data-qtype=single_choice] input[value=b]').isChecked(), true);
    assert.equal(await page.locator('[data-qtype=essay] textarea').inputValue(), 'written without a network');
  });
  await ctx.close();
});

test('zh-CN: waiting, saved and refused answers are told apart', async () => {
  const admin = await signup('offline-zh');
  const examId = await publishedExam(
    admin.token,
    tenMinuteExam('离线', '一', [
      { type: 'true_false', prompt: '判断', answer: true, points: 1 },
      { type: 'essay', prompt: '论述', points: 5 },
    ]),
  );
  const inv = await invite(admin.token, examId, '周杰', 'zhou');
  const { ctx, page } = await watchedPage(browser, 'offline-zh', { locale: 'zh-CN' });
  await guarded('offline-zh', () => [page], async () => {
    await page.goto(new URL(inv.link).pathname);
    await page.getByRole('button', { name: '开始考试' }).click();
    const essay = page.locator('[data-qtype=essay]');
    const essayId = (await essay.getAttribute('id'))!.replace(/^q-/, '');
    // The server refuses the essay's saves (as it would a 422).
    await page.route(`**/candidate/attempt/answers/${essayId}`, (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'validation_failed', message: 'answer is not valid', details: [] } }),
      }),
    );
    await essay.locator('textarea').fill('被拒绝的答案');
    await essay.locator('[data-testid=q-mark][data-mark=failed]').waitFor({ timeout: 10_000 });
    assert.match((await essay.getByTestId('q-mark').textContent()) ?? '', /保存失败/);
    await page.locator('[data-testid=save-state][data-failed="1"]').waitFor();
    assert.match((await page.getByTestId('save-state').textContent()) ?? '', /1 题保存失败/);

    await ctx.setOffline(true);
    const tf = page.locator('[data-qtype=true_false]');
    await tf.locator('label.q-option', { hasText: '正确' }).click();
    await tf.locator('[data-testid=q-mark][data-mark=waiting]').waitFor();
    assert.equal((await tf.getByTestId('q-mark').textContent())?.trim(), '等待保存');
    await page.locator('[data-testid=save-state][data-state=offline]').waitFor({ timeout: 10_000 });
    const header = (await page.getByTestId('save-state').textContent()) ?? '';
    assert.match(header, /1 题等待保存/);
    assert.match(header, /1 题保存失败/);
    await shot(page, '16-offline-zh-waiting-failed', false);

    await ctx.setOffline(false);
    await tf.locator('[data-testid=q-mark][data-mark=saved]').waitFor({ timeout: 20_000 });
    assert.equal((await tf.getByTestId('q-mark').textContent())?.trim(), '已保存');
    assert.equal(await essay.getByTestId('q-mark').getAttribute('data-mark'), 'failed');
  });
  await ctx.close();
});
