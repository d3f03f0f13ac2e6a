// The demo path of the quick start, without the server: `zhijian demo --no-serve` generates and
// loads a demo center; running it again (or loading the same export again) changes nothing; and
// `zhijian sql` answers on the result.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { checkSignIn, listUsers } from '../web/lib/server/auth/users.ts';
import { DEMO_PASSWORD } from '../web/lib/server/commands/demo.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const cli = (...args: string[]) => run(process.execPath, ['bin/zhijian.js', ...args], { cwd: repoRoot });

describe('zhijian demo', () => {
  let dir: string;
  let db: string;
  let exportDir: string;
  let manifest: { files: { path: string; rows: number }[] };

  async function counts(): Promise<Record<string, number>> {
    const w = await Warehouse.open(db, { readOnly: true });
    try {
      return await w.rowCounts();
    } finally {
      w.close();
    }
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-demo-'));
    db = path.join(dir, 'demo.duckdb');
    exportDir = path.join(dir, 'export');
    await cli('--db', db, 'demo', '--no-serve', '--agents', '10', '--days', '14', '--dir', exportDir);
    manifest = JSON.parse(fs.readFileSync(path.join(exportDir, 'MANIFEST.json'), 'utf8'));
  }, 120_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads every row of every demo file', async () => {
    const c = await counts();
    const rows = (prefix: string) => manifest.files.filter((f) => f.path.startsWith(prefix)).reduce((n, f) => n + f.rows, 0);
    expect(c.calls).toBe(rows('calls/'));
    expect(c.tickets).toBe(rows('tickets'));
    expect(c.ticket_events).toBe(rows('ticket_events'));
    expect(c.shifts).toBe(rows('shifts'));
    expect(c.attendance).toBe(rows('attendance/'));
    expect(c.agents).toBe(rows('agents'));
    expect(c.utterances).toBeGreaterThan(100);
    expect(c.rejects).toBe(0);
  });

  it('leaves identical row counts when run again or when the files are loaded again', async () => {
    const before = await counts();
    await cli('--db', db, 'demo', '--no-serve', '--dir', exportDir);
    const { stdout } = await cli('--db', db, 'ingest', '--no-progress', exportDir);
    expect(stdout).toMatch(/skipped \(already loaded\)/);
    expect(stdout).not.toMatch(/\bok\b/);
    expect(await counts()).toEqual(before);
  });

  it('gives the QA team a first draw and auto-QA results for every transcribed call', async () => {
    const w = await Warehouse.open(db, { readOnly: true });
    try {
      const qa = await w.one<{ draws: number; drawn: number; transcribed: number; checked: number }>(`
        SELECT (SELECT count(*) FROM qa_samples) AS draws,
               (SELECT count(*) FROM qa_sample_calls) AS drawn,
               (SELECT count(DISTINCT call_id) FROM utterances) AS transcribed,
               (SELECT count(DISTINCT call_id) FROM qa_auto_results) AS checked`);
      expect(qa!.draws).toBe(1);
      expect(qa!.drawn).toBeGreaterThan(0);
      expect(qa!.checked).toBe(qa!.transcribed);
    } finally {
      w.close();
    }
  });

  it('makes one account per role; the reviewers own the draw and the agent has calls in it', async () => {
    const w = await Warehouse.open(db);
    try {
      const users = await listUsers(w);
      expect(users.map((u) => [u.username, u.role]).sort()).toEqual([
        ['admin', 'admin'], ['agent', 'agent'], ['analyst', 'analyst'], ['callback', 'callback'], ['liqiang', 'reviewer'], ['manager', 'manager'], ['wangfang', 'reviewer']
      ]);
      for (const u of users) expect((await checkSignIn(w, u.username, DEMO_PASSWORD)).ok).toBe(true);
      const agent = users.find((u) => u.role === 'agent')!;
      const mine = await w.one<{ n: number; reviewers: string[] }>(
        `SELECT count(*) FILTER (WHERE agent_id = $a) AS n, list(DISTINCT reviewer ORDER BY reviewer) AS reviewers FROM qa_sample_calls`, { a: agent.agent_id });
      expect(mine!.n).toBeGreaterThan(0);
      expect(mine!.reviewers).toEqual(['liqiang', 'wangfang']);
    } finally {
      w.close();
    }
  });

  it('answers zhijian sql on the demo warehouse', async () => {
    const { stdout } = await cli('--db', db, 'sql', 'select count(*) from calls');
    const total = manifest.files.filter((f) => f.path.startsWith('calls/')).reduce((n, f) => n + f.rows, 0);
    expect(stdout).toContain(String(total));
    const json = await cli('--db', db, 'sql', '--format', 'json', "select count(*)::INTEGER AS n from agents where name <> ''");
    expect(JSON.parse(json.stdout)).toEqual([{ n: manifest.files.find((f) => f.path === 'agents.csv')!.rows }]);
  });

  it('explains a bad query in one line and exits non-zero', async () => {
    const err = await cli('--db', db, 'sql', 'select nope from calls').catch((e) => e);
    expect(err.code).toBeGreaterThan(0);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/^zhijian: .*nope/);
  });
});
