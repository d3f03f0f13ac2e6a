// `zhijian user …` as people run it (a child process, the password on standard input), on the
// warehouse file and through a running server; and the first start of `zhijian serve`, which
// makes the administrator and prints how to sign in.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { listAudit } from '../web/lib/server/auth/audit.ts';
import { repoRoot } from '../web/lib/server/config.ts';
import { browserAvailable } from './e2e/harness.ts';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-user-'));
  dbPath = path.join(dir, 'w.duckdb');
  const w = await Warehouse.open(dbPath);
  await w.run(`INSERT INTO teams (team_id, name) VALUES ('T01', '一组'); INSERT INTO agents (agent_id, name, team_id, role) VALUES ('1001', '张伟', 'T01', 'agent')`);
  w.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function zhijian(args: string[], input = '') {
  const r = spawnSync(process.execPath, ['bin/zhijian.js', '--db', dbPath, ...args], { cwd: repoRoot, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function audit() {
  const w = await Warehouse.open(dbPath, { readOnly: true });
  try {
    return await listAudit(w);
  } finally {
    w.close();
  }
}

describe('zhijian user on the warehouse file', () => {
  it('adds accounts with the password from standard input, and lists them', () => {
    expect(zhijian(['user', 'add', 'wangfang', '--role', 'reviewer', '--name', '王芳'], 'a-long-password-1\n')).toMatchObject({ code: 0, out: 'zhijian: added wangfang (reviewer)\n' });
    expect(zhijian(['user', 'add', 'zhangwei', '--role', 'agent', '--agent', '1001'], 'another-password-2\n').code).toBe(0);
    const list = zhijian(['user', 'list']);
    expect(list.out).toContain('wangfang\treviewer\t王芳');
    expect(list.out).toContain('zhangwei\tagent\tzhangwei\t(工号 1001)');
  });

  it('refuses with one clear line: short password, unknown agent, missing role, duplicate, no password', () => {
    const cases: Array<[string[], string, RegExp]> = [
      [['user', 'add', 'x1', '--role', 'analyst'], 'short\n', /^zhijian: a password needs at least 10 characters\n$/],
      [['user', 'add', 'x2', '--role', 'agent', '--agent', '9999'], 'long-enough-pass\n', /no agent with 工号 9999/],
      [['user', 'add', 'x3'], 'long-enough-pass\n', /required option '--role <role>' not specified/],
      [['user', 'add', 'wangfang', '--role', 'reviewer'], 'long-enough-pass\n', /the account wangfang already exists/],
      [['user', 'add', 'x4', '--role', 'reviewer'], '', /no password on standard input/]
    ];
    for (const [args, input, message] of cases) {
      const r = zhijian(args, input);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err).toMatch(message);
    }
    expect(zhijian(['user', 'list']).out).not.toMatch(/^x\d/m);
  });

  it('changes, disables and resets; each change is audited as the command line’s user', async () => {
    expect(zhijian(['user', 'set', 'wangfang', '--teams', 'T01']).code).toBe(0);
    expect(zhijian(['user', 'set', 'wangfang', '--disable']).out).toContain('disabled');
    expect(zhijian(['user', 'password', 'wangfang', '--must-change'], 'reset-password-3\n').code).toBe(0);
    const trail = (await audit()).filter((r) => r.target === 'user:wangfang');
    const me = `cli:${os.userInfo().username}`;
    expect(trail.map((r) => [r.actor, r.action])).toEqual([
      [me, 'user.password_reset'],
      [me, 'user.update'],
      [me, 'user.update'],
      [me, 'user.add']
    ]);
  });
});

describe.skipIf(!browserAvailable())('zhijian serve and zhijian user while it runs', () => {
  let child: ReturnType<typeof spawn>;
  let output = '';
  let url = '';
  const fresh = () => path.join(dir, 'fresh.duckdb');

  beforeAll(async () => {
    child = spawn(process.execPath, ['bin/zhijian.js', '--db', fresh(), 'serve', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    while (!/with the password \S+/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    url = /at (http:\/\/\S+?)\/? \(/.exec(output)?.[1] ?? '';
  }, 90_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
  });

  const signIn = (username: string, password: string) =>
    fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

  it('the first start makes the administrator and prints its password once; it must be changed first', async () => {
    const password = /with the password (\S+)/.exec(output)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const res = await signIn('admin', password!);
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ role: 'admin', must_change_password: true });
    const cookie = /^[^;]+/.exec(res.headers.get('set-cookie')!)![0];
    expect((await fetch(`${url}/api/users`, { headers: { cookie } })).status).toBe(403); // not before changing it
    const page = await fetch(`${url}/admin`, { headers: { cookie }, redirect: 'manual' });
    expect(page.headers.get('location')).toBe('/account');
    const changed = await fetch(`${url}/api/session/password`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ current: password, password: 'a-secret-of-my-own-1' }) });
    expect(changed.status).toBe(200);
    expect((await fetch(`${url}/api/users`, { headers: { cookie } })).status).toBe(200);
  });

  it('zhijian user hands its work to the server, and the new account signs in at once', async () => {
    const r = spawnSync(process.execPath, ['bin/zhijian.js', '--db', fresh(), 'user', 'add', 'chensi', '--role', 'analyst'], { cwd: repoRoot, input: 'analyst-password-4\n', encoding: 'utf8' });
    expect(r.stdout).toBe('zhijian: added chensi (analyst)\n');
    expect((await signIn('chensi', 'analyst-password-4')).status).toBe(200);
    // Other commands that hand work over (here auto-QA) sign in with the server's token as the command line's user.
    const auto = spawnSync(process.execPath, ['bin/zhijian.js', '--db', fresh(), 'qa', 'auto'], { cwd: repoRoot, encoding: 'utf8' });
    expect({ code: auto.status, err: auto.stderr }).toEqual({ code: 0, err: '' });
  });

  it('serves pages with a Content Security Policy and the security headers, and refuses cross-site form posts', async () => {
    const page = await fetch(`${url}/login`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${url}/api/health`)).headers.get('x-content-type-options')).toBe('nosniff');
    // Another site's form posting to the API with the user's cookie: refused before it gets in.
    const forged = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, body: 'username=admin&password=x' });
    expect(forged.status).toBe(403);
  });
});
