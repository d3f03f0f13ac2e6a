// The server process's one warehouse, opened read-write at start (it is the only writer while
// it runs; the CLI hands it work, see handoff.ts). Kept on globalThis so that Vite's hot
// reloads, which re-evaluate modules, do not try to open the same file a second time.
import { resolveDbPath, serverThreads } from './config.ts';
import { Warehouse } from './warehouse.ts';

const KEY = Symbol.for('zhijian.warehouse');
type Holder = { [KEY]?: Promise<Warehouse> };

/** The warehouse at ZHIJIAN_DB (else data/zhijian.duckdb), opened once per process, with the
 *  server's DuckDB threads (config.ts serverThreads). */
export function getWarehouse(): Promise<Warehouse> {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    holder[KEY] = Warehouse.open(resolveDbPath(), { threads: serverThreads() });
    // A failed open (locked file, bad path) is not cached: the next request tries again.
    holder[KEY].catch(() => {
      delete holder[KEY];
    });
  }
  return holder[KEY];
}

/** Closes the process's warehouse, if one was opened (server shutdown). */
export async function closeWarehouse(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) (await pending.catch(() => null))?.close();
}

/** Makes an already open warehouse the process's one (tests that call page loads in process). */
export function setWarehouse(warehouse: Warehouse): void {
  (globalThis as Holder)[KEY] = Promise.resolve(warehouse);
}
