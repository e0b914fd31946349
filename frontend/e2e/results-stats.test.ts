// The results page of an exam with a dozen graded attempts, made through
// the candidate API: the score histogram with its pass mark and the
// facility × discrimination scatter drawn by ECharts, the question table
// with the wrongly keyed question flagged first and linked to the key's dry
// run, the track switch, sorting the candidates, and the printable candidate
// report (sections and tags against the cohort, integrity events, A4).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api, guarded, lettered, publishedExam, shot, signup, staffPage, startAttempt, until, useBrowser } from './helpers';

const browser = useBrowser();

const P = {
  tf: 'The fire control room is staffed day and night.',
  // Keyed a, but b is right: the strongest candidates choose b.
  sc: 'A tenant complains about noise: what comes first?',
  mc: 'Which belong in a tenant file?',
  fill: 'The fire control room is staffed {{1}} hours a day.',
  mgr: 'A supervisor may sign a contractor’s overtime alone.',
};

const exam = {
  title: '客服主管笔试 Results',
  time_limit_seconds: 1800,
  pass_score: 6,
  tracks: ['manager', 'supervisor'],
  sections: [
    {
      title: '服务意识',
      questions: [
        { type: 'true_false', prompt: P.tf, answer: true, points: 1, tags: ['安全管理'] },
        {
          type: 'single_choice',
          prompt: P.sc,
          options: lettered('Write to the landlord', 'Listen and log it', 'Call security'),
          answer: 'a',
          points: 2,
          tags: ['投诉处理'],
        },
        {
          type: 'multiple_choice',
          prompt: P.mc,
          options: lettered('Contacts', 'Lease dates', 'Bank PIN'),
          answers: ['a', 'b'],
          tags: ['投诉处理'],
        },
      ],
    },
    {
      title: 'Team',
      questions: [
        { type: 'fill_in', prompt: P.fill, blanks: [{ accepted: ['24'], points: 1 }], tags: ['安全管理'] },
        { type: 'true_false', prompt: P.mgr, answer: false, points: 2, tracks: ['manager'], tags: ['团队管理'] },
      ],
    },
  ],
};

/** Candidate i of 12 (0 weakest): better answers as i grows, except that the key of P.sc rewards the weak. */
function responses(i: number): Record<string, unknown> {
  return {
    [P.tf]: { value: i >= 3 },
    [P.sc]: { choice: i >= 5 ? 'b' : 'a' },
    [P.mc]: { choices: i >= 8 ? ['a', 'b'] : i >= 4 ? ['a'] : ['c'] },
    [P.fill]: { blanks: [i >= 6 ? '24' : '12'] },
    [P.mgr]: { value: i < 4 },
  };
}

const N = 12;

async function takeAll(token: string, examId: string): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < N; i++) {
    const name = `候选人 ${String(i + 1).padStart(2, '0')}`;
    names.push(name);
    const inv = await api<{ token: string }>(
      'POST',
      `/exams/${examId}/invitations`,
      { candidate_name: name, candidate_email: `c${i}-${examId.slice(0, 8)}@example.com`, track: i % 2 ? 'supervisor' : 'manager' },
      token,
    );
    const attempt = await startAttempt(inv.token);
    const want = responses(i);
    for (const q of attempt.questions) await attempt.answer(q.id, want[q.prompt]);
    // Every candidate leaves the page once, so whichever attempt tops the
    // list has an absence for its report to show.
    await api('POST', '/candidate/attempt/events', { type: 'blur', at: new Date(Date.now() - 5000).toISOString() }, attempt.token);
    await api('POST', '/candidate/attempt/events', { type: 'focus', at: new Date().toISOString() }, attempt.token);
    await attempt.submit();
  }
  return names;
}

const svgTexts = (page: Page, testId: string) =>
  page.getByTestId(testId).locator('svg text').allTextContents();

