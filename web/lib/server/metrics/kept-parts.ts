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
// beyond the last one seen) can change the parts of their own days and, through the previous
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
import { queryRows, type Warehouse } from '../warehouse.ts';
import { extendSql, metricRegistry, type Metric, type MetricValues } from './registry.ts';

const PARTS = 'call_kpi_parts';
const FACTS = 'call_facts';
/** The attached in-memory database; queries/rollups/kept_parts.sql reads its table. */
const DB = 'zj_kept';
/** Parameters that say which calls and how they are grouped; every other one is a definition. */
const NOT_DEFINITIONS = new Set(['from', 'to', 'queue', 'team', 'agent', 'interval', 'group_by']);

const rollupSql = (name: string): string => fs.readFileSync(path.join(repoRoot, 'queries', 'rollups', `${name}.sql`), 'utf8');

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
    await this.warehouse.read(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        await this.updateIn(conn);
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.upToDate = generation;
    return true;
  }

  private async updateIn(conn: DuckDBConnection): Promise<void> {
    const window = windowDays();
    const [live] = await queryRows<KeptState>(
      conn,
      `SELECT (SELECT coalesce(max(ingest_id), 0) FROM ingest_log) AS through_ingest, count(*) AS calls,
              strftime((max(enqueued_local) - to_days($window::INTEGER))::DATE, '%Y-%m-%d') AS settled_before
       FROM calls`,
      { window }
    );
    const [kept] = await queryRows<KeptState>(conn, `SELECT through_ingest, calls, strftime(settled_before, '%Y-%m-%d') AS settled_before FROM ${DB}.state`);
    if (kept && kept.through_ingest === live.through_ingest && kept.calls === live.calls) return;
    const [added] = kept
      ? await queryRows<{ n: number; first_day: string | null }>(
          conn,
          `SELECT count(*) AS n, strftime((min(enqueued_local) - to_days($window::INTEGER))::DATE, '%Y-%m-%d') AS first_day FROM calls WHERE ingest_id > $through`,
          { window, through: kept.through_ingest }
        )
      : [];
    const parts = partsMetric();
    const sql = extendSql(extendSql(metricRegistry().get(FACTS)!.sql, {}, rollupSql('kept_parts_regroup')), {}, parts.body!);
    const values: MetricValues = Object.fromEntries(parts.params.map((p) => [p.name, p.default ?? null]));
    const used = Object.fromEntries(parts.params.filter((p) => new RegExp(`\\$${p.name}\\b`).test(sql)).map((p) => [p.name, values[p.name]]));
    const lastKept = live.settled_before === null ? '1900-01-01' : dayBefore(live.settled_before);
    if (!kept || kept.calls + added.n !== live.calls) {
      // First time, or calls changed otherwise than by loading: keep every settled day afresh.
      await conn.run(`CREATE OR REPLACE TABLE ${DB}.call_parts_daily AS ${sql}`, { ...used, from: '1900-01-01', to: lastKept, interval: 'day' });
    } else {
      // Days from the earlier of the first unsettled day and the window before the first new call.
      const candidates = [kept.settled_before, added.first_day].filter((d): d is string => d !== null);
      if (candidates.length) {
        const from = candidates.sort()[0];
        await conn.run(`DELETE FROM ${DB}.call_parts_daily WHERE bucket >= $from::DATE::TIMESTAMP`, { from });
        if (from <= lastKept) await conn.run(`INSERT INTO ${DB}.call_parts_daily BY NAME ${sql}`, { ...used, from, to: lastKept, interval: 'day' });
      }
    }
    await conn.run(`DELETE FROM ${DB}.state`);
    await conn.run(`INSERT INTO ${DB}.state VALUES ($through, $calls, $settled::DATE)`, { through: live.through_ingest, calls: live.calls, settled: live.settled_before });
  }
}

const dayBefore = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

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
 * Fills the temporary table kpi_parts_fine with the parts of `shape`'s range and filters per day
 * and `group`: kept ones for the settled days, the calls' for the others. Runs inside the caller's
 * transaction, whose snapshot must be the one its tables read. False (and nothing created) when
 * the kept parts are not those of this snapshot's calls: the caller reads the calls.
 */
export async function fillFromKept(conn: DuckDBConnection, shape: MetricValues, group: string): Promise<boolean> {
  const [state] = await queryRows<{ fresh: boolean; settled_before: string | null }>(
    conn,
    `SELECT s.through_ingest = (SELECT coalesce(max(ingest_id), 0) FROM ingest_log) AND s.calls = (SELECT count(*) FROM calls) AS fresh,
            strftime(s.settled_before, '%Y-%m-%d') AS settled_before
     FROM ${DB}.state s`
  ).catch(() => []);
  if (!state?.fresh) return false;
  const from = String(shape.from);
  const to = String(shape.to);
  const settled = state.settled_before;
  const keptTo = settled === null ? null : [to, dayBefore(settled)].sort()[0];
  const restFrom = settled === null ? from : [from, settled].sort()[1];
  const filters = { queue: shape.queue ?? null, team: shape.team ?? null, agent: shape.agent ?? null, group_by: group };
  await conn.run(`CREATE OR REPLACE TEMP TABLE kpi_parts_fine AS ${rollupSql('kept_parts')}`, { ...filters, from, to: keptTo ?? '1900-01-01' });
  if (restFrom <= to) {
    const parts = partsMetric();
    const values: MetricValues = { ...shape, from: restFrom, to, interval: 'day', group_by: group };
    const used = Object.fromEntries(parts.params.filter((p) => new RegExp(`\\$${p.name}\\b`).test(parts.sql)).map((p) => [p.name, values[p.name] ?? null]));
    await conn.run(`INSERT INTO kpi_parts_fine BY NAME ${parts.sql}`, used);
  }
  return true;
}
