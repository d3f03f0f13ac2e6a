// Call KPI parts kept per day, agent and queue in the server's memory, so that a view of whole
// days (the dashboard by day, week or month, call_kpis, calls per day) adds up a few thousand kept
// rows instead of reading every call of its range: on the demo that was a third of what the
// server did under load (bench/REPORT.md, load).
//
// What is kept: call_kpi_parts at interval day over call_facts regrouped by agent and queue
// (queries/rollups/kept_parts_regroup.sql), for the definitions' defaults (service-level
// threshold, variant, short abandons, first-contact window); other definitions read the calls.
// Only settled days are kept: a day ends its first-contact windows once the warehouse's latest
// call is a window's length after the day, so its parts no longer change while calls are only
// added after it. The days after are read from the calls at each view.
//
// Kept up to date without the loader's help: after a commit, the calls loaded since (calls.ingest_id
// beyond the latest one kept) can change the parts of their own days and, through the previous
// call's first-contact outcome, of the window's length before; those days and the newly settled
// ones are recomputed. Calls that changed otherwise (their count does not add up) rebuild all.
// A view uses the kept parts only when, in its own snapshot, they are those of its calls.
//
// The parts live in an in-memory database attached to the warehouse's DuckDB instance (every
// connection sees them), which needs a writable instance: the server's. A read-only warehouse
// reads the calls.
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { repoRoot } from '../config.ts';
import { inTransaction, queryRows, type Warehouse } from '../warehouse.ts';
import { extendSql, metricRegistry, paramsIn, type Metric, type MetricValues } from './registry.ts';

const PARTS = 'call_kpi_parts';
const FACTS = 'call_facts';
/** A day before any call: where "every day" starts, and the only day of a range that holds none. */
const EARLIEST = '1900-01-01';
/** The attached in-memory database; queries/rollups/kept_parts.sql reads its table. */
const DB = 'zj_kept';
/** Parameters that say which calls and how they are grouped; every other one is a definition. */
const NOT_DEFINITIONS = new Set(['from', 'to', 'queue', 'team', 'agent', 'interval', 'group_by']);

const rollups = new Map<string, string>();
/** A file of queries/rollups, read once. */
export function rollupSql(name: string): string {
  let sql = rollups.get(name);
  if (sql === undefined) rollups.set(name, (sql = fs.readFileSync(path.join(repoRoot, 'queries', 'rollups', `${name}.sql`), 'utf8')));
  return sql;
}

function partsMetric(): Metric {
  const parts = metricRegistry().get(PARTS);
  if (!parts?.body || parts.extends !== FACTS) throw new Error(`queries/metrics/${PARTS}.sql must extend ${FACTS}`);
  return parts;
}

/** Whether the kept parts hold these definitions: every definition parameter at its default. */
export function keptDefinitions(shape: MetricValues): boolean {
  return partsMetric()
    .params.filter((p) => !NOT_DEFINITIONS.has(p.name))
    .every((p) => (shape[p.name] ?? null) === p.default);
}

interface KeptState {
  /** The latest load whose calls are kept (calls.ingest_id): only the calls tell, so that a load
   *  of other data leaves the views that use the parts, and their cached results, as they are. */
  through_ingest: number;
  calls: number;
  /** The first day not kept (null: no calls). */
  settled_before: string | null;
}

/** The first-contact window whose settled days are kept: call_facts' default. */
function windowDays(): number {
  const w = partsMetric().params.find((p) => p.name === 'fcr_window_days')?.default;
  if (typeof w !== 'number') throw new Error(`${FACTS} declares no default fcr_window_days`);
  return w;
}

class KeptParts {
  /** The warehouse generation last brought up to date (see Warehouse.generation). */
  private upToDate = -1;
  private pending: Promise<boolean> | null = null;
  private attached: Promise<void> | null = null;

  constructor(private readonly warehouse: Warehouse) {}

  /** Brings the kept parts up to the warehouse's data; false when they cannot be kept (a
   *  read-only warehouse) or the refresh failed. */
  async refresh(): Promise<boolean> {
    if (this.warehouse.readOnly) return false;
    const generation = this.warehouse.generation;
    if (generation === this.upToDate) return true;
    // One refresh at a time; a caller that finds one running waits for it and checks again.
    while (this.pending) await this.pending;
    if (generation <= this.upToDate) return true;
    // A failed refresh leaves the views reading the calls (fillFromKept finds the kept parts
    // stale); it is reported, and tried again after the next commit.
    this.pending = this.update(generation)
      .catch((err: Error) => {
        process.stderr.write(`zhijian: keeping the call KPI parts failed, views read the calls: ${err.message}\n`);
        this.upToDate = generation;
        return false;
      })
      .finally(() => (this.pending = null));
    return this.pending;
  }

