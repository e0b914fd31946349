// Accessibility checks with axe-core (the npm package), injected into the
// page under test. Reusable by any browser test:
//   await expectNoSeriousA11y(page, 'editor, zh-CN');

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Puts axe into the page once, by evaluation: examd's CSP refuses inline
 * script, so a script tag would only be blocked and leave a CSP error in
 * the console that looks like the app's own.
 */
async function inject(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in window)) return;
  await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
}

/** Runs axe on the page as it is now and returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await inject(page);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with a readable list when axe finds a serious or critical violation. */
export async function expectNoSeriousA11y(page: Page, what: string): Promise<void> {
  const found = await seriousViolations(page);
  const text = found
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
  assert.equal(found.length, 0, `axe on ${what}:\n${text}`);
}
