// End to end in headless Chromium on the leap-day fixture (test/kpi-fixture.ts): the dashboard,
// attendance and star-list pages render with their charts drawn, figures and chart marks drill
// down to the calls behind them, tables export to CSV, filters live in the URL, both languages.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot, signIn, startServer, watchCsp, type RunningServer } from './harness.ts';
import { addAccount } from '../auth-fixture.ts';
import { kpiWarehouse } from '../kpi-fixture.ts';

const ready = browserAvailable();
let dir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];
let csp: string[] = [];
const LEAP = 'from=2024-02-28&to=2024-03-01';

beforeAll(async () => {
  if (!ready) return;
  const made = await kpiWarehouse();
  dir = made.dir;
  // A complaint judged 4 hours after intake (the target is 3) and one judged in time.
  await made.warehouse.run(`
    INSERT INTO tickets (ticket_id, type, status, opened_at) VALUES
      ('GD1', 'complaint', 'in_progress', '2024-02-28 09:00:00+08'), ('GD2', 'complaint', 'in_progress', '2024-02-29 09:00:00+08');
    INSERT INTO ticket_events (ticket_id, seq, event, occurred_at, result) VALUES
      ('GD1', 1, 'judged', '2024-02-28 13:00:00+08', 'valid'), ('GD2', 1, 'judged', '2024-02-29 10:00:00+08', 'valid');
  `);
  // A manager: every dashboard, the star list's weights; targets read-only.
  const manager = await addAccount(made.warehouse, 'manager');
  made.warehouse.close();
  server = await startServer(path.join(dir, 'kpi.duckdb'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => errors.push(e.message));
  csp = watchCsp(page);
  await signIn(page, server.url, manager.username, manager.password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!ready)('dashboard pages in Chromium', () => {
  it('the dashboard shows the figures with formulas and draws every chart', async () => {
    await page.goto(`${server.url}/dashboard?${LEAP}&sl_variant=late_abandons_against`);
    await page.locator('[data-chart=trend] svg').first().waitFor();
    await page.locator('[data-chart=heatmap] svg').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('话务仪表盘');
    expect((await page.locator('[data-kpi=offered] .value').textContent())?.trim()).toBe('9');
    expect((await page.locator('[data-kpi=service_level] .value').textContent())?.trim()).toBe('57.1%'); // 4 ÷ 7
    expect(await page.locator('[data-kpi=service_level] .detail').textContent()).toContain('仅阈值后放弃计入');
    expect(await page.locator('[data-kpi=fcr] .formula').textContent()).toMatch(/公式/);
    // Three lines of three days, the SL line, 24 × 7 possible heatmap cells (3 with calls), a sparkline per agent.
    expect(await page.locator('[data-chart=trend] svg [aria-label="line"] path').count()).toBe(3);
    expect(await page.locator('[data-chart=heatmap] svg [aria-label="cell"] rect').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-table=agents] tbody tr').count()).toBe(3);
    expect(await page.locator('[data-table=agents] td.spark svg').count()).toBe(3);
    await screenshot(page, 'dashboard-leap-day');
  });

  it('a figure drills down to the calls behind it', async () => {
    await page.locator('[data-kpi=abandoned] .value a').click();
    await page.waitForURL(/\/dashboard\/calls\?/);
    const ids = await page.locator('[data-table=calls] tbody tr td:first-child').allTextContents();
    expect(ids).toEqual(['k3', 'k4', 'k10']);
    expect(new URL(page.url()).searchParams.get('sl_variant')).toBe('late_abandons_against');
    await screenshot(page, 'dashboard-calls-abandoned');
  });

  it('a chart mark drills down to the calls of its interval', async () => {
    await page.goto(`${server.url}/dashboard?${LEAP}`);
    const dots = page.locator('[data-chart=trend] svg [aria-label="dot"] circle');
    await dots.first().waitFor();
    // Dots go day by day, offered–answered–abandoned: the fourth is 29 February's offered.
    await dots.nth(3).scrollIntoViewIfNeeded();
    const box = (await dots.nth(3).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/\/dashboard\/calls\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('bucket')).toBe('2024-02-29 00:00');
    expect(url.searchParams.get('measure')).toBe('offered');
    expect(await page.locator('[data-table=calls] tbody tr td:first-child').allTextContents()).toEqual(['k5', 'k7', 'k6']);
  });

  it('filters live in the URL and the agent table exports to CSV', async () => {
    await page.goto(`${server.url}/dashboard?${LEAP}`);
    await page.locator('select[name=team]').selectOption('T2');
    await page.locator('form.filters button[type=submit]').click();
    await page.waitForURL(/team=T2/);
    await page.locator('[data-chart=trend] svg').first().waitFor();
    expect((await page.locator('[data-kpi=offered] .value').textContent())?.trim()).toBe('2');
    const href = await page.locator('.table-card h2 a.csv').getAttribute('href');
    const csv = await (await page.request.get(`${server.url}${href}`)).text();
    expect(csv.split('\r\n')[0]).toContain('bucket,group_key,group_name,offered,answered');
    expect(csv).toContain('A3,王芳,2,2');
  });

  it('the attendance table, its calendar and an agent’s month', async () => {
    await page.goto(`${server.url}/attendance?month=2024-02`);
    await page.locator('[data-chart=attendance-calendar] svg').first().waitFor();
    const rows = await page.locator('[data-table=attendance] tbody tr').allTextContents();
    expect(rows).toHaveLength(3);
    expect(await page.locator('[data-chart=attendance-calendar] svg [aria-label="cell"] rect').count()).toBe(5);
    await page.locator('[data-table=attendance] tbody tr', { hasText: 'A3' }).locator('a').click();
    await page.waitForURL(/agent=A3/);
    const detail = await page.locator('[data-table=attendance-days] tbody tr').allTextContents();
    expect(detail[0]).toContain('2024-03-01 01:05'); // the night shift's clock-out after midnight
    await screenshot(page, 'attendance-2024-02');
  });

  it('the star list with intervals, and its poster', async () => {
    await page.goto(`${server.url}/stars?month=2024-02`);
    await page.locator('[data-chart=stars] svg').first().waitFor();
    expect(await page.locator('[data-table=stars] tbody tr').count()).toBe(3);
    // A manager sets the weights.
    expect(await page.locator('form.weights button[type=submit]').count()).toBe(1);
    await screenshot(page, 'stars-2024-02');
    await page.goto(`${server.url}/stars/poster?month=2024-02`);
    expect(await page.locator('.poster li').count()).toBe(3);
  });

  it('service targets with compliance, and the breaching tickets behind a figure', async () => {
    await page.goto(`${server.url}/targets?from=2024-02-01&to=2024-03-31&interval=week`);
    await page.locator('[data-chart=compliance] svg').first().waitFor();
    const row = page.locator('[data-table=targets] tr[data-target=complaint_received]');
    expect(await row.locator('td').nth(1).textContent()).toContain('50.0%');
    // A manager reads the targets but does not edit them: no inputs, no save buttons.
    expect(await page.locator('[data-table=targets] input').count()).toBe(0);
    expect(await page.locator('button', { hasText: '保存' }).count()).toBe(0);
    expect(await row.locator('td').nth(5).textContent()).toBe('3 h');
    await row.locator('td').nth(3).locator('a').click();
    await page.waitForURL(/\/targets\/tickets\?/);
    expect(await page.locator('[data-table=sla-tickets] tbody tr td:first-child').allTextContents()).toEqual(['GD1']);
    await screenshot(page, 'targets-breaching');
  });

  it('English labels when the language is switched', async () => {
    await page.goto(`${server.url}/dashboard?${LEAP}`);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Call dashboard');
    await page.goto(`${server.url}/attendance?month=2024-02`);
    expect(await page.locator('h1').textContent()).toBe('Monthly attendance table');
    expect(errors).toEqual([]);
    expect(csp).toEqual([]);
  });
});
