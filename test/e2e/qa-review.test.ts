// End to end in headless Chromium, each step as the person who does it, signed in: a reviewer
// opens their queue, plays a call with the transcript in step, sees the auto-QA evidence, scores
// with mouse and keyboard, submits; the agent disputes an item and a manager arbitrates it;
// reviewers calibrate; an administrator edits the scorecard.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot, signIn, startServer, type RunningServer } from './harness.ts';
import { addAccount, sessionCookie, TEST_PASSWORD } from '../auth-fixture.ts';
import { sealOriginals } from '../../web/lib/server/auth/vault.ts';
import { qaWarehouse } from '../qa-fixture.ts';
import { drawSample } from '../../web/lib/server/qa/sampling.ts';
import { DEFAULT_SCORECARD, scorecardItems } from '../../web/lib/server/qa/scorecard.ts';

const ready = browserAvailable();
let dir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!ready) return;
  const made = await qaWarehouse();
  dir = made.dir;
  // A recording for q1 as long as its transcript (a quiet tone; the player only needs real audio).
  const recordings = path.join(dir, 'recordings');
  fs.mkdirSync(recordings);
  const end = (await made.warehouse.one<{ ms: number }>(`SELECT max(end_ms) AS ms FROM utterances WHERE call_id = 'q1'`))!.ms;
  const rate = 8000;
  const samples = new Int16Array(Math.ceil(((end + 1000) / 1000) * rate)).map((_, i) => Math.round(800 * Math.sin((2 * Math.PI * 440 * i) / rate)));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, rate, '16', samples);
  fs.writeFileSync(path.join(recordings, 'q1.wav'), wav.toBuffer());
  await addAccount(made.warehouse, 'reviewer', { username: 'wangfang', display_name: '王芳' });
  await addAccount(made.warehouse, 'reviewer', { username: 'liuyang', display_name: '刘洋' });
  await addAccount(made.warehouse, 'agent', { username: 'zhangwei', display_name: '张伟', agent_id: '1001' });
  await addAccount(made.warehouse, 'manager', { username: 'chenjing', display_name: '陈静' });
  await addAccount(made.warehouse, 'admin', { username: 'admin' });
  await drawSample(made.warehouse, { period: 'week', date: '2026-07-08', per_agent: 3, seed: 'e2e', reviewers: ['wangfang'] }, 'test');
  // The customer's phone number in q1, as transcription would have kept it: encrypted in the vault.
  const { seq } = (await made.warehouse.one<{ seq: number }>(`SELECT seq FROM utterances WHERE call_id = 'q1' AND json_array_length(redactions) > 0 ORDER BY seq LIMIT 1`))!;
  await made.warehouse.transaction((conn) => sealOriginals(conn, made.dbPath, 'q1', [{ seq, span: 0, kind: 'phone', original: '13912345678' }]));
  made.warehouse.close();
  server = await startServer(made.dbPath, { ZHIJIAN_RECORDINGS: recordings });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
}, 120_000);

/** Signs the browser in as someone else. */
async function as(username: string): Promise<void> {
  await page.context().clearCookies();
  await signIn(page, server.url, username, TEST_PASSWORD);
}

