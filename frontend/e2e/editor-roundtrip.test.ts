// The editor keeps what it does not change: a document with tracks,
// per-question tracks, two-blank fill-ins, custom multiple-choice scoring and
// a rubric, opened and saved in the editor, is the same document afterwards.
// Also: a refused access token is refreshed once and the page carries on; a
// rule broken at time_limit_seconds shows beside the minutes field,
// and the editor reads in Chinese.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, guarded, lettered, shot, signIn, signup, unique, useBrowser, watchedPage } from './helpers';

const browser = useBrowser();

const DOC = {
  title: '客户服务经理面试题 · round trip',
  description: '写字楼客户服务经理、主管岗位',
  time_limit_seconds: 5400,
  grace_seconds: 45,
  pass_score: 20.5, // reachable: the manager track's maximum is 24.5 (publish refuses more)
  tracks: ['manager', 'supervisor'],
  shuffle_questions: true,
  shuffle_options: false,
  show_score_to_candidate: true,
  sections: [
    {
      title: '一、填空',
      instructions: '5分,每空1分',
      questions: [
        {
          type: 'fill_in',
          prompt: '当你遇到上司和客人在一起时应先向{{1}}致意，再向{{2}}致意。',
          blanks: [
            { accepted: ['客人', '顾客'], points: 1 },
            { accepted: ['上司'], points: 0.5, case_sensitive: true },
          ],
        },
      ],
    },
    {
      title: '二、判断',
      questions: [
        { type: 'true_false', prompt: '为了节能,提倡下班后关闭疏散楼梯的照明灯。', answer: false, points: 1, tracks: ['supervisor'] },
      ],
    },
    {
      title: '三、单项选择',
      questions: [
        {
          type: 'single_choice',
          prompt: '员工在上班的路上发生交通事故,是否属于工伤。',
          options: lettered('是', '不是'),
          answer: 'a',
          points: 1,
        },
      ],
    },
    {
      title: '四、多项选择',
      instructions: '每选对一项得1分,选错一项减1分',
      questions: [
        {
          type: 'multiple_choice',
          prompt: '智能化写字楼所说的“5A”是指',
          options: lettered('办公智能化', '通讯智能化', '楼宇自动化'),
          answers: ['a', 'c'],
          scoring: { per_correct: 1, per_wrong: 0.5, floor: 0 },
        },
      ],
    },
    {
      title: '六、论述',
      questions: [
        {
          type: 'essay',
          prompt: '做为写字楼客务经理,应重点做好哪些方面的工作?',
          points: 20,
          tracks: ['manager'],
          reference_answer: '客户关系、投诉处理、团队培训。',
          rubric: [
            { criterion: '客户关系', points: 5 },
            { criterion: '团队管理', points: 5 },
          ],
        },
      ],
    },
  ],
};

/** The document part of GET /exams/{id}, for comparison. */
function docOf(e: Record<string, unknown>) {
  const { id: _id, status: _s, latest_version: _v, created_at: _c, updated_at: _u, ...doc } = e;
  return doc;
}

test('an exam with every feature survives the editor unchanged', async () => {
  const admin = await signup('roundtrip');
  const created = await api<Record<string, unknown> & { id: string }>('POST', '/exams', DOC, admin.token);
  const before = docOf(created);

  const { ctx, page } = await watchedPage(browser, 'roundtrip');
  await guarded('roundtrip', () => [page], async () => {
    await signIn(page, admin, { next: `/exams/${created.id}` });
    await page.locator('#f-sections-4-questions-0-rubric-1-criterion').waitFor();

    // An access token the server refuses: the app refreshes once and carries on.
    const refreshBefore = await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('examd.staff') ?? '{}');
      const rt = s.refresh_token;
      s.access_token = 'expired.or.forged';
      localStorage.setItem('examd.staff', JSON.stringify(s));
      return rt as string;
    });
    await page.reload();
    await page.locator('#f-sections-4-questions-0-rubric-1-criterion').waitFor();
    const refreshAfter = await page.evaluate(() => JSON.parse(localStorage.getItem('examd.staff') ?? '{}').refresh_token);
    assert.ok(refreshAfter && refreshAfter !== refreshBefore, 'the refresh token rotated');

    // What the form shows.
    assert.equal(await page.locator('#f-time_limit').inputValue(), '90');
    assert.equal(await page.locator('#f-tracks').inputValue(), 'manager, supervisor');
    assert.equal(await page.locator('#f-sections-0-questions-0-blanks-0-accepted').inputValue(), '客人\n顾客');
    assert.equal(await page.locator('#f-sections-0-questions-0-blanks-1-case_sensitive').isChecked(), true);
    const tf = page.locator('#f-sections-1-questions-0');
    assert.equal(await tf.getByLabel('supervisor').isChecked(), true);
    assert.equal(await tf.getByLabel('manager').isChecked(), false);
    assert.equal(await tf.getByLabel('False').isChecked(), true);
    assert.equal(await page.locator('#f-sections-3-questions-0-scoring-per_wrong').inputValue(), '0.5');

    // Saved untouched: the same document comes back.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    const after1 = docOf(await api<Record<string, unknown>>('GET', `/exams/${created.id}`, undefined, admin.token));
    assert.deepEqual(after1, before);

    // A broken rule at time_limit_seconds is shown beside the minutes field.
    await page.locator('#f-time_limit').fill('0');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.locator('#f-time_limit-err').waitFor();
    assert.equal(await page.locator('#f-time_limit').getAttribute('aria-invalid'), 'true');
    await page.locator('#f-time_limit').fill('90');

    // Keyboard: the error summary's link moves focus to the field.
    await page.locator('.error-summary a').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-time_limit');

    // In Chinese.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('草稿已保存。').waitFor();
    await shot(page, '15-editor-zh', false);

    // Publish and invite with a track.
    await page.getByRole('button', { name: '发布' }).click();
    const dialog = page.getByRole('dialog', { name: '发布这份试卷？' });
    await dialog.getByLabel('我已了解以上提醒，仍要发布。').check();
    await dialog.getByRole('button', { name: '发布第 1 版' }).click();
    await page.getByText('已发布为第 1 版。').waitFor();
    await page.getByRole('link', { name: '邀请考生' }).click();
    await page.locator('#f-candidate_name').fill('李经理');
    await page.locator('#f-candidate_email').fill(`${unique('li')}@example.com`);
    await page.locator('#f-track').selectOption('manager');
    await page.getByRole('button', { name: '创建邀请' }).click();
    await page.getByTestId('invite-link').waitFor();
    const inv = await api<{ items: { track: string; candidate_name: string }[] }>(
      'GET',
      `/exams/${created.id}/invitations`,
      undefined,
      admin.token,
    );
    assert.equal(inv.items.find((i) => i.candidate_name === '李经理')?.track, 'manager');
  });
  await ctx.close();
});
