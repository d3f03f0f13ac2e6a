// The SQL workbench in headless Chromium: type a query (with completion), run it, read the grid,
// see an error marked in the editor, scroll a 100 000-row result, draw a chart, save and reopen.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fixtureWarehouse } from '../api-fixture.ts';
import { browserAvailable, launchBrowser, screenshot, signIn, startServer, watchCsp, type RunningServer } from './harness.ts';
import { addAccount } from '../auth-fixture.ts';

const available = browserAvailable();

describe.skipIf(!available)('SQL workbench in headless Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let csp: string[] = [];

  beforeAll(async () => {
    const fixture = await fixtureWarehouse();
    dir = fixture.dir;
    const dbPath = fixture.warehouse.path;
    const analyst = await addAccount(fixture.warehouse, 'analyst');
    fixture.warehouse.close();
    server = await startServer(dbPath);
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 1000 } })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.context().addCookies([{ name: 'lang', value: 'en', url: server.url }]);
    csp = watchCsp(page);
    await signIn(page, server.url, analyst.username, analyst.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function typeQuery(sql: string) {
    const editor = page.locator('.wb-editor .cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(sql);
    await page.keyboard.press('Escape'); // close a completion list left open
  }

  it('shows the schema with comments and completes table names', async () => {
    await page.goto(`${server.url}/sql`);
    await page.locator('.wb-editor .cm-content').waitFor();
    const calls = page.locator('.wb-schema details', { has: page.locator('.wb-table-name', { hasText: /^calls$/ }) });
    await calls.locator('summary').click();
    await expect(calls.locator('dd').first().innerText()).resolves.toMatch(/\S/);
    await typeQuery('SELECT * FROM cal');
    await page.keyboard.press('Control+Space');
    await expect(page.locator('.cm-tooltip-autocomplete').innerText()).resolves.toContain('calls');
    await page.keyboard.press('Escape');
  });

  it('runs a typed query and shows the rows with their count and time', async () => {
    await typeQuery("SELECT coalesce(queue_id, 'outbound') AS queue, count(*) AS n, sum(talk_s) AS talk, max(enqueued_at) AS latest FROM calls GROUP BY ALL ORDER BY n DESC");
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const count = page.locator('.wb-count');
    await count.waitFor();
    await expect(count.innerText()).resolves.toMatch(/^3 rows · \d+ ms$/);
    const rows = page.locator('.wb-grid-row');
    await expect(rows.count()).resolves.toBe(3);
    // The latest call is shown in the center's zone (Asia/Shanghai), not the browser's or UTC.
    await expect(rows.nth(0).innerText()).resolves.toMatch(/^1\s+consult\s+5\s+360\s+2026-07-03 00:30:00$/);
    await expect(rows.nth(2).innerText()).resolves.toMatch(/^3\s+outbound\s+1\s+300\s+2026-07-03 10:00:00$/);
    await screenshot(page, 'workbench-grid');
  });

  it('draws a chart of the result', async () => {
    await page.getByRole('tab', { name: 'Chart' }).click();
    const figure = page.locator('.wb-chart-figure svg');
    await figure.first().waitFor();
    // One bar per queue (x = queue, y = n are the first picks).
    await expect(page.locator('.wb-chart-figure svg [aria-label="bar"] rect').count()).resolves.toBe(3);
    await page.locator('.wb-chart-controls select').nth(3).selectOption('dot');
    await expect(page.locator('.wb-chart-figure svg [aria-label="dot"] circle').count()).resolves.toBe(3);
    await screenshot(page, 'workbench-chart');
    await page.getByRole('tab', { name: 'Result' }).click();
  });

  it('marks an error at its position in the editor', async () => {
    await typeQuery('SELECT call_id, wait_secs FROM calls');
    await page.keyboard.press('Control+Enter');
    const error = page.locator('.wb-status .wb-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toMatch(/wait_secs/);
    await expect(page.locator('.cm-lintRange-error').innerText()).resolves.toBe('wait_secs');
  });

  it('refuses a write and says why', async () => {
    await typeQuery('DELETE FROM calls');
    await page.keyboard.press('Control+Enter');
    await expect(page.locator('.wb-status .wb-error').innerText()).resolves.toMatch(/read-only/);
  });

  it('cancels a running query', async () => {
    await typeQuery('SELECT count(*) FROM range(100000000) a, range(100000000) b');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.wb-status', { hasText: 'Running' }).waitFor();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const error = page.locator('.wb-status .wb-error');
    await error.waitFor();
    await expect(error.getAttribute('data-code')).resolves.toBe('sql_cancelled');
    await expect(page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).resolves.toBe(true);
  });

  it('scrolls a 100 000-row result with only the rows in view in the page', async () => {
    await typeQuery('SELECT range AS n, range % 7 AS weekday FROM range(100000)');
    await page.keyboard.press('Control+Enter');
    await expect(page.locator('.wb-count').innerText()).resolves.toMatch(/^100,000 rows/);
    expect(await page.locator('.wb-grid-row').count()).toBeLessThan(80);
    await page.locator('.wb-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    // The last row (its number, n, n % 7) comes into the page once it is scrolled to.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.wb-grid-row')].some((r) => /^100000\s+99999\s+4$/.test(r.innerText)));
    expect(await page.locator('.wb-grid-row').count()).toBeLessThan(80);
    await screenshot(page, 'workbench-100k');
  });

  it('saves a query and reopens it from its link', async () => {
    await typeQuery('SELECT count(*) AS abandoned FROM calls WHERE disposition = \'abandoned\'');
    await page.locator('.wb-save input').first().fill('Abandoned calls');
    await page.locator('.wb-save input').nth(1).fill('How many calls were abandoned');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/sql\?q=/);
    const link = new URL(page.url());
    // Another tab of the same signed-in browser.
    const fresh = await page.context().newPage();
    fresh.on('pageerror', (e) => errors.push(e.message));
    fresh.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await fresh.goto(`${server.url}${link.pathname}${link.search}`);
    await expect(fresh.locator('.wb-opened').innerText()).resolves.toMatch(/Abandoned calls/);
    await expect(fresh.locator('.wb-editor .cm-content').innerText()).resolves.toContain("disposition = 'abandoned'");
    await fresh.close();
    expect(errors).toEqual([]);
    expect(csp).toEqual([]);
  });
});
