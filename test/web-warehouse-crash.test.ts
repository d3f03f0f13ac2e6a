// The server is the warehouse's writer; if it dies without closing (kill -9, a dev server
// stopped hard), the next start must still open the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../web/lib/server/config.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-crash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('a warehouse whose writer was killed opens again, with its committed rows', async () => {
  const db = path.join(dir, 'w.duckdb');
  const writer = `
    const { Warehouse } = await import('./web/lib/server/warehouse.ts');
    const w = await Warehouse.open(process.argv[1]);
    await w.run("INSERT INTO queues (queue_id, name) VALUES ('q' || (SELECT count(*) FROM queues), '队列')");
    process.kill(process.pid, 'SIGKILL');
  `;
  for (let i = 0; i < 2; i++) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer, '--', db], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.signal, run.stderr).toBe('SIGKILL');
  }
  const warehouse = await Warehouse.open(db);
  try {
    expect((await warehouse.rowCounts()).queues).toBe(2);
  } finally {
    warehouse.close();
  }
});

// Found by bench/faults.ts: a writer killed while the schema was being applied (a new warehouse,
// or a schema change) left COMMENT ON in the WAL, which DuckDB 1.5 cannot replay — the file never
// opened again. New warehouses are now built under a temporary name and renamed into place.
it('a process killed at any moment while creating a warehouse leaves no file or one that opens', async () => {
  const opener = `
    const { Warehouse } = await import('./web/lib/server/warehouse.ts');
    const w = await Warehouse.open(process.argv[1]);
    w.close();
  `;
  for (const delay of [150, 300, 450, 600, 750, 900, 1200]) {
    const db = path.join(dir, `new-${delay}.duckdb`);
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', opener, '--', db], { cwd: repoRoot, stdio: 'ignore' });
    const closed = new Promise((r) => child.once('close', r));
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await closed;
    if (!fs.existsSync(db)) continue; // killed before the rename: nothing half-made is left
    const warehouse = await Warehouse.open(db);
    try {
      expect((await warehouse.rowCounts()).calls).toBe(0);
    } finally {
      warehouse.close();
    }
  }
  // The next open of a name whose creation was killed simply creates it.
  const again = await Warehouse.open(path.join(dir, 'new-150.duckdb'));
  again.close();
}, 60_000);

it('does not apply an unchanged schema again when a warehouse opens', async () => {
  const db = path.join(dir, 'reopen.duckdb');
  (await Warehouse.open(db)).close();
  const w = await Warehouse.open(db);
  try {
    const hash = await w.one<{ value: string }>(`SELECT value FROM settings WHERE key = 'schema_sha256'`);
    expect(hash?.value).toMatch(/^[0-9a-f]{64}$/);
    // Nothing was written by the second open: the WAL is empty.
    expect(fs.existsSync(`${db}.wal`) ? fs.statSync(`${db}.wal`).size : 0).toBe(0);
  } finally {
    w.close();
  }
});
