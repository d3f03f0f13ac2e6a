// `zhijian serve` on the built app (npm run build first; CI does): the first page renders on the
// server, for a signed-in manager, with the warehouse's figures, in the language of the cookie,
// and the API is mounted.
// The server runs in a child process, as it does for users (the bundle's Svelte runtime must
// not go through vitest's module transform).
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../web/lib/server/config.ts';
import { findServer, serverFile } from '../web/lib/server/handoff.ts';
import { fixtureWarehouse } from './api-fixture.ts';
import { addAccount, sessionCookie } from './auth-fixture.ts';

let dir: string;
let dbPath: string;
let child: ChildProcess;
let server: { url: string };
/** A manager's session cookie. */
let session: string;

/** `zhijian --db <db> serve --port 0`, with only the serve command registered. */
const ENTRY = `
  const { Command } = await import('commander');
  const { registerServe } = await import('./web/lib/server/commands/serve.ts');
  const program = new Command('zhijian').option('--db <path>');
  registerServe(program);
  await program.parseAsync(process.argv.slice(1), { from: 'user' });
`;

beforeAll(async () => {
  if (!fs.existsSync(path.join(repoRoot, 'build', 'handler.js'))) throw new Error('run "npm run build" before this test');
  const { warehouse, dir: d } = await fixtureWarehouse();
  dir = d;
  dbPath = warehouse.path;
  await addAccount(warehouse, 'manager');
  warehouse.close();
  child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ENTRY, '--', '--db', dbPath, 'serve', '--port', '0', '--threads', '1'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit']
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  server = await new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const url = /at (http:\/\/\S+\/)/.exec(out)?.[1];
      if (url) resolve({ url });
    });
    child.once('exit', (code) => reject(new Error(`zhijian serve exited (${code}): ${out}`)));
  });
  session = await sessionCookie(server.url.replace(/\/$/, ''), 'test-manager');
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const page = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(new URL(url, server.url), { headers: { ...headers, cookie: [session, headers.cookie].filter(Boolean).join('; ') } });
  return { status: res.status, html: await res.text() };
};

describe('zhijian serve', () => {
  it('advertises itself for the CLI while it runs', async () => {
    expect(fs.existsSync(serverFile(dbPath))).toBe(true);
    expect((await findServer(dbPath))?.url).toBe(server.url.replace(/\/$/, ''));
  });

  it('renders the overview in Chinese by default, with the figures and their formulas', async () => {
    const { status, html } = await page('/?from=2026-07-01&to=2026-07-03');
    expect(status).toBe(200);
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain('呼入电话概览');
    expect(html).toMatch(/data-metric="calls_offered"[\s\S]*?class="value">6</);
    expect(html).toMatch(/data-metric="service_level"[\s\S]*?class="value">33\.3%</);
    expect(html).toContain('放弃的电话计入分母');
  });

  it('follows the language cookie, then Accept-Language', async () => {
    expect((await page('/', { cookie: 'lang=en', 'accept-language': 'zh-CN' })).html).toContain('Inbound calls at a glance');
    const en = await page('/?from=2026-07-01&to=2026-07-03', { 'accept-language': 'en-GB,en;q=0.8' });
    expect(en.html).toContain('<html lang="en"');
    expect(en.html).toMatch(/data-metric="satisfaction"[\s\S]*?class="value">50\.0%</);
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const res = await fetch(new URL('/?from=2026-07-01', server.url), { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2F%3Ffrom%3D2026-07-01');
  });

  it('answers a bad range with a 400 page, and serves the API in the same process', async () => {
    expect((await page('/?from=yesterday')).status).toBe(400);
    const health = await (await fetch(new URL('/api/health', server.url))).json();
    expect(health).toMatchObject({ db: path.basename(dbPath), rows: { calls: 8 } });
  });

  it('removes its server file when stopped with SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(fs.existsSync(serverFile(dbPath))).toBe(false);
  });
});
