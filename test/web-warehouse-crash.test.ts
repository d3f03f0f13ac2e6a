// The server is the warehouse's writer; if it dies without closing (kill -9, a dev server
// stopped hard), the next start must still open the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
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
