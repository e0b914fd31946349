// The exam editor as a recruiter uses it: a new question has no answer key
// until she picks one (the server's refusal shows beside the question), and
// publishing goes through a summary she confirms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { api, type Credentials, guarded, lettered, shot, signIn, signup, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

const VIEWPORT = { width: 1366, height: 900 };

const loginTo = (page: Page, who: Credentials, path: string) => signIn(page, who, { next: path });

type Admin = Awaited<ReturnType<typeof signup>>;

async function addQuestion(page: Page, section: number, type: string) {
  const sec = page.locator(`#f-sections-${section}`);
  await sec.getByLabel('Question type').last().selectOption(type);
  await sec.getByRole('button', { name: '+ Add question' }).click();
}

test('a new question has no answer key until the recruiter picks one', async () => {
  const admin = await signup('nokey');
  const { ctx, page } = await watchedPage(browser, 'nokey', { viewport: VIEWPORT });
  await guarded('nokey', () => [page], async () => {
    await loginTo(page, admin, '/exams/new');
    await page.locator('#f-title').fill('No invented keys');
    // The title counts its characters against the server's limit, and the
    // count is part of the field's description.
    assert.equal((await page.locator('#f-title-count').textContent())?.trim(), '16 / 200');
    assert.match((await page.locator('#f-title').getAttribute('aria-describedby')) ?? '', /f-title-count/);
    await page.locator('#f-sections-0-title').fill('一、基础');
    assert.equal((await page.locator('#f-sections-0-title-count').textContent())?.trim(), '4 / 200');
    await addQuestion(page, 0, 'true_false');
    await addQuestion(page, 0, 'single_choice');
    await addQuestion(page, 0, 'multiple_choice');

    const tf = page.locator('#f-sections-0-questions-0');
    const sc = page.locator('#f-sections-0-questions-1');
    const mc = page.locator('#f-sections-0-questions-2');
    // Nothing is chosen for her.
    assert.equal(await tf.getByLabel('True').isChecked(), false);
    assert.equal(await tf.getByLabel('False').isChecked(), false);
    assert.equal(await sc.getByRole('radio').count(), 2);
    for (const r of await sc.getByRole('radio').all()) assert.equal(await r.isChecked(), false);
    for (const c of await mc.getByRole('checkbox', { name: 'Correct' }).all()) assert.equal(await c.isChecked(), false);

    await page.locator('#f-sections-0-questions-0-prompt').fill('疏散楼梯的照明灯下班后可以关闭。');
    await page.locator('#f-sections-0-questions-1-prompt').fill('员工上班途中的交通事故是否属于工伤？');
    await sc.getByLabel('Option 1', { exact: true }).fill('是');
    await sc.getByLabel('Option 2', { exact: true }).fill('不是');
    await page.locator('#f-sections-0-questions-2-prompt').fill('“5A”包括哪些？');
    await mc.getByLabel('Option 1', { exact: true }).fill('办公自动化');
    await mc.getByLabel('Option 2', { exact: true }).fill('通讯自动化');
    await mc.getByLabel('Option 3', { exact: true }).fill('楼宇自动化');

    // Saving: the server refuses the missing keys, shown beside each question.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.locator('#f-sections-0-questions-0-answer-err').waitFor();
    await page.locator('#f-sections-0-questions-1-answer-err').waitFor();
    await page.locator('#f-sections-0-questions-2-answers-err').waitFor();
    assert.equal(await page.getByText('Draft saved.').count(), 0);
    // The summary names the places in people's words, not JSON paths.
    const listed = await page.locator('.error-summary li').allTextContents();
    assert.ok(listed.some((x) => x.startsWith('Question 1 correct answer: ')), listed.join(' | '));
    assert.ok(listed.some((x) => x.startsWith('Question 3 correct options: ')), listed.join(' | '));
    assert.ok(!listed.some((x) => x.includes('sections[')), listed.join(' | '));
    // The outline marks the questions that have problems.
    assert.equal(await page.locator('.editor-outline li.outline-bad').count(), 3);
    // The draft was not quietly "fixed".
    assert.equal(await tf.getByLabel('True').isChecked(), false);
    assert.equal(await tf.getByLabel('False').isChecked(), false);
    for (const r of await sc.getByRole('radio').all()) assert.equal(await r.isChecked(), false);
    await shot(page, 'editor-no-key', false);
    assert.match(page.url(), /\/exams\/new$/, 'nothing was created');

    // Once she picks the keys, it saves with exactly those.
    await tf.getByLabel('False').check();
    await sc.getByRole('radio').nth(1).check();
    await mc.getByRole('checkbox', { name: 'Correct' }).nth(2).check();
    // Explanations for the candidates, shown after they submit.
    const showExpl = page.getByLabel('Show explanations after submitting');
    assert.equal(await showExpl.isChecked(), false);
    await showExpl.check();
    const TF_EXPL = '疏散照明须保持常亮，断电时也要能自动点亮。';
    const MC_EXPL = '5A 指办公、通讯、楼宇、消防、安保自动化。\n第二行。';
    await tf.getByLabel('Explanation (optional)').fill(TF_EXPL);
    await mc.getByLabel('Explanation (optional)').fill(MC_EXPL);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.waitForURL(/\/exams\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const saved = await api<{ show_explanations?: boolean; sections: { questions: { answer?: unknown; answers?: string[]; explanation?: string }[] }[] }>(
      'GET',
      `/exams/${id}`,
      undefined,
      admin.token,
    );
    const qs = saved.sections[0].questions;
    assert.equal(qs[0].answer, false);
    assert.equal(qs[1].answer, 'b');
    assert.deepEqual(qs[2].answers, ['c']);
    assert.equal(saved.show_explanations, true);
    assert.equal(qs[0].explanation, TF_EXPL);
    assert.equal(qs[1].explanation, undefined, 'an empty box saves no explanation');
    assert.equal(qs[2].explanation, MC_EXPL);

    // A fresh load shows what was kept.
    await page.reload();
    await page.locator('#f-sections-0-questions-0-prompt').waitFor();
    assert.equal(await page.getByLabel('Show explanations after submitting').isChecked(), true);
    assert.equal(await tf.getByLabel('Explanation (optional)').inputValue(), TF_EXPL);
    assert.equal(await sc.getByLabel('Explanation (optional)').inputValue(), '');
    assert.equal(await mc.getByLabel('Explanation (optional)').inputValue(), MC_EXPL);
    await shot(page, 'editor-explanations', false);
  });
  await ctx.close();
});

const TRACKED = {
  title: '客户服务主管面试题 · publish',
  time_limit_seconds: 1800,
  pass_score: 10,
  tracks: ['manager', 'supervisor'],
  sections: [
    {
      title: '一、判断',
      questions: [{ type: 'true_false', prompt: '为了节能，提倡下班后关闭疏散楼梯的照明灯。', answer: false, points: 1 }],
    },
    {
      title: '二、单项选择',
      questions: [
        {
          type: 'single_choice',
          prompt: '员工在上班的路上发生交通事故，是否属于工伤？',
          options: lettered('是', '不是'),
          answer: 'a',
          points: 2,
          tracks: ['supervisor'],
        },
      ],
    },
    {
      title: '三、论述',
      questions: [
        {
          type: 'essay',
          prompt: '做为写字楼客务经理，应重点做好哪些方面的工作？',
          points: 20,
          tracks: ['manager'],
          rubric: [
            { criterion: '客户关系', points: 5 },
            { criterion: '团队管理', points: 5 },
          ],
        },
      ],
    },
  ],
};

/**
 * A test on a TRACKED draft: a new admin (signed up as name) creates it, and
 * body runs, guarded, on a page of its own that is watched under name and
 * not signed in yet; the page's context is closed after.
 */
async function onTrackedDraft(
  name: string,
  context: BrowserContextOptions,
  body: (s: { admin: Admin; exam: { id: string }; page: Page }) => Promise<void>,
) {
  const admin = await signup(name);
  const exam = await api<{ id: string }>('POST', '/exams', TRACKED, admin.token);
  const { ctx, page } = await watchedPage(browser, name, { viewport: VIEWPORT, ...context });
  await guarded(name, () => [page], () => body({ admin, exam, page }));
  await ctx.close();
}

test('publishing shows a summary to confirm; cancel publishes nothing; a pass mark nobody can reach is refused', () =>
  onTrackedDraft('publish', {}, async ({ admin, exam, page }) => {
    const latest = async () =>
      (await api<{ latest_version?: number }>('GET', `/exams/${exam.id}`, undefined, admin.token)).latest_version ?? 0;
    await loginTo(page, admin, `/exams/${exam.id}`);
    await page.locator('#f-sections-2-questions-0-rubric-1-criterion').waitFor();

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this exam?' });
    await dialog.waitFor();
    // The summary: by type, by track with each maximum, the pass mark.
    assert.equal(await dialog.getByTestId('publish-total').textContent(), '3');
    assert.equal(await dialog.locator('tr[data-type="true_false"] td').textContent(), '1');
    assert.equal(await dialog.locator('tr[data-type="single_choice"] td').textContent(), '1');
    assert.equal(await dialog.locator('tr[data-type="essay"] td').textContent(), '1');
    assert.deepEqual(await dialog.locator('tr[data-track="manager"] td').allTextContents(), ['2', '21']);
    assert.deepEqual(await dialog.locator('tr[data-track="supervisor"] td').allTextContents(), ['2', '3']);
    assert.equal(await dialog.getByTestId('publish-pass').textContent(), '10');
    // Warnings to accept: the supervisor track cannot pass; the rubric is short.
    const warnings = await dialog.getByTestId('publish-warnings').locator('li').allTextContents();
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /pass mark 10 is above the maximum score of supervisor \(3\)/);
    assert.match(warnings[1], /Question 3: the rubric adds up to 10 of the question’s 20 points/);
    const confirm = dialog.getByRole('button', { name: 'Publish version 1' });
    assert.equal(await confirm.isDisabled(), true, 'confirm waits for the warnings to be accepted');
    await shot(page, 'editor-publish-summary', false);

    // Cancel publishes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await latest(), 0);

    // Confirm publishes.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    assert.equal(await confirm.isDisabled(), true, 'a fresh dialog asks again');
    await dialog.getByLabel('I have read the warnings and want to publish anyway.').check();
    await confirm.click();
    await page.getByText('Published as version 1.').waitFor();
    assert.equal(await latest(), 1);

    // In Chinese: a pass mark above every track's maximum blocks publishing.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.locator('#f-pass_score').fill('99');
    await page.getByRole('button', { name: '发布', exact: true }).click();
    const zh = page.getByRole('dialog', { name: '发布这份试卷？' });
    await zh.waitFor();
    const problems = await zh.getByTestId('publish-problems').locator('li').allTextContents();
    assert.deepEqual(problems, ['及格分 99 高于所有岗位的满分（最高 21 分）：没有人能及格。']);
    assert.equal(await zh.getByRole('button', { name: '发布第 2 版' }).isDisabled(), true);
    assert.equal(await zh.getByRole('checkbox').count(), 0, 'a problem cannot be accepted away');
    await shot(page, 'editor-publish-blocked-zh', false);
    await zh.getByRole('button', { name: '取消' }).click();
    assert.equal(await latest(), 1, 'nothing more was published');
  }));

