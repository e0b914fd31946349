// Autosave through a lost connection: the indicator says "offline —
// retrying", the newest answer is saved once the network is back, and a
// reload shows it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { api, guarded, launch, newContext, shot, signup, unique, watchConsole } from './helpers';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('answers typed offline are saved when the connection returns', async () => {
  const admin = await signup('offline');
  const exam = await api<{ id: string }>(
    'POST',
    '/exams',
    {
      title: 'Offline',
      time_limit_seconds: 600,
      sections: [
        {
          title: 'S',
          questions: [
            { type: 'single_choice', prompt: 'Pick one', options: [{ key: 'a', text: 'Alpha' }, { key: 'b', text: 'Beta' }], answer: 'b', points: 1 },
            { type: 'essay', prompt: 'Write', points: 5 },
          ],
        },
      ],
    },
    admin.token,
  );
  await api('POST', `/exams/${exam.id}/publish`, undefined, admin.token);
  const inv = await api<{ link: string }>(
    'POST',
    `/exams/${exam.id}/invitations`,
    { candidate_name: 'Olga Offline', candidate_email: `${unique('olga')}@example.com` },
    admin.token,
  );

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  watchConsole(page, 'offline');
  await guarded('offline', () => [page], async () => {
    await page.goto(new URL(inv.link).pathname);
    await page.getByRole('button', { name: 'Start the exam' }).click();
    await page.locator('[data-qtype=single_choice] label.q-option', { hasText: 'Alpha' }).click();
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor();

    await ctx.setOffline(true);
    await page.locator('[data-qtype=single_choice] label.q-option', { hasText: 'Beta' }).click();
    await page.locator('[data-qtype=essay] textarea').fill('written without a network');
    await page.locator('[data-testid=save-state][data-state=offline]').waitFor({ timeout: 10_000 });
    assert.match((await page.getByTestId('save-state').textContent()) ?? '', /retrying/);
    await shot(page, '16-offline-retrying', false);

    await ctx.setOffline(false);
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor({ timeout: 20_000 });

    await page.reload();
    await page.locator('[data-qtype=essay] textarea').waitFor();
    assert.equal(await page.locator('[data-qtype=single_choice] input[value=b]').isChecked(), true);
    assert.equal(await page.locator('[data-qtype=essay] textarea').inputValue(), 'written without a network');
  });
  await ctx.close();
});
