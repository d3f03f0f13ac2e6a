// The command in a child process. A file is one transaction: killing the loader at any moment leaves the warehouse as it was
// before the file it was loading, and a rerun finishes the job with exactly the rows an
// uninterrupted run produces.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Warehouse } from '../web/lib/server/warehouse.ts';

const fixtures = path.resolve('data/fixtures/ingest');
const cli = path.resolve('bin/zhijian.js');
let dir: string;
let input: string;

/** Three months of calls, big enough that loading them takes a few seconds. */
async function makeInput(folder: string): Promise<void> {
  fs.mkdirSync(path.join(folder, 'calls'), { recursive: true });
  for (const f of ['agents.csv', 'queues.csv']) fs.copyFileSync(path.join(fixtures, 'native', f), path.join(folder, f));
  fs.copyFileSync(path.join(fixtures, 'calls-mixed.csv'), path.join(folder, 'calls', 'calls-mixed.csv'));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  for (const [month, n] of [['07', 60_000], ['08', 60_000], ['09', 60_000]] as const) {
    const file = path.join(folder, 'calls', `calls-2026-${month}.csv`);
    await conn.run(
      `COPY (SELECT 'K${month}-' || lpad(i::VARCHAR, 7, '0') AS call_id, 'inbound' AS direction,
               CASE WHEN i % 10 = 0 THEN 'abandoned' ELSE 'answered' END AS disposition, 'consult' AS queue_id,
               CASE WHEN i % 10 = 0 THEN NULL WHEN i % 2 = 0 THEN '1023' ELSE '1024' END AS agent_id,
               '138' || lpad((i * 7919 % 100000000)::VARCHAR, 8, '0') AS caller_number,
               strftime(TIMESTAMP '2026-${month}-01' + INTERVAL (i * 10) SECOND, '%Y-%m-%d %H:%M:%S') AS enqueued_at,
               CASE WHEN i % 10 = 0 THEN NULL ELSE strftime(TIMESTAMP '2026-${month}-01' + INTERVAL (i * 10 + 20) SECOND, '%Y-%m-%d %H:%M:%S') END AS answered_at,
               strftime(TIMESTAMP '2026-${month}-01' + INTERVAL (i * 10 + 200) SECOND, '%Y-%m-%d %H:%M:%S') AS ended_at,
               20 AS wait_s, CASE WHEN i % 10 = 0 THEN 0 ELSE 180 END AS talk_s, 0 AS hold_s, 15 AS wrap_s, NULL AS transferred_to,
               NULL AS recording, CASE WHEN i % 3 = 0 THEN i % 5 + 1 END AS survey_score, i % 4 <> 0 AS resolved
             FROM range(${n}) t(i)) TO '${file}' (HEADER)`
    );
  }
  conn.closeSync();
  db.closeSync();
}

/** Every table's rows, in a fixed order, without the ingest ids and load times that differ between runs. */
async function snapshot(dbPath: string): Promise<Record<string, string[]>> {
  const w = await Warehouse.open(dbPath, { readOnly: true });
  try {
    const tables = await w.all<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY 1`);
    const out: Record<string, string[]> = {};
    for (const { t } of tables) {
      const cols = await w.all<{ c: string }>(`SELECT column_name AS c FROM duckdb_columns() WHERE table_name = $t AND schema_name = 'main' AND database_name = current_database() ORDER BY column_index`, { t });
      const keep = cols.map((c) => c.c).filter((c) => !['ingest_id', 'started_at', 'finished_at', 'created_at'].includes(c));
      const rows = await w.all<{ r: string }>(`SELECT CAST(to_json(x) AS VARCHAR) AS r FROM (SELECT ${keep.map((c) => `"${c}"`).join(', ')} FROM "${t}") x ORDER BY r`);
      out[t] = rows.map((r) => r.r);
    }
    return out;
  } finally {
    w.close();
  }
}

function ingest(db: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, '--db', db, 'ingest', input], { encoding: 'utf8', env: { ...process.env, ZHIJIAN_TZ: 'Asia/Shanghai' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-kill-'));
  input = path.join(dir, 'exports');
  await makeInput(input);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('zhijian ingest, the command', () => {
  it('a rerun after SIGKILL ends with exactly the rows of an uninterrupted run', async () => {
    const clean = path.join(dir, 'clean.duckdb');
    const first = ingest(clean);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('calls-2026-09.csv');

    // Kill as soon as the first calls file has committed (the loader reports each file on
    // stderr as it commits), while the other calls files are still loading.
    const killed = path.join(dir, 'killed.duckdb');
    const child = spawn(process.execPath, [cli, '--db', killed, 'ingest', input], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ZHIJIAN_TZ: 'Asia/Shanghai' } });
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/calls-2026-07\.csv: calls loaded/.test(stderr)) child.kill('SIGKILL');
    });
    expect(await exit).toBe('SIGKILL');
    expect(stderr).not.toContain('calls-2026-09.csv');

    // What the killed run left: whole files only. Every row belongs to a logged ingest, and
    // every logged ingest has all of its rows and rejects.
    const partial = await snapshot(killed);
    expect(partial.calls.length).toBeLessThan((await snapshot(clean)).calls.length);
    const w = await Warehouse.open(killed, { readOnly: true });
    try {
      const torn = await w.all(
        `SELECT l.ingest_id FROM ingest_log l
           LEFT JOIN (SELECT ingest_id, count(*) AS n FROM calls GROUP BY 1) c USING (ingest_id)
           LEFT JOIN (SELECT ingest_id, count(*) AS n FROM rejects GROUP BY 1) r USING (ingest_id)
         WHERE (l.kind = 'calls' AND coalesce(c.n, 0) <> l.rows_loaded) OR coalesce(r.n, 0) <> l.rows_rejected`
      );
      expect(torn).toEqual([]);
      const orphans = await w.one<{ n: number }>(
        `SELECT (SELECT count(*) FROM calls WHERE ingest_id NOT IN (SELECT ingest_id FROM ingest_log))
              + (SELECT count(*) FROM rejects WHERE ingest_id NOT IN (SELECT ingest_id FROM ingest_log)) AS n`
      );
      expect(orphans?.n).toBe(0);
    } finally {
      w.close();
    }

    const rerun = ingest(killed);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(await snapshot(killed)).toEqual(await snapshot(clean));
  });

  it('exits 1 and names the file when a file cannot be loaded, after loading the others', () => {
    const db = path.join(dir, 'cli.duckdb');
    const odd = path.join(dir, 'odd.csv');
    fs.writeFileSync(odd, 'x,y\n1,2\n');
    const r = spawnSync(process.execPath, [cli, '--db', db, 'ingest', odd, path.join(fixtures, 'native/queues.csv')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/odd\.csv: cannot tell what kind of file this is: saw the header "x,y"/);
    expect(r.stdout).toMatch(/queues\.csv\s+queues\s+native-queues\s+2\s+2\s+0\s+0\s+ok/);
  });
});
