// Loading while the dashboard runs: DuckDB allows one writing process, so `zhijian ingest` and
// `zhijian sql` hand their work to the running server. Two loads run at once while the page's
// API is queried in a loop: no lock error, no failed request, every row lands exactly once.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { repoRoot, startServer, type RunningServer } from './e2e/harness.ts';
import { addAccount, sessionCookie } from './auth-fixture.ts';

const run = promisify(execFile);
const built = fs.existsSync(path.join(repoRoot, 'build', 'handler.js'));
const cli = (db: string, ...args: string[]) => run(process.execPath, ['bin/zhijian.js', '--db', db, ...args], { cwd: repoRoot });

describe.skipIf(!built)('ingest while the server runs', () => {
  let dir: string;
  let db: string;
  let exportDir: string;
  let server: RunningServer;
  let manifest: { files: { path: string; rows: number }[] };
  /** A signed-in manager's cookie: the dashboard's requests are theirs. */
  let cookie: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-serving-'));
    db = path.join(dir, 'w.duckdb');
    exportDir = path.join(dir, 'export');
    await cli(db, 'generate', '--out', exportDir, '--agents', '10', '--days', '21', '--seed', '5');
    manifest = JSON.parse(fs.readFileSync(path.join(exportDir, 'MANIFEST.json'), 'utf8'));
    // Dimensions first, directly (no server yet), so the two concurrent loads below only add facts.
    await cli(db, 'ingest', '--no-progress', path.join(exportDir, 'agents.csv'), path.join(exportDir, 'queues.csv'));
    const w = await Warehouse.open(db);
    await addAccount(w, 'manager');
    w.close();
    server = await startServer(db);
    cookie = await sessionCookie(server.url, 'test-manager');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hands both loads to the server while the API keeps answering', async () => {
    let stop = false;
    const failures: string[] = [];
    let requests = 0;
    const reader = (async () => {
      while (!stop) {
        for (const url of ['/api/health', '/api/metrics/calls_per_day?from=2026-10-01&to=2026-10-31', '/']) {
          try {
            const res = await fetch(server.url + url, { headers: { cookie } });
            requests++;
            if (!res.ok) failures.push(`${url}: ${res.status} ${await res.text()}`);
            else await res.arrayBuffer();
          } catch (err) {
            failures.push(`${url}: ${(err as Error).message}`);
          }
        }
      }
    })();
    let calls, tickets, counted;
    try {
      [calls, tickets] = await Promise.all([
        cli(db, 'ingest', '--no-progress', path.join(exportDir, 'calls')),
        cli(db, 'ingest', '--no-progress', path.join(exportDir, 'tickets.csv'), path.join(exportDir, 'ticket_events.jsonl'))
      ]);
      // A query from the CLI goes through the server too (the file is locked by it).
      ({ stdout: counted } = await cli(db, 'sql', '--format', 'json', 'select count(*)::INTEGER AS n from calls'));
    } finally {
      stop = true;
      await reader;
    }

    expect(calls.stderr).toMatch(/handing the load to the server/);
    expect(tickets.stderr).toMatch(/handing the load to the server/);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(3);
    const expectedCalls = manifest.files.filter((f) => f.path.startsWith('calls/')).reduce((n, f) => n + f.rows, 0);
    expect(JSON.parse(counted)[0].n).toBe(expectedCalls);
  });

  it('leaves every row exactly once after the server stops', async () => {
    await server.stop();
    const w = await Warehouse.open(db, { readOnly: true });
    const rows = (f: string) => manifest.files.find((x) => x.path === f)!.rows;
    const counts = await w.rowCounts();
    w.close();
    expect(counts.tickets).toBe(rows('tickets.csv'));
    expect(counts.ticket_events).toBe(rows('ticket_events.jsonl'));
    expect(counts.rejects).toBe(0);
  });
});