/** The API as a signed-in user, from the test itself. */
async function apiAs(username: string): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const cookie = await sessionCookie(server.url, username);
  return (path, init = {}) => fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!ready)('QA review in the browser', () => {
  it('the reviewer signs in, lands on their queue and sees progress against the draw', async () => {
    await as('wangfang');
    await page.waitForURL('**/qa');
    // Their own queue: nobody to choose.
    expect(await page.getByRole('combobox', { name: '质检员' }).count()).toBe(0);
    await page.locator('tr[data-call]').first().waitFor();
    expect(await page.locator('tr[data-call]').count()).toBe(5);
    await expect.poll(() => page.locator('.qa-progress p').textContent()).toContain('已提交 0 / 5 通');
    await screenshot(page, 'qa-queue');
  });

  it('plays the call with the transcript in step and the auto-QA evidence marked', async () => {
    await page.getByRole('link', { name: 'q1', exact: true }).click();
    await page.waitForURL('**/qa/review/q1?reviewer=*');
    await page.locator('audio').waitFor();
    // Agent and customer turns are told apart; the phone number is marked as redacted.
    expect(await page.locator('.qa-transcript li.agent').count()).toBeGreaterThan(3);
    expect(await page.locator('.qa-transcript li.customer').count()).toBeGreaterThan(3);
    expect(await page.locator('mark.redacted').first().textContent()).toBe('[手机号]');
    // A reviewer may not see the number behind it: no button offers it.
    expect(await page.locator('button.unredact').count()).toBe(0);
    // Auto-QA evidence: on the timeline and beside the quoted utterances.
    expect(await page.locator('.qa-timeline .mark').count()).toBeGreaterThan(3);
    expect(await page.locator('.qa-transcript .evidence', { hasText: '等待礼仪' }).count()).toBeGreaterThanOrEqual(2);

    // Space plays; the utterance being spoken is highlighted.
    await page.locator('h1').click();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('audio') as HTMLAudioElement).currentTime > 1.2, null, { timeout: 15_000 });
    await page.keyboard.press('k');
    const t = await page.evaluate(() => (document.querySelector('audio') as HTMLAudioElement).currentTime * 1000);
    const current = page.locator('.qa-transcript li.current');
    await current.waitFor();
    const seq = Number(await current.getAttribute('data-seq'));
    const spans = await page.evaluate(() => [...document.querySelectorAll('.qa-transcript li')].map((li) => li.getAttribute('data-seq')));
    expect(spans).toContain(String(seq));
    expect(t).toBeGreaterThan(0);

    // A click on an utterance seeks the player there.
    const target = page.locator('.qa-transcript li[data-seq="7"] .utt-body');
    await target.click();
    const seeked = await page.evaluate(() => (document.querySelector('audio') as HTMLAudioElement).currentTime);
    const start = await page.evaluate(async () => (await (await fetch('/api/qa/calls/q1')).json()).transcript.find((u: { seq: number }) => u.seq === 7).start_ms);
    expect(Math.abs(seeked * 1000 - start)).toBeLessThan(300);
    await expect.poll(() => page.locator('.qa-transcript li.current').getAttribute('data-seq')).toBe('7');
    await screenshot(page, 'qa-review-playing');
  });

  it('scores with auto-QA pre-filled, mouse and keys, shows the running total and the red-line fail, submits', async () => {
    // Auto-QA pre-filled the opening (passed: 10 of 10).
    expect(await page.locator('[data-item="greeting"] [role="radio"][aria-checked="true"]').textContent()).toContain('10');
    // Mouse: confirm and accurate; keyboard: focus walks the items, number keys pick the nth score.
    await page.locator('[data-item="confirm"] [role="radio"]', { hasText: '10' }).click();
    await page.locator('[data-item="accurate"] [role="radio"]', { hasText: '15' }).click();
    await page.locator('h1').click();
    await page.keyboard.press('j'); // ownership
    await page.keyboard.press('3'); // third allowed score: 10
    expect(await page.locator('[data-item="ownership"] [aria-checked="true"]').textContent()).toContain('10');
    await page.keyboard.press('j'); // no_forbidden (pre-filled)
    await page.keyboard.press('j'); // closing (pre-filled)
    await page.keyboard.press('j'); // no_argue
    await page.keyboard.press('1'); // 0: argued — a red line
    await page.locator('.autofail').waitFor();
    expect(await page.getByTestId('outcome').textContent()).toBe('红线不合格');
    await page.keyboard.press('2'); // 1: did not happen
    await page.locator('[data-item="no_leak"] [role="radio"]').nth(1).click();
    expect(await page.locator('.autofail').count()).toBe(0);
    // Every item now has a score; the total is what scoring gives by hand.
    const checked = await page.locator('.qa-item [role="radio"][aria-checked="true"]').count();
    expect(checked).toBe(scorecardItems(DEFAULT_SCORECARD).length);
    const total = await page.getByTestId('running-total').textContent();
    expect(Number(total)).toBeGreaterThan(80);

    await page.getByPlaceholder('给坐席的改进建议').fill('开场与等待礼仪规范，继续保持。');
    await page.locator('[data-item="accurate"] .qa-comment').fill('答复完整');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByRole('status').filter({ hasText: '草稿已保存' }).waitFor();
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('.notice', { hasText: '已提交（第 1 版' }).waitFor();
    expect(await page.locator('[data-item="greeting"] [role="radio"]').first().isDisabled()).toBe(true);
    await screenshot(page, 'qa-review-submitted');

    // The warehouse holds the submitted review with every item.
    const wangfang = await apiAs('wangfang');
    const queue = await (await wangfang('/api/qa/queue')).json();
    const row = queue.calls.find((c: { call_id: string }) => c.call_id === 'q1');
    expect(row).toMatchObject({ status: 'submitted', critical_failed: false });
    expect(row.score).toBe(Number(total));
    expect(queue.progress).toEqual({ assigned: 5, submitted: 1 });
    const form = await (await wangfang('/api/qa/calls/q1')).json();
    expect(form.review).toMatchObject({ status: 'submitted', version: 1, reviewer: 'wangfang', advice: '开场与等待礼仪规范，继续保持。' });
    expect(form.review.items).toHaveLength(scorecardItems(DEFAULT_SCORECARD).length);
    expect(form.review.items.find((i: { item_id: string }) => i.item_id === 'accurate')).toMatchObject({ score: 15, comment: '答复完整', auto: false });
    expect(form.review.items.find((i: { item_id: string }) => i.item_id === 'greeting')).toMatchObject({ score: 10, auto: true });

    // Back in the queue, the call counts as submitted.
    await page.getByRole('link', { name: /返回任务列表/ }).click();
    await expect.poll(() => page.locator('.qa-progress p').textContent()).toContain('已提交 1 / 5 通');
  });

  it('a call without a recording reviews from the transcript alone', async () => {
    await page.goto(`${server.url}/qa/review/q3`);
    await page.locator('.notice', { hasText: '没有录音文件' }).waitFor();
    expect(await page.locator('audio').count()).toBe(0);
    expect(await page.locator('.qa-transcript li').count()).toBeGreaterThan(5);
    // The argument call: forbidden phrases and interruptions fail, with quoted evidence.
    expect(await page.locator('.qa-transcript .evidence.fail', { hasText: '服务禁语' }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.qa-transcript .evidence.fail', { hasText: '抢话' }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.qa-facts').textContent()).toContain('TK-9001');
    await screenshot(page, 'qa-review-no-audio');
  });
});

