// Results of named queries kept until the warehouse's data changes. An entry is keyed by the query
// (a name), its bound parameters and the warehouse's data generation, which moves on every commit
// (warehouse.ts), so no result from before a commit is served after it. Requests for the same key at
// the same time share one run. At most `maxEntries` results are kept, the least recently used go first.
// Results not in the cache are computed at most `computing` at a time: a dozen heavy metrics given
// to DuckDB at once would queue every other request (a reviewer's form, an analyst's query)
// behind all of their work; held here, they wait their turn instead and the rest go through.
import os from 'node:os';
import type { Warehouse } from './warehouse.ts';
import { Gate } from './gate.ts';

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
}

export class ResultCache {
  /** Insertion order is use order: a hit moves its entry to the end. */
  private entries = new Map<string, Promise<unknown>>();
  private generation = -1;
  readonly stats: CacheStats = { hits: 0, misses: 0, entries: 0 };

  private gate: Gate;

  /** computing: results computed at once at most (default: the machine's cores, at least 2). */
  constructor(readonly maxEntries = 256, computing = Math.max(2, os.availableParallelism())) {
    this.gate = new Gate(computing);
  }

  /** The result for (name, params) at the warehouse's current generation, computed when absent.
   *  The result is shared between callers: treat it as read-only. */
  async get<T>(warehouse: Warehouse, name: string, params: unknown, compute: () => Promise<T>, options: { light?: boolean; readsSide?: boolean } = {}): Promise<T> {
    // A light query (a few milliseconds) does not wait behind the heavy ones.
    const run = options.light ? compute : () => this.gate.run(compute);
    const generation = warehouse.generation;
    if (generation !== this.generation) {
      // Everything kept is from before a write of data: none of it can be served again.
      this.entries.clear();
      this.generation = generation;
    }
    // A query that reads QA work or accounts (readsSide) is also keyed on their generation;
    // entries of older side generations are never asked for again and age out.
    const key = `${name}\u0000${stableJson(params)}${options.readsSide ? `\u0000${warehouse.sideGeneration}` : ''}`;
    const found = this.entries.get(key);
    if (found) {
      this.stats.hits++;
      this.entries.delete(key);
      this.entries.set(key, found);
      return found as Promise<T>;
    }
    this.stats.misses++;
    const pending = run();
    this.entries.set(key, pending);
    // A failed run is not kept: the next request tries again.
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.stats.entries = this.entries.size;
    return pending;
  }

  clear(): void {
    this.entries.clear();
    this.generation = -1;
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
