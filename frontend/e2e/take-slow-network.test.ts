// The candidate's page on a slow phone network (Chromium's emulation:
// 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency) on a 390×844 screen:
// the first question becomes answerable for a fresh and for a resumed
// attempt, its JavaScript comes compressed, and the page's bytes stay
// within a budget. The time it takes is a figure for make bench (printed
// here as a JSON line, and written to $SLOWNET_JSON when set), not
// asserted: timing belongs to the bench.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { guarded, launch, newContext, signup, unique, watchConsole } from './helpers';
import { candidateExam } from './take-helpers';

// The whole page (HTML, script, style, API answers) as sent, compressed.
const PAGE_BYTES_BUDGET = 200 * 1024;

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

interface Transfer {
  bytes: number;
  scripts: { url: string; encoding: string; bytes: number }[];
}

/** Emulates the slow network on the page and counts what crosses it. */
async function slowNetwork(page: Page): Promise<Transfer> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1000 * 1000) / 8,
    uploadThroughput: (750 * 1000) / 8,
  });
  const t: Transfer = { bytes: 0, scripts: [] };
  const kinds = new Map<string, { url: string; type: string; encoding: string }>();
  cdp.on('Network.responseReceived', (e) => {
    const enc = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding');
    kinds.set(e.requestId, { url: e.response.url, type: e.type, encoding: enc ? String(enc[1]) : '' });
  });
  cdp.on('Network.loadingFinished', (e) => {
    t.bytes += e.encodedDataLength;
    const k = kinds.get(e.requestId);
    if (k?.type === 'Script') t.scripts.push({ url: k.url, encoding: k.encoding, bytes: e.encodedDataLength });
  });
  return t;
}

test('slow phone network: first question answerable, fresh and resumed, assets compressed', async () => {
  const admin = await signup('slownet');
  const { link } = await candidateExam(admin.token, '慢网络', unique('lift'));
  const ctx = await newContext(browser, {
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await ctx.newPage();
  watchConsole(page, 'slownet');
  await guarded('slownet', () => [page], async () => {
    let transfer = await slowNetwork(page);
    let t0 = Date.now();
    await page.goto(new URL(link).pathname);
    await page.getByRole('button', { name: '开始考试' }).click();
    const option = page.locator('[data-qtype=true_false] label.q-option', { hasText: '正确' });
    await option.waitFor();
    const fresh = { ms: Date.now() - t0, bytes: transfer.bytes };
    await option.tap();
    await page.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]').waitFor();

    assert.ok(transfer.scripts.length > 0, 'no script was loaded');
    for (const s of transfer.scripts) {
      assert.match(s.encoding, /^(br|gzip)$/, `${s.url} came uncompressed`);
    }
    assert.ok(transfer.bytes < PAGE_BYTES_BUDGET, `fresh page transferred ${transfer.bytes} B, budget ${PAGE_BYTES_BUDGET}`);

    // Resumed: a new tab on the same link, nothing cached, shows the save.
    await page.close();
    const again = await ctx.newPage();
    transfer = await slowNetwork(again);
    await again.route('**/*', (r) => r.continue()); // no memory cache shortcut
    t0 = Date.now();
    await again.goto(new URL(link).pathname);
    const start = again.getByRole('button', { name: /开始考试|继续/ });
    const saved = again.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]');
    await Promise.race([saved.waitFor(), start.waitFor().then(() => start.click())]);
    await saved.waitFor();
    const resumed = { ms: Date.now() - t0, bytes: transfer.bytes };
    await again.locator('[data-qtype=true_false] label.q-option', { hasText: '错误' }).tap();
    await again.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]').waitFor();
    assert.ok(transfer.bytes < PAGE_BYTES_BUDGET, `resumed page transferred ${transfer.bytes} B, budget ${PAGE_BYTES_BUDGET}`);
    const line = JSON.stringify({ candidate_page_phone_network: { fresh, resumed } });
    console.log(line);
    // scripts/bench.sh runs this test against its own examd and folds the
    // figures into the report.
    if (process.env.SLOWNET_JSON) writeFileSync(process.env.SLOWNET_JSON, line + '\n');
  });
  await ctx.close();
});