describe.skipIf(!ready)('disputes in the browser', () => {
  it('the agent signs in, sees their own reviews and disputes an item with a reason; the score does not change yet', async () => {
    await as('zhangwei');
    await page.waitForURL('**/qa/agent');
    // Their own page: no agent to choose, and no recording to play (a separate permission).
    expect(await page.getByRole('combobox', { name: '坐席' }).count()).toBe(0);
    const review = page.locator('.qa-agent-review', { hasText: 'q1' });
    await review.getByRole('button', { name: '对此次评分申诉' }).click();
    await review.getByRole('combobox', { name: '评分项' }).selectOption('confirm');
    await review.getByRole('textbox', { name: '申诉理由' }).fill('我复述确认过客户的问题。');
    await review.getByRole('button', { name: '提交申诉' }).click();
    await page.locator('table tr', { hasText: '我复述确认过客户的问题。' }).filter({ hasText: '待仲裁' }).waitFor();
    await screenshot(page, 'qa-agent-page');
  });

  it('a manager arbitrates: a new version with the new score; the first version stays readable', async () => {
    // The confirm item was scored 10 in the review above; the agent wants it reconsidered: arbitration gives 5 (a partial acceptance).
    await as('chenjing');
    await page.goto(`${server.url}/qa/disputes`);
    const card = page.locator('[data-dispute]').first();
    await card.getByRole('combobox', { name: '采纳后的分数' }).selectOption('5');
    await card.getByRole('textbox', { name: '仲裁理由' }).fill('复述不完整，部分采纳。');
    await card.getByRole('button', { name: '采纳' }).click();
    await page.locator('table tr', { hasText: '复述不完整，部分采纳。' }).waitFor();
    await screenshot(page, 'qa-disputes');
    const chenjing = await apiAs('chenjing');
    const form = await (await chenjing('/api/qa/calls/q1?reviewer=wangfang')).json();
    expect(form.review).toMatchObject({ version: 2, status: 'arbitrated' });
    expect(form.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'submitted'], [2, 'arbitrated']]);
    expect(form.versions[1].score).toBe(form.versions[0].score - 5);
    expect(form.versions[0].items.find((i: { item_id: string }) => i.item_id === 'confirm').score).toBe(10);
    expect(form.versions[1].items.find((i: { item_id: string }) => i.item_id === 'confirm').score).toBe(5);
    // The review page shows the history.
    await page.goto(`${server.url}/qa/review/q1?reviewer=wangfang`);
    await page.locator('.qa-history', { hasText: '复述不完整' }).waitFor();
    // The manager reads it, and cannot change it.
    expect(await page.locator('[data-item="greeting"] [role="radio"]').first().isDisabled()).toBe(true);
    // The agent sees the accepted dispute and the new version on their page.
    await as('zhangwei');
    await page.locator('table tr', { hasText: '我复述确认过客户的问题。' }).filter({ hasText: '已采纳' }).waitFor();
    await screenshot(page, 'qa-agent-dispute-accepted');
    await as('chenjing');
  });

  it('reports show the scores by agent, team, queue and week and the items that fail', async () => {
    await page.goto(`${server.url}/qa/reports`);
    await page.locator('[data-dimension="agent"] tr', { hasText: '张伟' }).waitFor();
    expect(await page.locator('[data-report="items"] tbody tr').first().textContent()).toContain('确认问题并记录');
    await screenshot(page, 'qa-reports');
  });
});