test('tracks are shown by the labels the recruiter gives; the status badge follows publishing', () =>
  onTrackedDraft('labels', { locale: 'zh-CN' }, async ({ admin, exam, page }) => {
    await page.goto(`/login?next=${encodeURIComponent(`/exams/${exam.id}`)}`);
    await page.getByLabel('邮箱').fill(admin.email);
    await page.getByLabel('密码').fill(admin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`**/exams/${exam.id}`);
    await page.getByLabel('“manager”的显示名称').fill('经理');
    await page.getByLabel('“supervisor”的显示名称').fill('主管');
    // Shown by label at once: the question's track choices and the maxima.
    const sc = page.locator('#f-sections-1-questions-0');
    assert.equal(await sc.getByLabel('主管').isChecked(), true);
    assert.equal(await sc.getByLabel('经理').isChecked(), false);
    assert.match((await page.locator('.page-head .muted').textContent()) ?? '', /经理 21 \/ 主管 3/);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('草稿已保存。').waitFor();
    const saved = await api<{ track_labels?: Record<string, string> }>('GET', `/exams/${exam.id}`, undefined, admin.token);
    assert.deepEqual(saved.track_labels, { manager: '经理', supervisor: '主管' });

    // The publish summary names tracks by label; after publishing the badge says so.
    assert.equal(await page.locator('.page-head .badge').textContent(), '草稿');
    await page.getByRole('button', { name: '发布', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '发布这份试卷？' });
    assert.equal(await dialog.locator('tr[data-track="manager"] th').textContent(), '经理');
    assert.match((await dialog.getByTestId('publish-warnings').locator('li').first().textContent()) ?? '', /主管 \(3\)/);
    await dialog.getByLabel('我已了解以上提醒，仍要发布。').check();
    await dialog.getByRole('button', { name: '发布第 1 版' }).click();
    await page.getByText('已发布为第 1 版。').waitFor();
    assert.equal(await page.locator('.page-head .badge').textContent(), '已发布');
    await shot(page, 'editor-labels-zh', false);
  }));

