// The trial of issue 10 again, step by step, with screenshots under
// screenshots/trial/: a recruiter in zh-CN and English at 1366×900, a
// candidate on a 390×844 phone with a WeChat user agent, another on a
// desktop with the keyboard only, a reviewer, and the recruiter again on
// results. axe-core runs on every staff page in both languages (editor,
// invitations, review, results, attempt, version); its serious and critical
// violations are collected and fail the test at the end, after every
// screenshot is taken.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { api, guarded, launch, lettered, shot, SHOTS, signIn, signup, unique, until, watchedPage, WECHAT_PHONE } from './helpers';
import { seriousViolations } from './axe';

const LAPTOP = { width: 1366, height: 900 };

let browser: Browser;
before(async () => {
  browser = await launch();
  mkdirSync(`${SHOTS}trial`, { recursive: true });
});
after(async () => {
  await browser?.close();
});

const pages: Page[] = [];
const a11y: string[] = [];
let n = 0;
/** A numbered screenshot of the trial (the viewport, or the whole page). */
const step = (page: Page, name: string, full = false) => shot(page, `trial/${String(++n).padStart(2, '0')}-${name}`, full);
async function axe(page: Page, what: string) {
  for (const v of await seriousViolations(page)) {
    a11y.push(`${what}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((x) => x.target.join(' ')).join(' | ')}`);
  }
}
async function setLang(page: Page, lang: 'zh-CN' | 'en') {
  await page.evaluate((l) => localStorage.setItem('examd.lang', l), lang);
  await page.reload();
}

const EXAM = {
  title: '写字楼客户服务主管面试题',
  description: '请在 20 分钟内完成。',
  time_limit_seconds: 1200,
  pass_score: 6,
  show_explanations: true,
  tracks: ['manager', 'supervisor'],
  track_labels: { manager: '经理', supervisor: '主管' },
  sections: [
    {
      title: '一、判断与选择',
      questions: [
        { type: 'true_false', prompt: '为了节能，提倡下班后关闭疏散楼梯的照明灯。', answer: false, points: 1, explanation: '疏散照明必须常亮。' },
        {
          type: 'single_choice',
          prompt: '访客未预约要求进入办公区，前台应当：',
          options: lettered('直接放行', '联系被访人确认后登记放行', '拒绝并请其离开'),
          answer: 'b',
          points: 2,
        },
        { type: 'fill_in', prompt: '火警电话是 {{1}}。', blanks: [{ accepted: ['119'], points: 1 }] },
      ],
    },
    {
      title: '二、论述',
      questions: [
        {
          type: 'essay',
          prompt: '大堂突然漏水，作为当班主管你会怎么处理？',
          points: 6,
          rubric: [
            { criterion: '先保安全', points: 3 },
            { criterion: '通知与记录', points: 3 },
          ],
        },
      ],
    },
  ],
};