test('results: charts, flagged questions, track switch, sorting and the printable candidate report', async () => {
  const admin = await signup('stats');
  const examId = await publishedExam(admin.token, exam);
  await takeAll(admin.token, examId);
  const res = await api<{ items: { status: string }[] }>('GET', `/exams/${examId}/results`, undefined, admin.token);
  assert.equal(res.items.filter((r) => r.status === 'graded').length, N, 'every attempt graded on submit');

  const pages: Page[] = [];
  await guarded('results-stats', () => pages, async () => {
    const page = await staffPage(browser, admin, { next: `/exams/${examId}/results` });
    pages.push(page);

    // The summary and both charts, drawn as SVG in the page.
    await page.getByTestId('stats-summary').getByText(`${N} graded attempts`).waitFor();
    await page.getByTestId('chart-histogram').locator('svg').waitFor();
    await page.getByTestId('chart-scatter').locator('svg').waitFor();
    const hist = await svgTexts(page, 'chart-histogram');
    assert.ok(hist.includes('Pass mark'), `the histogram draws the pass mark: ${hist.join(' | ')}`);
    assert.equal(hist.filter((x) => /^\d+(\.\d)?–\d+(\.\d)?$/.test(x)).length, 10, `ten bins on the axis: ${hist.join(' | ')}`);
    // Series shapes are the SVG paths filled with the palette's first colour (ECharts 6: #5070dd).
    const filled = (id: string) =>
      page.getByTestId(id).locator('svg path').evaluateAll((ps) => ps.filter((p) => /^#5070dd$/i.test(p.getAttribute('fill') ?? '')).length);
    const bars = await filled('chart-histogram');
    assert.equal(bars, 10, `one bar a bin: ${bars}`);
    const dots = await filled('chart-scatter');
    assert.ok(dots >= 4, `one scatter point a question with a discrimination: ${dots}`);

    // The question table: the wrongly keyed question first, flagged, with its link.
    const rows = page.getByTestId('stats-questions').locator('tbody tr');
    assert.equal(await rows.count(), 5);
    const first = rows.first();
    assert.match((await first.getAttribute('class')) ?? '', /flagged/);
    assert.match((await first.textContent()) ?? '', /A tenant complains about noise/);
    await first.getByText('Negative discrimination').waitFor();
    assert.match((await first.textContent()) ?? '', /a: 5 · b: 7 · c: 0/);
    await shot(page, 'h23-results');

    // The track switch: managers only (six attempts, the manager question too).
    await page.getByTestId('stats-track').selectOption('manager');
    await page.getByTestId('stats-summary').getByText('6 graded attempts').waitFor();
    assert.equal(await rows.count(), 5);
    await page.getByTestId('stats-track').selectOption('supervisor');
    await page.getByTestId('stats-summary').getByText('6 graded attempts').waitFor();
    await until(async () => (await rows.count()) === 4, 10_000, 'the supervisors’ four questions');
    await shot(page, 'h23-results-supervisor');
    await page.getByTestId('stats-track').selectOption('');
    await page.getByTestId('stats-summary').getByText(`${N} graded attempts`).waitFor();

    // Sorting the candidates by score, both ways, graded only.
    const scores = async () =>
      (await page.getByTestId('result-score').locator('strong').allTextContents()).map((x) => Number(x.trim()));
    await page.getByLabel('Status').selectOption('graded');
    await page.getByLabel('Sort by').selectOption('-score');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(async () => {
      const s = await scores();
      return s.length === N && s.every((v, i) => i === 0 || s[i - 1] >= v);
    }, 10_000, 'scores highest first');
    const high = await scores();
    await page.getByLabel('Sort by').selectOption('score');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(async () => {
      const s = await scores();
      return s.length === N && s.every((v, i) => i === 0 || s[i - 1] <= v) && s[0] === high[N - 1];
    }, 10_000, 'scores lowest first');

    // Sorting by a section's score, then a tag's: the select lists the
    // latest version's sections and tags both ways, and the column sorted
    // by appears beside the total, ordered across the whole list.
    const parts = async () =>
      (await page.getByTestId('result-part').locator('strong').allTextContents()).map((x) => Number(x.trim()));
    const ordered = (s: number[], desc: boolean) => s.every((v, i) => i === 0 || (desc ? s[i - 1] >= v : s[i - 1] <= v));
    // Chooses a sort by its label, applies it and waits until the column
    // holds N figures in that order that also pass check; returns them.
    const sortByPart = async (label: string, desc: boolean, check: (s: number[]) => boolean): Promise<number[]> => {
      await page.getByLabel('Sort by').selectOption({ label });
      await page.getByRole('button', { name: 'Apply' }).click();
      let got: number[] = [];
      await until(async () => {
        got = await parts();
        return got.length === N && ordered(got, desc) && check(got);
      }, 10_000, label);
      return got;
    };
    const bySection = await sortByPart('Section “服务意识”, highest first', true, (s) => s[0] > s[N - 1]);
    await page.getByRole('columnheader', { name: '服务意识' }).waitFor();
    // The figures are the API's, sorted by the server over every row.
    const sectionId = (await api<{ sections: { id: string; title: string }[] }>('GET', `/exams/${examId}`, undefined, admin.token)).sections[0].id;
    const api1 = await api<{ items: { sections: { section_id: string; points_awarded: number }[] }[] }>(
      'GET',
      `/exams/${examId}/results?status=graded&sort=-section:${sectionId}`,
      undefined,
      admin.token,
    );
    assert.deepEqual(bySection, api1.items.map((r) => r.sections.find((x) => x.section_id === sectionId)?.points_awarded));
    await sortByPart('Section “服务意识”, lowest first', false, (s) => s[0] === bySection[N - 1]);
    await sortByPart('Tag “投诉处理”, highest first', true, (s) => s[0] > s[N - 1]);
    await page.getByRole('columnheader', { name: 'Tag: 投诉处理' }).waitFor();
    await shot(page, 'h35-results-by-tag');

    // The flagged question's link opens its key amendment, whose dry run shows the effect.
    await rows.first().getByTestId('amend-link').click();
    await page.waitForURL(/\/versions\/1\?amend=/);
    await page.getByText('New answer key').waitFor();
    await page.getByLabel('b. Listen and log it').check();
    await page.getByRole('button', { name: 'Preview the effect' }).click();
    await page.getByText(/12 attempt\(s\) would be re-scored/).waitFor();
    await shot(page, 'h23-amend-dry-run');

    // The strongest candidate's attempt, then the printable report.
    await page.goto(`/exams/${examId}/results`);
    await page.getByLabel('Sort by').selectOption('-score');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(async () => {
      const s = await scores();
      return s.length === N && s[0] === Math.max(...s);
    }, 10_000, 'the list sorted again');
    const top = page.getByTestId('result-row').first();
    const topName = ((await top.locator('th').textContent()) ?? '').trim();
    await top.getByRole('link', { name: 'Details' }).click();
    await page.getByTestId('report-link').click();
    await page.waitForURL(/\/attempts\/[^/]+\/report$/);
    await page.getByTestId('report-name').getByText(topName).waitFor();
    // The report's figures are the API's.
    const id = page.url().split('/').slice(-2)[0];
    const detail = await api<{ score: number; max_score: number; track: string }>('GET', `/attempts/${id}`, undefined, admin.token);
    assert.match((await page.getByTestId('report-score').textContent()) ?? '', new RegExp(`${detail.score}\\s*/ ${detail.max_score}`));
    await page.getByTestId('report-pass').getByText(`6 / ${detail.max_score}`).waitFor();
    await page.getByTestId('report-cohort-mean').filter({ hasText: /\d/ }).waitFor();
    const sections = page.getByTestId('report-sections').locator('tbody tr');
    assert.equal(await sections.count(), 2);
    assert.match((await sections.first().textContent()) ?? '', /服务意识/);
    // Each row: the candidate's share and the cohort's, both percentages.
    assert.match((await sections.first().textContent()) ?? '', /\d+%.*\d+%/);
    const tags = page.getByTestId('report-tags').locator('tbody tr');
    assert.deepEqual(
      (await tags.locator('th').allTextContents()).map((x) => x.trim()),
      detail.track === 'manager' ? ['安全管理', '投诉处理', '团队管理'] : ['安全管理', '投诉处理'],
      'the tags of the candidate’s own questions',
    );
    await page.getByTestId('report-events').getByText(/Left the page for/).waitFor();
    await shot(page, 'h23-report');

    // Print: no navigation or buttons, and it fits on one or two A4 pages.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.topbar').isVisible(), false, 'the top bar is not printed');
    assert.equal(await page.getByTestId('print').isVisible(), false, 'the print button is not printed');
    await shot(page, 'h23-report-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pagesInPdf = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pagesInPdf >= 1 && pagesInPdf <= 2, `the report prints on ${pagesInPdf} A4 page(s)`);
    await page.context().close();
  });
});
