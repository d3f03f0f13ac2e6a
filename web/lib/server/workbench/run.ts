// Runs one guarded workbench query (see guard.ts for the layers): on its own connection, inside a
// read-only transaction, with a row limit, a time limit and a size limit, cancellable by id.
import { StatementType, type DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse.ts';
import { Gate } from '../gate.ts';
import type { Column } from '../query.ts';
import { checkQuery, WorkbenchError, type CheckedQuery } from './guard.ts';

export interface Limits {
  /** Rows returned at most; a longer result is cut and marked truncated. */
  maxRows: number;
  /** Milliseconds before the query is interrupted. */
  timeoutMs: number;
  /** Rough bytes of result values held at most (strings count their length). */
  maxBytes: number;
}

export const DEFAULT_LIMITS: Limits = { maxRows: 100_000, timeoutMs: 30_000, maxBytes: 256 * 1024 * 1024 };

export interface WorkbenchResult {
  columns: Column[];
  /** JavaScript values per row, in column order (Date for dates and timestamps, bigint for big integers). */
  rows: unknown[][];
  /** The query produced more than maxRows rows; only the first maxRows are here. */
  truncated: boolean;
  limits: Limits;
  /** Milliseconds: checking, and running and reading. */
  timing: { checkMs: number; runMs: number };
}

export interface RunOptions {
  limits?: Partial<Limits>;
  /** Names this run so that cancel(id) can interrupt it. */
  id?: string;
  /** Milliseconds to wait for a free slot before refusing as busy (default MAX_WAIT_MS). */
  maxWaitMs?: number;
}

/** Connections of the runs under way, by their id, for cancel(). */
const running = new Map<string, DuckDBConnection>();

/** Interrupts the run with this id (or stops it waiting for its turn); false when none runs. */
export function cancel(id: string): boolean {
  if (queued.has(id)) {
    cancelled.add(id);
    return true;
  }
  const conn = running.get(id);
  if (!conn) return false;
  cancelled.add(id);
  conn.interrupt();
  return true;
}
const cancelled = new Set<string>();
/** Ids of the runs waiting for a slot. */
const queued = new Set<string>();

/** Rough size of a value for the size limit. */
function size(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'string') return v.length + 8;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + size(x), 8);
  if (v instanceof Date || typeof v !== 'object') return 8;
  return Object.values(v).reduce((n: number, x) => n + size(x), 8);
}

/** Paths of the machine never reach the user: any absolute path in a message becomes "<path>". */
export function scrubPaths(message: string): string {
  return message.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/'"`,;:()]+){2,}[\\/]?/g, '<path>');
}

/** DuckDB's "LINE n: …" excerpt and caret, turned into an offset into `sql`. */
export function errorPosition(message: string, sql: string): number | undefined {
  const m = /LINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return undefined;
  const lineNo = Number(m[1]);
  const shown = m[2];
  const caret = m[3].length - `LINE ${m[1]}: `.length;
  const lines = sql.split('\n');
  if (lineNo < 1 || lineNo > lines.length) return undefined;
  const line = lines[lineNo - 1];
  // Long lines are shown cut, with "..." in front.
  const cut = shown.startsWith('...') ? 3 : 0;
  const within = line.indexOf(shown.slice(cut).replace(/\.\.\.$/, ''));
  if (within < 0) return undefined;
  const lineStart = lines.slice(0, lineNo - 1).reduce((n, l) => n + l.length + 1, 0);
  return lineStart + within + Math.max(0, caret - cut);
}

/** The first line of DuckDB's message (the excerpt goes to the editor as a position instead). */
function headline(message: string): string {
  return message.split('\n')[0];
}

/** Queries running at once at most: with the row and size limits this bounds the workbench's memory. */
export const MAX_CONCURRENT = 4;
/** How long a query waits for a free slot, in turn, before it is refused as busy. */
export const MAX_WAIT_MS = 10_000;
/** The workbench's places, first come first served. */
const slots = new Gate(MAX_CONCURRENT);

/** Takes a slot, waiting up to maxWaitMs for one; refuses as busy after that. */
function acquire(maxWaitMs = MAX_WAIT_MS): Promise<void> {
  return slots.acquire(maxWaitMs, () => new WorkbenchError('busy', `${MAX_CONCURRENT} workbench queries are running and this one waited ${maxWaitMs / 1000} s for its turn; try again in a moment`));
}

/** Runs waiting for a slot now (for tests and health). */
export function waitingRuns(): number {
  return slots.queued;
}

interface Session {
  conn: DuckDBConnection;
  checked: CheckedQuery;
  limits: Limits;
}

