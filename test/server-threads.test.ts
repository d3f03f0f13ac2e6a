// The server's DuckDB threads (config.ts serverThreads): --threads, else ZHIJIAN_THREADS, else half
// the cores, never fewer than one; the warehouse is opened with them.
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { serverThreads } from '../web/lib/server/config.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';

const saved = process.env.ZHIJIAN_THREADS;
afterEach(() => {
  if (saved === undefined) delete process.env.ZHIJIAN_THREADS;
  else process.env.ZHIJIAN_THREADS = saved;
});

describe('server threads', () => {
  it('take the option, else ZHIJIAN_THREADS, else half the cores (at least one)', () => {
    delete process.env.ZHIJIAN_THREADS;
    expect(serverThreads()).toBe(Math.max(1, Math.floor(os.availableParallelism() / 2)));
    process.env.ZHIJIAN_THREADS = '3';
    expect(serverThreads()).toBe(3);
    expect(serverThreads(5)).toBe(5);
    process.env.ZHIJIAN_THREADS = 'many';
    expect(() => serverThreads()).toThrow(/ZHIJIAN_THREADS must be a whole number of threads, not "many"/);
  });

  it('are the warehouse instance’s', async () => {
    for (const threads of [1, 3]) {
      const warehouse = await Warehouse.open(':memory:', { threads });
      try {
        expect(await warehouse.one(`SELECT current_setting('threads') AS n`)).toEqual({ n: threads });
      } finally {
        warehouse.close();
      }
    }
  });
});
