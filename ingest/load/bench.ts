// Loader speed against a bare DuckDB read of the same calls file:
//   npx tsx ingest/load/bench.ts [rows=1000000]
// Prints the time of `CREATE TABLE t AS SELECT * FROM read_csv(file)` into a fresh database file,
// the time of `ingestFiles` on that file into a fresh warehouse, their ratio and rows/s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Warehouse } from '../../web/lib/server/warehouse.ts';
import { ingestFiles } from './index.ts';
import { repoRoot } from '../../web/lib/server/config.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-bench-'));
const file = path.join(dir, 'calls-bench.csv');

async function makeCalls(): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(
    `COPY (SELECT 'B' || lpad(i::VARCHAR, 10, '0') AS call_id, 'inbound' AS direction,
             CASE WHEN i % 10 = 0 THEN 'abandoned' ELSE 'answered' END AS disposition,
             CASE WHEN i % 3 = 0 THEN 'complaint' ELSE 'consult' END AS queue_id,
             CASE WHEN i % 10 = 0 THEN NULL ELSE ['1001', '1023', '1024', '1031'][i % 4 + 1] END AS agent_id,
             '138' || lpad((i * 7919 % 100000000)::VARCHAR, 8, '0') AS caller_number,
             strftime(TIMESTAMP '2026-01-01' + INTERVAL (i * 3) SECOND, '%Y-%m-%d %H:%M:%S') AS enqueued_at,
             CASE WHEN i % 10 = 0 THEN NULL ELSE strftime(TIMESTAMP '2026-01-01' + INTERVAL (i * 3 + 20) SECOND, '%Y-%m-%d %H:%M:%S') END AS answered_at,
             strftime(TIMESTAMP '2026-01-01' + INTERVAL (i * 3 + 200) SECOND, '%Y-%m-%d %H:%M:%S') AS ended_at,
             20 AS wait_s, CASE WHEN i % 10 = 0 THEN 0 ELSE 180 END AS talk_s, i % 7 AS hold_s, 15 AS wrap_s, NULL AS transferred_to,
             'B' || lpad(i::VARCHAR, 10, '0') || '.wav' AS recording, CASE WHEN i % 3 = 0 THEN i % 5 + 1 END AS survey_score, i % 4 <> 0 AS resolved
           FROM range(${rows}) t(i)) TO '${file}' (HEADER)`
  );
  conn.closeSync();
  db.closeSync();
}

async function bareReadCsv(): Promise<number> {
  const db = await DuckDBInstance.create(path.join(dir, 'bare.duckdb'));
  const conn = await db.connect();
  const t0 = performance.now();
  await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`);
  const ms = performance.now() - t0;
  conn.closeSync();
  db.closeSync();
  return ms;
}

async function loader(): Promise<number> {
  const w = await Warehouse.open(path.join(dir, 'w.duckdb'));
  const native = path.join(repoRoot, 'data/fixtures/ingest/native');
  await ingestFiles(w, [path.join(native, 'agents.csv'), path.join(native, 'queues.csv')]);
  const t0 = performance.now();
  const summary = await ingestFiles(w, [file]);
  const ms = performance.now() - t0;
  const f = summary.files[0];
  if (f.error || f.rowsLoaded !== rows) throw new Error(`loader did not load every row: ${JSON.stringify(f)}`);
  w.close();
  return ms;
}

try {
  await makeCalls();
  const size = fs.statSync(file).size;
  // Alternate to spread any noise from other work on the machine over both.
  const bare: number[] = [];
  const load: number[] = [];
  for (let i = 0; i < 5; i++) {
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.duckdb') || f.endsWith('.wal')) fs.rmSync(path.join(dir, f));
    bare.push(await bareReadCsv());
    load.push(await loader());
  }
  const best = (xs: number[]): number => Math.min(...xs);
  // Each pair ran back to back, so its ratio is the least disturbed by other work on the machine.
  const ratios = bare.map((b, i) => load[i] / b).sort((x, y) => x - y);
  console.log(`calls file: ${rows.toLocaleString('en')} rows, ${(size / 1e6).toFixed(0)} MB`);
  console.log(`bare read_csv (CREATE TABLE AS): ${best(bare).toFixed(0)} ms  (runs: ${bare.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`zhijian loader:                  ${best(load).toFixed(0)} ms  (runs: ${load.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`ratio loader / read_csv: best/best ${(best(load) / best(bare)).toFixed(2)}, per pair ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${ratios[Math.floor(ratios.length / 2)].toFixed(2)})`);
  console.log(`loader: ${Math.round(rows / (best(load) / 1000)).toLocaleString('en')} rows/s (best run)`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