test('leaving with unsaved changes asks first; duplicating makes a new draft copy', () =>
  onTrackedDraft('leave', {}, async ({ admin, exam, page }) => {
    await loginTo(page, admin, '/exams');
    await page.getByRole('link', { name: TRACKED.title }).click();
    await page.waitForURL(`**/exams/${exam.id}`);
    await page.locator('#f-title').fill('改过的标题');

    // An in-app link: refused once (stays, keeps the edit), then accepted.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exams' }).click();
    assert.deepEqual(asked, ['You have unsaved changes. Leave this page and lose them?']);
    assert.match(page.url(), new RegExp(`/exams/${exam.id}$`));
    assert.equal(await page.locator('#f-title').inputValue(), '改过的标题');

    // Back is held as well.
    const backAsked = page.waitForEvent('dialog').then((d) => {
      asked.push(d.type());
      return d.dismiss();
    });
    await page.goBack({ waitUntil: 'commit', timeout: 3000 }).catch(() => {});
    await backAsked;
    await page.waitForFunction((id) => location.pathname.endsWith(id), exam.id);
    assert.equal(asked[1], 'confirm');
    assert.match(page.url(), new RegExp(`/exams/${exam.id}$`));
    assert.equal(await page.locator('#f-title').inputValue(), '改过的标题');

    // Reloading or closing: the browser's own prompt.
    const prevented = await page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    });
    assert.equal(prevented, true, 'beforeunload is held while there are unsaved changes');

    // Saved: leaving asks nothing.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    const clean = await page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    });
    assert.equal(clean, false);

    // Duplicate: a new draft "… (copy)" with the same questions, opened in the editor.
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.waitForURL((u) => /\/exams\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(exam.id));
    // The URL changes before the copy has loaded into the editor: wait for its title.
    await page.waitForFunction(() => (document.querySelector('#f-title') as HTMLInputElement | null)?.value === '改过的标题 (copy)');
    assert.equal(await page.locator('#f-title').inputValue(), '改过的标题 (copy)');
    const copyId = page.url().split('/').pop()!;
    const copy = await api<{ status: string; latest_version: number; sections: { id: string; questions: { id: string }[] }[] }>(
      'GET',
      `/exams/${copyId}`,
      undefined,
      admin.token,
    );
    const orig = await api<{ sections: { id: string; questions: { id: string }[] }[] }>('GET', `/exams/${exam.id}`, undefined, admin.token);
    assert.equal(copy.status, 'draft');
    assert.equal(copy.latest_version, 0);
    assert.equal(copy.sections.flatMap((x) => x.questions).length, 3);
    assert.notEqual(copy.sections[0].id, orig.sections[0].id);
    // Leaving a clean editor asks nothing.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exams' }).click();
    await page.waitForURL('**/exams');
    assert.equal(asked.length, 2, asked.join(','));
  }));

