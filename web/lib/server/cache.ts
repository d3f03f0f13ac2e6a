// Results of named queries, kept until a table they read is written. An entry is keyed by the
// query (a name) and its bound parameters; it remembers the table versions it started from and the
// names its statements read (table-versions.ts), and a request after a commit that wrote one of
// those tables computes afresh, so no result from before such a write is served after it. Requests
// for the same key at the same time share one run. At most `maxEntries` results are kept, the least
// recently used go first.
// Results not in the cache are computed at most `computing` at a time: a dozen heavy metrics given
// to DuckDB at once would queue every other request (a reviewer's form, an analyst's query)
// behind all of their work; held here, they wait their turn instead and the rest go through.
import os from 'node:os';
import type { Warehouse } from './warehouse.ts';
import { Gate } from './gate.ts';
import { noteNames, trackReads, type Version } from './table-versions.ts';

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
}

interface Entry {
  result: Promise<unknown>;
  /** The table versions when the computation was asked for. */
  version: Version;
  /** The names its statements read; null until it finishes. */
  reads: Set<string> | null;
}

export class ResultCache {
  /** Insertion order is use order: a hit moves its entry to the end. */
  private entries = new Map<string, Entry>();
  readonly stats: CacheStats = { hits: 0, misses: 0, entries: 0 };

  private gate: Gate;

  /** computing: results computed at once at most (default: the machine's cores, at least 2). */
  constructor(readonly maxEntries = 256, computing = Math.max(2, os.availableParallelism())) {
    this.gate = new Gate(computing);
  }

  /** The result for (name, params) as of the warehouse's current data, computed when absent or
   *  stale. The result is shared between callers: treat it as read-only. */
  async get<T>(warehouse: Warehouse, name: string, params: unknown, compute: () => Promise<T>, options: { light?: boolean } = {}): Promise<T> {
    const key = `${name}\u0000${stableJson(params)}`;
    await warehouse.knowViews();
    let entry = this.entries.get(key);
    // Still computing while something was written: whether that concerns it is known once it ends
    // (what it read is known then), so wait for it rather than compute the same thing twice.
    while (entry && entry.reads === null && warehouse.versions.changedSince(entry.version, null)) {
      await entry.result.catch(() => undefined);
      entry = this.entries.get(key);
    }
    // Stale: a table it read was written since it began.
    if (entry && warehouse.versions.changedSince(entry.version, entry.reads)) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (entry) {
      this.stats.hits++;
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      this.stats.misses++;
      entry = this.start(warehouse, key, compute, options.light ?? false);
    }
    const value = (await entry.result) as T;
    // A computation that uses this result read what it read.
    noteNames(entry.reads!);
    return value;
  }

  private start(warehouse: Warehouse, key: string, compute: () => Promise<unknown>, light: boolean): Entry {
    const entry: Entry = { result: Promise.resolve(), version: warehouse.versions.now(), reads: null };
    const tracked = async () => {
      const { value, reads } = await trackReads(compute);
      entry.reads = reads;
      return value;
    };
    // A light query (a few milliseconds) does not wait behind the heavy ones.
    entry.result = light ? tracked() : this.gate.run(tracked);
    this.entries.set(key, entry);
    // A failed run is not kept: the next request tries again.
    entry.result.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.stats.entries = this.entries.size;
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** JSON with object keys sorted, so that {a, b} and {b, a} are one key. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x
  );
}

const caches = new WeakMap<Warehouse, ResultCache>();

/** The cache of this warehouse's named query results (one per opened warehouse). */
export function resultCache(warehouse: Warehouse): ResultCache {
  let cache = caches.get(warehouse);
  if (!cache) caches.set(warehouse, (cache = new ResultCache()));
  return cache;
}
