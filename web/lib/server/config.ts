// Where the warehouse lives and which time zone the center runs on.
// Precedence everywhere: explicit option > environment variable > default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is web/lib/server/config.ts, or bundled under build/). */
export const repoRoot = findRepoRoot();

function findRepoRoot(): string {
  if (process.env.ZHIJIAN_HOME) return path.resolve(process.env.ZHIJIAN_HOME);
  // Works from the source tree and from the adapter-node bundle alike: walk up to package.json's folder.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'queries', 'schema'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** The center's time zone when neither ZHIJIAN_TZ nor the warehouse names one (see Warehouse.open). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function defaultDbPath(): string {
  return path.join(repoRoot, 'data', 'zhijian.duckdb');
}

/** --db PATH, else ZHIJIAN_DB, else data/zhijian.duckdb. */
export function resolveDbPath(option?: string): string {
  const chosen = option ?? process.env.ZHIJIAN_DB ?? defaultDbPath();
  return path.resolve(chosen);
}

/**
 * DuckDB worker threads for the server's warehouse: --threads, else ZHIJIAN_THREADS, else half the
 * cores (at least one). A server runs many users' queries at once, so they already use the cores
 * side by side; splitting each small query across every core costs more in coordination than it
 * gains (bench/load.ts on 2 cores: with one thread per query the server answered 10% more
 * requests with a lower p99, and the ingest beside them finished sooner). Commands run alone
 * (ingest, sql) keep one thread per core.
 */
export function serverThreads(option?: number): number {
  const chosen = option ?? (process.env.ZHIJIAN_THREADS ? Number(process.env.ZHIJIAN_THREADS) : Math.floor(os.availableParallelism() / 2));
  if (!Number.isInteger(chosen) || chosen < 0) throw new Error(`ZHIJIAN_THREADS must be a whole number of threads, not "${process.env.ZHIJIAN_THREADS}"`);
  return Math.max(1, chosen);
}

/** Where call recordings live: ZHIJIAN_RECORDINGS, else data/recordings (calls.recording is relative to it). */
export function resolveRecordingsDir(option?: string): string {
  return path.resolve(option ?? process.env.ZHIJIAN_RECORDINGS ?? path.join(repoRoot, 'data', 'recordings'));
}
