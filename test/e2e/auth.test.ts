// End to end in headless Chromium: signing in and out through the real pages. A signed-out visit
// lands on /login; a QA reviewer signs in through the form, lands on their queue, has no Admin
// link and is refused /admin, signs out and is asked to sign in again; an administrator who
// opened /admin signed out gets there after signing in and sees the accounts and the audit trail.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot, signIn, startServer, watchCsp, type RunningServer } from './harness.ts';
import { fixtureWarehouse } from '../api-fixture.ts';
import { addAccount, TEST_PASSWORD } from '../auth-fixture.ts';

const ready = browserAvailable();
let dir: string;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let csp: string[];

beforeAll(async () => {
  if (!ready) return;
  const made = await fixtureWarehouse();
  dir = made.dir;
  await addAccount(made.warehouse, 'admin', { username: 'root', display_name: '系统管理员' });
  await addAccount(made.warehouse, 'reviewer', { username: 'wangfang', display_name: '王芳' });
  await addAccount(made.warehouse, 'manager', { username: 'zhaolei', display_name: '赵磊' });
  const dbPath = made.warehouse.path;
  made.warehouse.close();
  server = await startServer(dbPath);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  page = await context.newPage();
  csp = watchCsp(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const navLinks = () => page.locator('header nav[aria-label=main] a').allTextContents();

describe.skipIf(!ready)('signing in and out', () => {
  it('a signed-out visit to a page lands on the sign-in page, with no menu', async () => {
    await page.goto(`${server.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/dashboard');
    expect(await page.locator('header nav').count()).toBe(0);
    expect(await page.locator('header .lang button').count()).toBe(2);
    await page.locator('form input[name=username]').waitFor();
    await screenshot(page, 'auth-login');
  });

  it('a wrong password is answered on the form', async () => {
    await page.locator('input[name=username]').fill('wangfang');
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('form button[type=submit]').click();
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('a reviewer signs in through the form and lands on their queue, without the Admin link', async () => {
    await signIn(page, server.url, 'wangfang', TEST_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/qa');
    await page.locator('header .who a[href="/account"]').waitFor();
    expect(await page.locator('header .who a[href="/account"]').textContent()).toBe('王芳');
    const links = await navLinks();
    expect(links).toContain('质检');
    expect(links).not.toContain('账号管理');
    expect(links).not.toContain('SQL');
    expect(await page.locator('header nav a[href="/admin"]').count()).toBe(0);
    await screenshot(page, 'auth-reviewer-home');
  });

  it('the reviewer opening /admin directly is refused', async () => {
    const response = await page.goto(`${server.url}/admin`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toContain('403');
    await screenshot(page, 'auth-reviewer-refused');
  });

  it('signs out, is back at the sign-in page, and /qa asks to sign in again', async () => {
    await page.goto(`${server.url}/account`);
    expect(await page.locator('[data-field=role]').textContent()).toBe('质检员');
    await Promise.all([page.waitForURL('**/login'), page.locator('header .who button').click()]);
    expect(await page.locator('header nav').count()).toBe(0);
    await page.goto(`${server.url}/qa`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/qa');
    // The session is gone on the server too: the API refuses the cookie jar.
    expect((await page.request.get(`${server.url}/api/qa/queue`)).status()).toBe(401);
  });

  it('an administrator who asked for /admin gets there after signing in, and sees the accounts and the trail', async () => {
    await page.goto(`${server.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.locator('input[name=username]').fill('root');
    await page.locator('input[name=password]').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL('**/admin'), page.locator('form button[type=submit]').click()]);
    const rows = page.locator('[data-table=accounts] tbody tr[data-user]');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-user')).sort())).toEqual(['root', 'wangfang', 'zhaolei']);
    expect(await page.locator('tr[data-user=wangfang] [data-field=role]').textContent()).toBe('质检员');
    expect(await navLinks()).toEqual(expect.arrayContaining(['账号管理', '审计日志', 'SQL']));
    await screenshot(page, 'auth-admin-accounts');

    await page.locator('header nav a[href="/admin/audit"]').click();
    await page.waitForURL('**/admin/audit');
    const actions = await page.locator('[data-table=audit] tbody tr td:nth-child(4)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['session.sign_in', 'session.sign_in_failed', 'user.add']));
    await screenshot(page, 'auth-admin-audit');
  });

  it('an administrator adds an account; its generated password works once and must be changed first', async () => {
    await page.goto(`${server.url}/admin`);
    const add = page.locator('[data-section=add] form');
    await add.locator('input[name=username]').fill('liqiang');
    await add.locator('input[name=display_name]').fill('李强');
    await add.locator('select[name=role]').selectOption('reviewer');
    await add.locator('button[type=submit]').click();
    const shown = page.locator('[data-section=generated] code');
    await shown.waitFor();
    const generated = (await shown.textContent())!.trim();
    expect(generated).toMatch(/^\S{16}$/);
    expect(await page.locator('tr[data-user=liqiang] .pill.warn').textContent()).toBe('须修改密码');
    await screenshot(page, 'auth-admin-generated');

    const other = await browser.newContext({ locale: 'zh-CN' });
    const newcomer = await other.newPage();
    const newcomerCsp = watchCsp(newcomer);
    await signIn(newcomer, server.url, 'liqiang', generated);
    expect(new URL(newcomer.url()).pathname).toBe('/account');
    await newcomer.locator('[data-alert=must-change]').waitFor();
    expect(await newcomer.locator('header nav a').count()).toBe(0);
    // Every other page waits until the password is changed.
    await newcomer.goto(`${server.url}/qa`);
    expect(new URL(newcomer.url()).pathname).toBe('/account');
    const form = newcomer.locator('[data-section=password] form');
    await form.locator('input[name=current]').fill(generated);
    await form.locator('input[name=new]').fill('blue-river-7741');
    await form.locator('input[name=repeat]').fill('blue-river-7741');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => newcomer.locator('[data-section=password] .message.ok').count()).toBe(1);
    await expect.poll(() => newcomer.locator('[data-alert=must-change]').count()).toBe(0);
    await newcomer.goto(`${server.url}/qa`);
    expect(new URL(newcomer.url()).pathname).toBe('/qa');
    expect(await newcomer.locator('header nav a').allTextContents()).toContain('质检');
    await other.close();
    expect(newcomerCsp).toEqual([]);

    // The trail has the account's making, by the administrator, and its own password change.
    await page.goto(`${server.url}/admin/audit?target=user:liqiang`);
    const rows = await page.locator('[data-table=audit] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(2, 4).map((td) => td.textContent)));
    expect(rows).toEqual(expect.arrayContaining([['root', 'user.add'], ['liqiang', 'user.password_change']]));
  });

  it('no page visited broke the Content Security Policy', () => {
    expect(csp).toEqual([]);
  });
});