/**
 * Checks the query, then calls fn on a connection inside a read-only transaction with the time
 * limit armed; maps every failure to a WorkbenchError with a clean message and an editor position.
 */
async function guarded<T>(warehouse: Warehouse, sql: string, options: RunOptions, fn: (s: Session) => Promise<T>): Promise<T> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const id = options.id;
  if (id) queued.add(id);
  try {
    await acquire(options.maxWaitMs);
  } catch (err) {
    if (id) cancelled.delete(id);
    throw err;
  } finally {
    if (id) queued.delete(id);
  }
  let conn: DuckDBConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let checked: CheckedQuery | undefined;
  try {
    // A reading connection (the query runs in a read-only transaction): it leaves the table
    // versions, and so the result cache, alone.
    conn = await warehouse.connectForReading();
    if (id) running.set(id, conn);
    checked = await checkQuery(conn, sql);
    // A cancel that came while the guard was checking stops the run here.
    if (id && cancelled.has(id)) throw new WorkbenchError('cancelled', 'the query was cancelled');
    await conn.run('BEGIN TRANSACTION READ ONLY');
    const c = conn;
    timer = setTimeout(() => {
      timedOut = true;
      c.interrupt();
    }, limits.timeoutMs);
    return await fn({ conn, checked, limits });
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    const message = (err as Error).message ?? String(err);
    if (id && cancelled.has(id)) throw new WorkbenchError('cancelled', 'the query was cancelled');
    if (timedOut || /interrupt/i.test(message)) {
      throw new WorkbenchError('timeout', `the query ran longer than ${limits.timeoutMs / 1000} s and was stopped; narrow it down (a WHERE on a date range, fewer joins)`);
    }
    if (/read-only/i.test(message) && /transaction|write/i.test(message)) {
      throw new WorkbenchError('refused', 'the workbench is read-only: the query tried to write');
    }
    let position = errorPosition(message, checked?.sql ?? sql);
    if (position !== undefined && checked) position += checked.offset;
    throw new WorkbenchError('sql', scrubPaths(headline(message)), position);
  } finally {
    slots.release();
    clearTimeout(timer);
    if (id) {
      running.delete(id);
      cancelled.delete(id);
    }
    if (conn) {
      await conn.run('ROLLBACK').catch(() => undefined);
      conn.closeSync();
    }
  }
}

/** Checks and runs one workbench query on the warehouse; throws WorkbenchError with a clean message. */
export async function runWorkbenchQuery(warehouse: Warehouse, sql: string, options: RunOptions = {}): Promise<WorkbenchResult> {
  const t0 = performance.now();
  return guarded(warehouse, sql, options, async ({ conn, checked, limits }) => {
    const t1 = performance.now();
    const prepared = await conn.prepare(checked.sql);
    // The statement DuckDB bound must still be the reading one the guard accepted.
    const type = prepared.statementType;
    if (type !== StatementType.SELECT && type !== StatementType.EXPLAIN) {
      throw new WorkbenchError('refused', 'the workbench is read-only: only reading statements run');
    }
    const reader = await prepared.streamAndReadUntil(limits.maxRows + 1);
    const names = reader.deduplicatedColumnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const rows = reader.getRowsJS() as unknown[][];
    const truncated = rows.length > limits.maxRows;
    if (truncated) rows.length = limits.maxRows;
    let bytes = 0;
    for (const row of rows) {
      for (const v of row) bytes += size(v);
      if (bytes > limits.maxBytes) {
        throw new WorkbenchError('too_large', `the result is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB; select fewer columns or rows`);
      }
    }
    return {
      columns: names.map((name, i) => ({ name, type: types[i] })),
      rows,
      truncated,
      limits,
      timing: { checkMs: t1 - t0, runMs: performance.now() - t1 }
    };
  });
}

/**
 * Writes a workbench query's result (up to the row limit) as Parquet to `file`, a path of the
 * server's own choosing. DuckDB writes it: the checked query is wrapped in the server's COPY,
 * and the wrapped SELECT is checked again, so the user's text can add nothing to the COPY.
 */
export async function exportParquet(warehouse: Warehouse, sql: string, file: string, options: RunOptions = {}): Promise<void> {
  await guarded(warehouse, sql, options, async ({ conn, checked, limits }) => {
    if (checked.explain) throw new WorkbenchError('refused', 'an EXPLAIN result cannot be exported');
    const inner = `SELECT * FROM (\n${checked.sql.replace(/[;\s]+$/, '')}\n) LIMIT ${limits.maxRows}`;
    await checkQuery(conn, inner);
    await conn.run(`COPY (${inner}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`);
  });
}