  private async update(generation: number): Promise<boolean> {
    this.attached ??= this.warehouse.read(async (conn) => {
      await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${DB}`);
      await conn.run(`CREATE TABLE IF NOT EXISTS ${DB}.state (through_ingest BIGINT, calls BIGINT, settled_before DATE)`);
    });
    await this.attached;
    // A reading connection: what it writes is the kept copy, not the warehouse's data, so the
    // generation (and every cached result) stays as it is.
    await this.warehouse.read((conn) => inTransaction(conn, (c) => this.updateIn(c)));
    this.upToDate = generation;
    return true;
  }

  private async updateIn(conn: DuckDBConnection): Promise<void> {
    const window = windowDays();
    // The first day not kept: the latest call's, a window earlier (see the top of this file).
    const [live] = await queryRows<KeptState & { last_kept: string | null }>(
      conn,
      `SELECT coalesce(max(ingest_id), 0) AS through_ingest, count(*) AS calls,
              strftime((max(enqueued_local) - to_days($window::INTEGER))::DATE, '%Y-%m-%d') AS settled_before,
              strftime((max(enqueued_local) - to_days($window::INTEGER))::DATE - 1, '%Y-%m-%d') AS last_kept
       FROM calls`,
      { window }
    );
    const [kept] = await queryRows<KeptState>(conn, `SELECT through_ingest, calls, strftime(settled_before, '%Y-%m-%d') AS settled_before FROM ${DB}.state`);
    if (kept && kept.through_ingest === live.through_ingest && kept.calls === live.calls) return;
    const parts = partsMetric();
    const sql = extendSql(extendSql(metricRegistry().get(FACTS)!.sql, {}, rollupSql('kept_parts_regroup')), {}, parts.body!);
    const defaults = paramsIn(parts, sql, Object.fromEntries(parts.params.map((p) => [p.name, p.default ?? null])));
    // The parts of the settled days from `from` (null: the first) on; none without calls.
    const keep = (into: string, from: string | null) =>
      conn.run(`${into} ${sql}`, { ...defaults, interval: 'day', from: from ?? EARLIEST, to: live.last_kept ?? EARLIEST });
    const [added] = kept
      ? await queryRows<{ n: number; redo_from: string | null }>(
          conn,
          // The first day to recompute: the first unsettled one, or the window before the first new call.
          `SELECT count(*) AS n, strftime(least($settled::DATE, (min(enqueued_local) - to_days($window::INTEGER))::DATE), '%Y-%m-%d') AS redo_from
           FROM calls WHERE ingest_id > $through`,
          { window, through: kept.through_ingest, settled: kept.settled_before }
        )
      : [];
    if (!kept || kept.calls + added.n !== live.calls) {
      // First time, or calls changed otherwise than by loading: keep every settled day afresh.
      await keep(`CREATE OR REPLACE TABLE ${DB}.call_parts_daily AS`, null);
    } else if (added.redo_from !== null) {
      await conn.run(`DELETE FROM ${DB}.call_parts_daily WHERE bucket >= $from::DATE::TIMESTAMP`, { from: added.redo_from });
      await keep(`INSERT INTO ${DB}.call_parts_daily BY NAME`, added.redo_from);
    }
    await conn.run(`DELETE FROM ${DB}.state`);
    await conn.run(`INSERT INTO ${DB}.state VALUES ($through, $calls, $settled::DATE)`, { through: live.through_ingest, calls: live.calls, settled: live.settled_before });
  }
}

/** One keeper per warehouse for the whole process, on globalThis: the CLI's modules and the web
 *  bundle's copies of them must share it, or two refreshes could write the kept parts at once. */
const KEY = Symbol.for('zhijian.kept-parts');
const kept: WeakMap<Warehouse, KeptParts> = ((globalThis as { [KEY]?: WeakMap<Warehouse, KeptParts> })[KEY] ??= new WeakMap());

function keptParts(warehouse: Warehouse): KeptParts {
  let k = kept.get(warehouse);
  if (!k) kept.set(warehouse, (k = new KeptParts(warehouse)));
  return k;
}

/** Brings the warehouse's kept parts up to date (before a view's transaction starts); false when it keeps none. */
export function refreshKeptParts(warehouse: Warehouse): Promise<boolean> {
  return keptParts(warehouse).refresh();
}

/**
 * Fills the temporary table kpi_parts_fine with the kept parts of `shape`'s range and filters per
 * day and `group`, for its settled days. Runs inside the caller's transaction, whose snapshot must
 * be the one its tables read. Null (and nothing created) when the kept parts are not those of this
 * snapshot's calls; else the first day of the range still to read from the calls (null: none).
 */
export async function fillFromKept(conn: DuckDBConnection, shape: MetricValues, group: string): Promise<{ restFrom: string | null } | null> {
  const range = { from: String(shape.from), to: String(shape.to) };
  // The kept days end before settled_before, the calls' start there (least and greatest pass
  // over its NULL: no calls, nothing kept).
  const [state] = await queryRows<{ fresh: boolean; kept_to: string; rest_from: string | null }>(
    conn,
    `SELECT s.through_ingest = c.through_ingest AND s.calls = c.calls AS fresh,
            strftime(least($to::DATE, s.settled_before - 1), '%Y-%m-%d') AS kept_to,
            CASE WHEN greatest($from::DATE, s.settled_before) <= $to::DATE THEN strftime(greatest($from::DATE, s.settled_before), '%Y-%m-%d') END AS rest_from
     FROM ${DB}.state s, (SELECT coalesce(max(ingest_id), 0) AS through_ingest, count(*) AS calls FROM calls) c`,
    range
  ).catch(() => []);
  if (!state?.fresh) return null;
  const filters = { queue: shape.queue ?? null, team: shape.team ?? null, agent: shape.agent ?? null, group_by: group };
  await conn.run(`CREATE OR REPLACE TEMP TABLE kpi_parts_fine AS ${rollupSql('kept_parts')}`, { ...filters, from: range.from, to: state.kept_to });
  return { restFrom: state.rest_from };
}
