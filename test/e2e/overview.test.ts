// The first page on a generated demo center, in a real browser: the headline figures are the
// warehouse's own numbers and the calls-per-day chart is drawn from the Arrow stream.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Warehouse } from '../../web/lib/server/warehouse.ts';
import { browserAvailable, launchBrowser, repoRoot, screenshot, signIn, startServer, watchCsp, type RunningServer } from './harness.ts';

const available = browserAvailable();
// The demo's accounts' password (the demo runs as a child with this same environment).
const DEMO_PASSWORD = process.env.ZHIJIAN_DEMO_PASSWORD ?? 'zhijian-demo';

describe.skipIf(!available)('overview page in headless Chromium', () => {
  let dir: string;
  let dbPath: string;
  let server: RunningServer;
  let browser: Browser;
  let expected: { offered: number; answered: number; days: number; last: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-e2e-overview-'));
    dbPath = path.join(dir, 'demo.duckdb');
    // The same path as `npm start`: demo --no-serve generates and loads, then serve.
    execFileSync(process.execPath, ['bin/zhijian.js', '--db', dbPath, 'demo', '--no-serve', '--agents', '12', '--days', '45', '--dir', path.join(dir, 'export')], {
      cwd: repoRoot,
      stdio: 'pipe'
    });
    const w = await Warehouse.open(dbPath, { readOnly: true });
    const last = (await w.one<{ d: string }>(`SELECT strftime(max(enqueued_at)::DATE, '%Y-%m-%d') AS d FROM calls`))!.d;
    const totals = await w.one<{ offered: number; answered: number; days: number }>(
      `SELECT count(*) AS offered, count(answered_at) AS answered, count(DISTINCT enqueued_at::DATE) AS days
         FROM calls WHERE direction = 'inbound' AND enqueued_at::DATE BETWEEN $last::DATE - 29 AND $last::DATE`,
      { last }
    );
    w.close();
    expected = { ...totals!, last };
    server = await startServer(dbPath);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the last 30 days of the demo warehouse with its figures and draws the chart', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const csp = watchCsp(page);
    // The demo made one account per role; a manager's home is the overview.
    await signIn(page, server.url, 'manager', DEMO_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.locator('figure svg, .chart svg').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'overview-zh');

    const offered = await page.locator('[data-metric="calls_offered"] .value').innerText();
    expect(Number(offered.replace(/[^\d]/g, ''))).toBe(expected.offered);
    const answered = await page.locator('[data-metric="calls_answered"] .value').innerText();
    expect(Number(answered.replace(/[^\d]/g, ''))).toBe(expected.answered);
    // Every figure states its formula next to it.
    for (const metric of ['service_level', 'average_speed_of_answer', 'average_handle_time', 'satisfaction']) {
      const card = page.locator(`[data-metric="${metric}"]`);
      await expect(card.innerText()).resolves.toMatch(/[=＝÷]/);
    }
    // One line per series with a point per day: the chart really holds the data.
    const paths = await page.locator('svg [aria-label="line"] path').count();
    expect(paths).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    expect(csp).toEqual([]);
    await page.close();
  });

  it('switches to English and keeps the date range in the URL', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    await signIn(page, server.url, 'analyst', DEMO_PASSWORD);
    const from = expected.last.slice(0, 8) + '01';
    await page.goto(`${server.url}?from=${from}&to=${expected.last}`);
    await page.locator('svg').first().waitFor();
    await expect(page.locator('h1').innerText()).resolves.toMatch(/[A-Za-z]/);
    await expect(page.locator('input[name="from"]').inputValue()).resolves.toBe(from);
    await screenshot(page, 'overview-en');
    await page.close();
  });
});