describe.skipIf(!ready)('calibration in the browser', () => {
  it('sets up a session, takes independent scores and shows agreement per item and each reviewer\'s deviation', async () => {
    await as('wangfang');
    await page.goto(`${server.url}/qa/calibration`);
    await page.getByRole('textbox', { name: '名称' }).fill('七月第二周校准');
    await page.getByRole('textbox', { name: '通话编号（逗号分隔）' }).fill('q4, q5');
    await page.getByRole('textbox', { name: '质检员（逗号分隔）' }).fill('wangfang, liuyang');
    await page.getByRole('textbox', { name: '专家（可选，须为质检员之一）' }).fill('wangfang');
    await page.getByRole('button', { name: '创建' }).click();
    await page.waitForURL('**/qa/calibration?id=*');
    const id = Number(new URL(page.url()).searchParams.get('id'));
    // 刘洋 signs in and scores q4 in the browser, from the session's grid.
    await as('liuyang');
    await page.goto(`${server.url}/qa/calibration?id=${id}`);
    await page.locator('[data-report="calibration"] tr', { hasText: 'liuyang' }).getByRole('link').first().click();
    await page.waitForURL(`**/qa/review/q4?reviewer=*&calibration=${id}`);
    await page.locator('.notice', { hasText: `校准评分（批次 #${id}）` }).waitFor();
    for (const item of scorecardItems(DEFAULT_SCORECARD)) {
      const buttons = page.locator(`[data-item="${item.id}"] [role="radio"]`);
      await buttons.nth(item.scores.length - 1).click();
    }
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('.notice', { hasText: '已提交（第 1 版' }).waitFor();
    // The others through the API: 王芳 (the expert) gives greeting 5 on q4; both give full marks on q5.
    const post = async (reviewer: string, call_id: string, greeting: number) =>
      (await apiAs(reviewer))('/api/qa/reviews', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ call_id, calibration_id: id, submit: true, items: scorecardItems(DEFAULT_SCORECARD).map((i) => ({ item_id: i.id, score: i.id === 'greeting' ? greeting : Math.max(...i.scores), na: false })) })
      });
    expect((await post('wangfang', 'q4', 5)).status).toBe(200);
    expect((await post('wangfang', 'q5', 10)).status).toBe(200);
    expect((await post('liuyang', 'q5', 10)).status).toBe(200);
    expect((await post('chenjing', 'q5', 10)).status).toBe(403); // a manager does not score
    await page.goto(`${server.url}/qa/calibration?id=${id}`);
    // greeting: q4 [5, 10], q5 [10, 10] → agreement 50 %, Fleiss κ = (0.5 − 0.625)/(1 − 0.625) = −0.33.
    expect(await page.locator('[data-report="calibration"] tr[data-item="greeting"]').textContent()).toContain('-0.33');
    // 刘洋 is 5 points above the expert on q4 and level on q5: mean absolute deviation 2.5, bias +2.5.
    expect(await page.locator('[data-report="calibration"] tr', { hasText: 'liuyang' }).textContent()).toContain('+2.5');
    await screenshot(page, 'qa-calibration');
  });
});