test('the trial again: recruiter, two candidates, a reviewer, results — with screenshots and axe', async () => {
  await guarded('trial', () => pages, async () => {
    const admin = await signup('trial');
    const exam = await api<{ id: string }>('POST', '/exams', EXAM, admin.token);

    // ---- the recruiter, in Chinese, on a laptop ----
    const { ctx: rec, page: staff } = await watchedPage(browser, 'recruiter', { locale: 'zh-CN', viewport: LAPTOP });
    pages.push(staff);
    await signIn(staff, admin, { landing: '/exams', lang: 'zh-CN', chooseLang: true });
    await staff.getByRole('link', { name: EXAM.title }).first().waitFor();
    await step(staff, 'recruiter-exam-list-zh');

    await staff.goto(`/exams/${exam.id}`);
    await staff.locator('#f-sections-1-questions-0-rubric-1-criterion').waitFor();
    await axe(staff, 'editor, zh-CN');
    await step(staff, 'recruiter-editor-zh');
    await staff.getByRole('button', { name: '发布', exact: true }).click();
    const publish = staff.getByRole('dialog', { name: '发布这份试卷？' });
    await publish.waitFor();
    await axe(staff, 'publish dialog, zh-CN');
    await step(staff, 'recruiter-publish-summary-zh');
    const accept = publish.getByLabel('我已了解以上提醒，仍要发布。');
    if (await accept.count()) await accept.check();
    await publish.getByRole('button', { name: '发布第 1 版' }).click();
    await staff.getByText('已发布为第 1 版。').waitFor();

    await staff.goto(`/exams/${exam.id}/invitations`);
    await staff.getByLabel('姓名', { exact: true }).fill('韦晓明');
    await staff.getByLabel('邮箱', { exact: true }).fill(`${unique('wei')}@example.com`);
    await staff.getByRole('button', { name: '创建邀请' }).click();
    const phoneLink = (await staff.getByTestId('invite-link').textContent())?.trim() ?? '';
    assert.match(phoneLink, /\/take\//);
    const box = staff.getByTestId('bulk-invite').getByLabel(/每行一位考生/);
    await box.fill(`姓名\t邮箱\t岗位\n王五\t${unique('wang')}@example.com\tmanager\n周杰\tzhoujie@example\tmanager`);
    await staff.getByTestId('bulk-problems').getByText(/第 3 行/).waitFor();
    await step(staff, 'recruiter-bulk-checked-zh');
    await staff.getByRole('button', { name: '邀请 1 人' }).click();
    await staff.getByTestId('bulk-outcome').waitFor();
    await staff.getByRole('cell', { name: '王五' }).waitFor();
    // Tracks go by the names the recruiter gave them, not their ids.
    assert.equal((await staff.getByTestId('invitation-row').filter({ hasText: '韦晓明' }).locator('td[data-label="岗位类别"]').textContent())?.trim(), '经理');
    assert.deepEqual(await staff.getByLabel('岗位类别', { exact: true }).locator('option').allTextContents(), ['经理', '主管']);
    await axe(staff, 'invitations, zh-CN');
    await step(staff, 'recruiter-invitations-zh', true);

    // ---- the same recruiter in English ----
    await setLang(staff, 'en');
    await staff.getByRole('heading', { name: 'Invitations' }).waitFor();
    await axe(staff, 'invitations, en');
    await step(staff, 'recruiter-invitations-en');
    await staff.goto(`/exams/${exam.id}`);
    await staff.locator('#f-sections-1-questions-0-rubric-1-criterion').waitFor();
    await axe(staff, 'editor, en');
    await step(staff, 'recruiter-editor-en');

    // ---- a candidate on a phone, in WeChat ----
    const { ctx: phone, page: cand } = await watchedPage(browser, 'phone', WECHAT_PHONE);
    pages.push(cand);
    await cand.goto(new URL(phoneLink).pathname);
    await cand.getByRole('button', { name: '开始考试' }).waitFor();
    await step(cand, 'phone-start');
    await cand.getByRole('button', { name: '开始考试' }).tap();
    await cand.getByTestId('timer').waitFor();
    await cand.locator('[data-qtype=true_false] label.q-option', { hasText: '错误' }).tap();
    await cand.locator('[data-qtype=single_choice] label.q-option', { hasText: '联系被访人' }).tap();
    await cand.locator('[data-qtype=fill_in] input').first().fill('119');
    await cand.locator('[data-qtype=true_false] [data-testid=q-mark][data-mark=saved]').waitFor();
    await step(cand, 'phone-answering');
    await cand.getByTestId('sheet-button').tap();
    await cand.getByTestId('answer-sheet').waitFor();
    await step(cand, 'phone-answer-sheet');
    await cand.getByTestId('answer-sheet').getByRole('link', { name: /^第 4 题/ }).tap();
    await cand.locator('[data-qtype=essay] textarea').fill('先设警示、疏散人员并关闭水阀，再通知工程部和物业经理，拍照记录并跟进维修。');
    await cand.locator('[data-qtype=essay] [data-testid=q-mark][data-mark=saved]').waitFor();
    await cand.getByRole('button', { name: '交卷' }).first().tap();
    const confirm = cand.getByRole('dialog', { name: '确定交卷吗？' });
    await confirm.waitFor();
    await step(cand, 'phone-submit-dialog');
    await confirm.getByRole('button', { name: '确定交卷' }).tap();
    await cand.getByTestId('outcome').waitFor();
    await step(cand, 'phone-thank-you', true);

    // ---- a candidate at a desktop, keyboard only, in English ----
    const inv = await api<{ link: string }>(
      'POST',
      `/exams/${exam.id}/invitations`,
      { candidate_name: 'Kim Keys', candidate_email: `${unique('kim')}@example.com`, track: 'supervisor' },
      admin.token,
    );
    const { ctx: desk, page: kb } = await watchedPage(browser, 'keyboard', { locale: 'en-US', viewport: LAPTOP });
    pages.push(kb);
    await kb.goto(new URL(inv.link).pathname);
    await kb.getByRole('button', { name: 'Start the exam' }).waitFor();
    await tabTo(kb, 'the start button', 'button.btn-primary');
    await kb.keyboard.press('Enter');
    await kb.getByTestId('timer').waitFor();
    await tabTo(kb, 'the true/false question', '[data-qtype=true_false] input');
    await kb.keyboard.press('Space'); // "True": the wrong answer, for the results page
    await tabTo(kb, 'the single choice', '[data-qtype=single_choice] input');
    await kb.keyboard.press('Space');
    await tabTo(kb, 'the blank', '[data-qtype=fill_in] input');
    await kb.keyboard.type('911');
    await tabTo(kb, 'the essay', '[data-qtype=essay] textarea');
    await kb.keyboard.type('Put up signs, move people away, close the valve, call maintenance, write it down.');
    await kb.locator('[data-qtype=essay] [data-testid=q-mark][data-mark=saved]').waitFor();
    await step(kb, 'keyboard-essay-focused');
    await tabTo(kb, 'the submit button', '.submit-row button');
    await kb.keyboard.press('Enter');
    const kbDialog = kb.getByRole('dialog', { name: 'Submit your answers?' });
    await kbDialog.waitFor();
    await tabTo(kb, 'the confirm button', 'dialog[open] .dialog-actions .btn-primary', 12);
    await step(kb, 'keyboard-submit-dialog');
    await kb.keyboard.press('Enter');
    await kb.getByTestId('outcome').waitFor();
    await step(kb, 'keyboard-thank-you', true);

    // ---- a reviewer, in Chinese, then English ----
    const reviewer = { email: `${unique('rev')}@example.com`, name: '李阅卷', password: 'correct horse battery' };
    await api('POST', '/users', { ...reviewer, role: 'reviewer' }, admin.token);
    const { ctx: revCtx, page: rev } = await watchedPage(browser, 'reviewer', { locale: 'zh-CN', viewport: LAPTOP });
    pages.push(rev);
    await signIn(rev, reviewer, { landing: '/review', lang: 'zh-CN', chooseLang: true });
    await rev.getByRole('button', { name: '领取下一份' }).click();
    await rev.getByTestId('essay-text').waitFor();
    await rev.getByLabel('先保安全 (3)').check();
    await rev.locator('#f-comment').fill('安全处置到位，记录略简。');
    await axe(rev, 'review, zh-CN');
    await step(rev, 'reviewer-rubric-zh', true);
    await rev.getByRole('button', { name: '保存分数并领取下一份' }).click();
    await rev.getByText('已评 3 分。').waitFor();
    await rev.getByTestId('essay-text').waitFor();
    await setLang(rev, 'en');
    await rev.getByRole('heading', { name: 'My scored essays' }).waitFor();
    await axe(rev, 'review, en');
    if (!(await rev.getByTestId('essay-text').count())) await rev.getByRole('button', { name: 'Claim next essay' }).click();
    await rev.getByTestId('essay-text').waitFor();
    await rev.locator('#f-points').fill('4');
    await step(rev, 'reviewer-second-en', true);
    await rev.getByRole('button', { name: 'Save score and take the next' }).click();
    await rev.getByText('Nothing is waiting for review.').waitFor();

    // ---- the recruiter again, on results ----
    await until(
      async () => {
        const r = await api<{ items: { status: string }[] }>('GET', `/exams/${exam.id}/results`, undefined, admin.token);
        return r.items.filter((i) => i.status === 'graded').length === 2;
      },
      10_000,
      'both attempts graded',
    );
    await setLang(staff, 'zh-CN');
    await staff.goto(`/exams/${exam.id}/results`);
    await staff.getByTestId('result-row').first().waitFor();
    assert.equal((await staff.getByTestId('result-row').filter({ hasText: 'Kim Keys' }).locator('td[data-label="岗位类别"]').textContent())?.trim(), '主管');
    await axe(staff, 'results, zh-CN');
    await step(staff, 'recruiter-results-zh', true);
    await setLang(staff, 'en');
    await staff.getByTestId('result-row').first().waitFor();
    await axe(staff, 'results, en');
    await step(staff, 'recruiter-results-en');
    await staff.getByTestId('result-row').filter({ hasText: 'Kim Keys' }).getByRole('link').first().click();
    await staff.waitForURL('**/attempts/**');
    await staff.getByRole('heading', { level: 1 }).waitFor();
    await axe(staff, 'attempt, en');
    await step(staff, 'recruiter-attempt-en', true);
    await setLang(staff, 'zh-CN');
    await staff.getByRole('heading', { level: 1 }).waitFor();
    await axe(staff, 'attempt, zh-CN');
    await step(staff, 'recruiter-attempt-zh');
    await staff.goto(`/exams/${exam.id}/versions/1`);
    await staff.getByRole('heading', { level: 1 }).waitFor();
    await staff.getByRole('button', { name: '修正答案' }).first().waitFor();
    await axe(staff, 'version, zh-CN');
    await step(staff, 'recruiter-version-zh');
    await setLang(staff, 'en');
    await staff.getByRole('heading', { level: 1 }).waitFor();
    await axe(staff, 'version, en');
    await step(staff, 'recruiter-version-en');

    for (const c of [rec, phone, desk, revCtx]) await c.close();
    assert.deepEqual(a11y, [], `axe found serious or critical violations:\n${a11y.join('\n')}`);
  });
});

/** Tabs until focus reaches an element matching sel (at most max presses). */
async function tabTo(page: Page, what: string, sel: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), sel)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}
