// End to end in headless Chromium: the complaint analysis page draws every chart; a click on the
// Pareto bar of a cause opens the complaints behind it, a complaint opens its timeline, the
// evidence that triggered its automatic label, and its call with the transcript and recording;
// a reviewer corrects the cause; the monthly classification table adds up; the taxonomy is edited;
// the callback specialist records a callback whose "not satisfied" reopens the complaint.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot, signIn, startServer, watchCsp, type RunningServer } from './harness.ts';
import { addAccount, type Account } from '../auth-fixture.ts';
import { CALL_TICKET, complaintsWarehouse } from '../complaints-fixture.ts';

const ready = browserAvailable();
let dir: string;
let dbPath: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let paretoOrder: Array<string | null>;
let csp: string[] = [];
let callbackAccount: Account;

beforeAll(async () => {
  if (!ready) return;
  const made = await complaintsWarehouse();
  dir = made.dir;
  dbPath = made.dbPath;
  const rows = await made.warehouse.all<{ cause: string | null }>(
    `SELECT cause FROM complaint_facts GROUP BY cause ORDER BY cause IS NULL, count(*) DESC, cause`
  );
  paretoOrder = rows.map((r) => r.cause);
  // An administrator (corrects causes, edits the taxonomy, listens to calls) and a callback specialist.
  const admin = await addAccount(made.warehouse, 'admin', { username: 'zhaomin', display_name: '赵敏' });
  callbackAccount = await addAccount(made.warehouse, 'callback', { username: 'huifang', display_name: '回访员小周' });
  made.warehouse.close();
  server = await startServer(dbPath, { ZHIJIAN_RECORDINGS: made.recordings });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  csp = watchCsp(page);
  await signIn(page, server.url, admin.username, admin.password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!ready)('complaint analysis in the browser', () => {
  it('opens from the navigation and draws every chart', async () => {
    await page.goto(server.url + '/');
    await page.getByRole('link', { name: '投诉分析', exact: true }).click();
    await page.waitForURL('**/complaints');
    for (const chart of ['pareto', 'trend', 'department', 'severity', 'sla', 'funnel']) {
      await page.locator(`[data-chart=${chart}] svg`).first().waitFor();
    }
    // No complaint has had a callback that reached the customer yet: the chart says so instead of
    // drawing empty axes (the callback test below gives it a bar).
    expect(await page.locator('[data-chart=callback] [data-empty=callback]').textContent()).toContain('还没有联系上顾客的回访');
    expect(await page.locator('[data-chart=callback] svg').count()).toBe(0);
    // One Pareto bar per cause, and the cumulative line.
    expect(await page.locator('[data-chart=pareto] svg [aria-label="bar"] rect').count()).toBe(paretoOrder.length);
    expect(await page.locator('[data-chart=pareto] svg [aria-label="line"] path').count()).toBe(1);
    expect(await page.locator('[data-kpi=vital] .detail').textContent()).toContain('品质');
    await screenshot(page, 'complaints-analysis');
  });

  it('drills from a Pareto bar to the complaints of that cause, then to a complaint and its call transcript', async () => {
    const index = paretoOrder.indexOf('服务项目不足');
    expect(index).toBeGreaterThanOrEqual(0);
    const bar = page.locator('[data-chart=pareto] svg [aria-label="bar"] rect').nth(index);
    await bar.scrollIntoViewIfNeeded();
    const box = (await bar.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 3);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 3);
    await page.waitForURL(/\/complaints\/list\?/);
    expect(new URL(page.url()).searchParams.get('cause')).toBe('服务项目不足');
    const rows = page.locator('[data-table=complaints] tbody tr[data-ticket]');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    // The complaint from a call was labelled automatically; its confidence shows in the list.
    const callRow = page.locator(`tr[data-ticket="${CALL_TICKET}"]`);
    expect(await callRow.locator('.pill.auto').textContent()).toMatch(/自动 \d/);
    await screenshot(page, 'complaints-list');

    await callRow.getByRole('link', { name: CALL_TICKET }).click();
    await page.waitForURL(`**/complaints/${CALL_TICKET}`);
    await page.locator('[data-section=call] audio').waitFor();
    expect(await page.locator('[data-cause]').getAttribute('data-cause')).toBe('服务项目不足');
    // The timeline: intake → judged → investigated.
    expect(await page.locator('.timeline li strong').allTextContents()).toEqual(['受理', '判断', '调查']);
    // The transcript, with the utterances that triggered the label marked and their words highlighted.
    const lines = page.locator('.complaint-transcript li');
    expect(await lines.count()).toBeGreaterThan(8);
    expect(await page.locator('.complaint-transcript li.evidence').count()).toBeGreaterThan(0);
    const marked = await page.locator('.complaint-transcript li.evidence mark.term').allTextContents();
    expect(marked.length).toBeGreaterThan(0);
    expect(await page.locator('.complaint-transcript mark.redacted').first().textContent()).toBe('[手机号]');
    // An evidence item jumps to its moment in the call.
    const jump = page.locator('[data-list=evidence] button.link').first();
    await jump.click();
    await page.waitForFunction(() => (document.querySelector('audio') as HTMLAudioElement).currentTime > 0);
    await screenshot(page, 'complaints-detail');
  });

  it('a reviewer corrects the cause and the page shows the correction with the automatic label kept', async () => {
    await page.locator('.correct-form select').first().selectOption('现有服务作业不当');
    await page.locator('.correct-form input').first().fill('顾客说的是送货服务');
    await page.getByRole('button', { name: '更正' }).click();
    await expect.poll(() => page.locator('[data-cause]').getAttribute('data-cause')).toBe('现有服务作业不当');
    // The signed-in user is the reviewer of record.
    expect(await page.locator('.corrections li').first().textContent()).toContain('zhaomin');
    expect(await page.locator('[data-section=cause] .pill.reviewer').count()).toBe(1);
    expect(await page.locator('[data-section=cause]').textContent()).toContain('自动分类原为「服务项目不足」');
  });

  it('the monthly classification table adds up to every complaint of the month, with a print button and CSV', async () => {
    await page.goto(`${server.url}/complaints/monthly?month=2026-07`);
    await page.locator('[data-table=monthly]').waitFor();
    expect((await page.locator('[data-total]').textContent())?.trim()).toBe('123');
    expect(await page.getByRole('button', { name: '打印' }).count()).toBe(1);
    const href = await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    const csv = await (await page.request.get(`${server.url}${href}`)).text();
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^cause_group,group_zh,group_en,cause,name_en,department,complaints,share/);
    await screenshot(page, 'complaints-monthly');
  });

  it('edits the taxonomy in the page: a new default department for a cause is stored', async () => {
    await page.goto(`${server.url}/complaints/taxonomy`);
    const field = page.getByRole('textbox', { name: '价格 默认责任部门' });
    expect(await field.inputValue()).toBe('采购部');
    await field.fill('商品部');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => page.locator('.message.ok').textContent()).toBe('已保存。');
    const body = (await (await page.request.get(`${server.url}/api/complaints/taxonomy`)).json()) as { taxonomy: { groups: Array<{ causes: Array<{ zh: string; department: string }> }> } };
    expect(body.taxonomy.groups[0].causes.find((c) => c.zh === '价格')?.department).toBe('商品部');
  });

  it('switches to English', async () => {
    await page.goto(`${server.url}/complaints`);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Complaint root-cause analysis');
    await page.locator('[data-chart=pareto] svg').first().waitFor();
    expect(await page.locator('[data-chart=pareto] svg').first().textContent()).toContain('Quality');
  });

  it('the callback specialist records a callback; not satisfied reopens the complaint', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
    const cb = await context.newPage();
    const cbCsp = watchCsp(cb);
    await signIn(cb, server.url, callbackAccount.username, callbackAccount.password);
    expect(new URL(cb.url()).pathname).toBe('/complaints/list');
    await cb.goto(`${server.url}/complaints/${CALL_TICKET}`);
    // No cause correction, no recording, no QA link for a callback specialist; the callback form instead.
    expect(await cb.locator('[data-section=cause] form').count()).toBe(0);
    expect(await cb.locator('audio').count()).toBe(0);
    expect(await cb.locator('a[href^="/qa/review/"]').count()).toBe(0);
    const form = cb.locator('[data-section=callback] form');
    await form.getByLabel('不满意').check();
    await form.locator('input:not([type=radio])').fill('顾客认为送货仍然太慢');
    await form.getByRole('button', { name: '登记回访' }).click();
    await expect.poll(() => cb.locator('[data-section=callback] .message.ok').textContent()).toContain('投诉已重开');
    await expect.poll(async () => (await cb.locator('.timeline li strong').allTextContents()).slice(-2)).toEqual(['回访', '重开']);
    expect((await cb.locator('.timeline li').allTextContents()).at(-2)).toContain('huifang');
    expect(await cb.locator('.complaint-facts').textContent()).toContain('已重开');
    await screenshot(cb, 'complaints-callback');
    await context.close();
    expect(cbCsp).toEqual([]);
    // The analysis now has a reached callback: one cause's bar, at 0% satisfied.
    await page.goto(server.url + '/complaints');
    await page.locator('[data-chart=callback] svg').first().waitFor();
    expect(await page.locator('[data-chart=callback] svg [aria-label="bar"] rect').count()).toBe(1);
    expect(await page.locator('[data-chart=callback] svg [aria-label="text"]').first().textContent()).toBe('0.0%');
    expect(await page.locator('[data-chart=callback] [data-empty]').count()).toBe(0);
  });

  it('no page visited broke the Content Security Policy', () => {
    expect(csp).toEqual([]);
  });
});