describe.skipIf(!ready)('the scorecard editor', () => {
  it('an admin edits the pass mark and a phrase list; a new version is saved and old reviews keep theirs', async () => {
    await as('admin');
    await page.goto(`${server.url}/qa/scorecard`);
    await page.getByRole('spinbutton', { name: '合格线' }).fill('85');
    const forbidden = page.locator('tr[data-rule="forbidden"] input');
    await forbidden.fill((await forbidden.inputValue()) + ', 没办法');
    await forbidden.dispatchEvent('change');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('第 2 版'));
    await screenshot(page, 'qa-scorecard');
    const admin = await apiAs('admin');
    const body = await (await admin('/api/qa/scorecard')).json();
    expect(body.scorecard).toMatchObject({ version: 2, created_by: 'admin' });
    expect(body.scorecard.definition.pass_mark).toBe(85);
    expect(body.scorecard.definition.auto.forbidden.phrases).toContain('没办法');
    const q1 = await (await admin('/api/qa/calls/q1?reviewer=wangfang')).json();
    expect(q1.scorecard.version).toBe(1);
    // An item with a single allowed score is refused by the server, with the reason shown.
    const scores = page.locator('[data-item="greeting"] input[aria-label="可选分数（逗号分隔）"]');
    await scores.fill('10');
    await scores.dispatchEvent('change');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('at least two allowed scores');
  });

  it('an administrator shows a redacted number on request, and the view is in the audit trail', async () => {
    await page.goto(`${server.url}/qa/review/q1?reviewer=wangfang`);
    await page.getByRole('button', { name: '显示[手机号]原文' }).first().click();
    await page.locator('mark.redacted.shown', { hasText: '13912345678' }).waitFor();
    await screenshot(page, 'qa-review-unredacted');
    const admin = await apiAs('admin');
    const trail = await (await admin('/api/audit?action=transcript.unredacted')).json();
    expect(trail.records).toHaveLength(1);
    expect(trail.records[0]).toMatchObject({ actor: 'admin', target: 'call:q1', after: { span: 0, kind: 'phone' } });
  });

  it('the review page reads in English', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    const en = await context.newPage();
    await signIn(en, server.url, 'wangfang', TEST_PASSWORD);
    await en.goto(`${server.url}/qa/review/q2`);
    await en.getByRole('heading', { name: 'Call review q2' }).waitFor();
    expect(await en.locator('[data-item="hold"] .qa-item-name').textContent()).toContain('Hold etiquette');
    expect(await en.locator('.qa-transcript .evidence.fail', { hasText: 'Hold etiquette' }).first().textContent()).toMatch(/no “请稍等” before \d+ s of silence/);
    await screenshot(en, 'qa-review-english');
    await context.close();
  });
});