test('an outline of sections and questions to jump to; sections fold', () =>
  onTrackedDraft('outline', {}, async ({ admin, exam, page }) => {
    await loginTo(page, admin, `/exams/${exam.id}`);
    const outline = page.getByRole('navigation', { name: 'Outline' });
    await outline.waitFor();
    assert.deepEqual(await outline.locator('.outline-sections > li > a').allTextContents(), [
      'Section 1 · 一、判断',
      'Section 2 · 二、单项选择',
      'Section 3 · 三、论述',
    ]);
    assert.equal(await outline.locator('.outline-questions a').count(), 3);
    assert.match((await outline.locator('.outline-questions a').nth(2).textContent()) ?? '', /^Question 3 · 做为写字楼客务经理/);

    // Fold everything: the page gets much shorter and the questions are gone.
    const tall = await page.evaluate(() => document.documentElement.scrollHeight);
    await outline.getByRole('button', { name: 'Fold all', exact: true }).click();
    assert.equal(await page.locator('#f-sections-2-questions-0-prompt').count(), 0);
    const short = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(short < tall * 0.6, `folded page ${short}px vs ${tall}px`);
    const toggle = page.getByRole('button', { name: 'Unfold section 3' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await shot(page, 'editor-outline-folded', false);

    // Jumping to a question in a folded section unfolds it and moves focus there.
    await outline.locator('.outline-questions a').nth(2).click();
    await page.locator('#f-sections-2-questions-0-prompt').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-sections-2-questions-0');
    assert.equal(await page.locator('#f-sections-0-questions-0-prompt').count(), 0, 'the other sections stay folded');
    await page.getByRole('button', { name: 'Fold section 3', exact: true }).click();
    assert.equal(await page.locator('#f-sections-2-questions-0-prompt').count(), 0);
    // Folding is not an edit.
    assert.equal(await page.getByText('Unsaved changes').count(), 0);

    // In Chinese.
    await page.getByLabel('Language').selectOption('zh-CN');
    const zh = page.getByRole('navigation', { name: '目录' });
    await zh.getByRole('button', { name: '全部展开' }).click();
    await page.locator('#f-sections-0-questions-0-prompt').waitFor();
    assert.equal(await page.getByRole('button', { name: '收起第 1 部分' }).getAttribute('aria-expanded'), 'true');
    await shot(page, 'editor-outline-zh', false);
  }));

test('preview the draft as a candidate of a chosen track, without creating an attempt', () =>
  onTrackedDraft('preview', {}, async ({ admin, exam, page }) => {
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) sent.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await loginTo(page, admin, `/exams/${exam.id}`);
    await page.locator('#f-sections-0-questions-0-prompt').fill('下班后可以关闭疏散楼梯的照明灯。');
    sent.length = 0;

    await page.getByRole('button', { name: 'Preview as a candidate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Preview: what a candidate sees' });
    const view = dialog.getByTestId('preview');
    await view.waitFor();
    // The manager track: the true/false (with the unsaved wording) and the essay.
    assert.deepEqual(await view.locator('.q-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-qtype'))), ['true_false', 'essay']);
    assert.equal(await view.getByText('下班后可以关闭疏散楼梯的照明灯。').count(), 1);
    assert.equal(await view.locator('textarea').isDisabled(), true);
    assert.match((await view.textContent()) ?? '', /30 minutes · 2 question\(s\) · max score 21/);
    // Nothing of the key or rubric shows.
    assert.equal(await view.getByText('客户关系').count(), 0);

    // The supervisor track: the single choice instead of the essay, nothing chosen, read-only.
    await dialog.getByLabel('Track').selectOption('supervisor');
    assert.deepEqual(await view.locator('.q-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-qtype'))), ['true_false', 'single_choice']);
    const radios = view.locator('[data-qtype="single_choice"] input[type="radio"]');
    assert.equal(await radios.count(), 2);
    for (const r of await radios.all()) {
      assert.equal(await r.isChecked(), false);
      assert.equal(await r.isDisabled(), true);
    }
    await shot(page, 'editor-preview', false);
    await dialog.getByRole('button', { name: 'Close preview' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(sent, [], 'the preview asks the server nothing');
    // The edit is still there, unsaved.
    await page.getByText('Unsaved changes').waitFor();

    // In Chinese.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('button', { name: '以考生身份预览' }).click();
    const zh = page.getByRole('dialog', { name: '预览：考生看到的试卷' });
    assert.match((await zh.getByTestId('preview').textContent()) ?? '', /30 分钟 · 共 2 题 · 满分 21/);
    await zh.getByRole('button', { name: '关闭预览' }).click();
  }));
