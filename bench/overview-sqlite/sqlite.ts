// The SQLite side of bench/overview.ts: loads the calls CSV files into a SQLite file with
// better-sqlite3 and computes the overview's figures there with overview.sql.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { resolveRange, type DateRange, type DataExtent } from '../../web/lib/server/overview.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const sqlFile = (name: string) => fs.readFileSync(path.join(here, name), 'utf8');

/** The overview's figures in one flat shape, whichever engine computed them. */
export interface OverviewFigures {
  extent: DataExtent;
  range: DateRange;
  figures: Record<string, number | null>;
  perDay: { day: string; offered: number; answered: number; abandoned: number }[];
}

export interface OverviewParams {
  from?: string;
  to?: string;
  queue?: string | null;
  threshold_s?: number;
  short_abandon_s?: number;
  sl_variant?: string;
  fcr_window_days?: number;
}

/** The zone's offset from UTC in seconds at an instant (from Intl's time-zone database). */
export function utcOffsetSeconds(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0; // "GMT": UTC itself
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

/** Local midnight of a YYYY-MM-DD day in the zone, as Unix seconds (zones whose offset is constant over the day). */
function localMidnightEpoch(day: string, offsetS: number): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000 - offsetS;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

type Value = string | number | bigint | null;

/** Streams the rows of a DuckDB query over CSV files (read in the center's zone) into a prepared
 *  INSERT, 50 000 rows per transaction. */
async function copyRows(
  db: Database.Database,
  readSql: string,
  insertSql: string,
  files: string[],
  timeZone: string,
  onProgress: (rows: number) => void = () => undefined
): Promise<number> {
  const insert = db.prepare(insertSql);
  const insertMany = db.transaction((rows: Value[][]) => {
    for (const row of rows) insert.run(row);
  });
  const duck = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const conn = await duck.connect();
  let rows = 0;
  try {
    await conn.run(`SET TimeZone = '${timeZone.replace(/'/g, "''")}'`);
    const result = await conn.stream(readSql, { files: listValue(files) });
    const placeholders = (insertSql.match(/\?/g) ?? []).length;
    if (result.columnCount !== placeholders) throw new Error(`the read gives ${result.columnCount} columns, the INSERT takes ${placeholders}`);
    let batch: Value[][] = [];
    for await (const chunk of result.yieldRows()) {
      for (const values of chunk) batch.push(values as Value[]);
      if (batch.length >= 50_000) {
        insertMany(batch);
        rows += batch.length;
        batch = [];
        onProgress(rows);
      }
    }
    insertMany(batch);
    rows += batch.length;
  } finally {
    conn.closeSync();
    duck.closeSync();
  }
  return rows;
}

/**
 * Reads the calls CSV files with DuckDB's read_csv (in memory, in the center's zone) and inserts
 * every row into a new SQLite file with one prepared INSERT, 50 000 rows per transaction, then
 * builds the index on enqueued_at. With a shifts file, loads the schedule too (for call-kpis.sql).
 * Returns the call row count and the seconds each step took.
 */
export async function loadCallsIntoSqlite(
  dbFile: string,
  csvFiles: string[],
  timeZone: string,
  onProgress: (rows: number) => void = () => undefined,
  shiftsFile?: string
): Promise<{ rows: number; loadSeconds: number; indexSeconds: number; shiftRows: number }> {
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) fs.rmSync(f, { force: true });
  const db = new Database(dbFile);
  // A bulk load into a file that is thrown away on failure: no rollback journal, no fsync.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(sqlFile('schema.sql'));
  const started = performance.now();
  const rows = await copyRows(db, sqlFile('read-calls.sql'), sqlFile('insert.sql'), csvFiles, timeZone, onProgress);
  const loaded = performance.now();
  db.exec(sqlFile('index.sql'));
  const indexed = performance.now();
  let shiftRows = 0;
  if (shiftsFile) {
    db.exec(sqlFile('shifts.sql'));
    shiftRows = await copyRows(db, sqlFile('read-shifts.sql'), sqlFile('insert-shifts.sql'), [shiftsFile], timeZone);
    db.exec('ANALYZE');
  }
  db.close();
  return { rows, shiftRows, loadSeconds: (loaded - started) / 1000, indexSeconds: (indexed - loaded) / 1000 };
}

/** overview.sql's statements by name ("-- statement: NAME" starts each). */
function statements(): Map<string, string> {
  const parts = sqlFile('overview.sql').split(/^-- statement: (\w+)\s*$/m);
  const map = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) map.set(parts[i], parts[i + 1].trim().replace(/;\s*$/, ''));
  return map;
}

/** An open SQLite file ready to answer the overview. */
export class SqliteOverview {
  private readonly db: Database.Database;
  private readonly extent: Database.Statement;
  private readonly figures: Database.Statement;
  private readonly perDay: Database.Statement;
  private kpis?: Database.Statement;

  constructor(dbFile: string, readonly timeZone: string) {
    this.db = new Database(dbFile, { readonly: true, fileMustExist: true });
    // What a user tuning SQLite for analytics would set: a 256 MiB page cache and the file memory-mapped.
    this.db.pragma('cache_size = -262144');
    this.db.pragma('mmap_size = 8589934592');
    const sql = statements();
    this.extent = this.db.prepare(sql.get('extent')!);
    this.figures = this.db.prepare(sql.get('figures')!);
    this.perDay = this.db.prepare(sql.get('calls_per_day')!);
  }

  /** The extent, the range (default: the last 30 days with data) and its bound values. */
  private resolve(params: OverviewParams) {
    const probe = utcOffsetSeconds(this.timeZone, new Date());
    const ext = this.extent.get({ utc_offset_s: probe }) as { first: string | null; last: string | null; calls: number };
    const extent: DataExtent = { first: ext.first, last: ext.last, calls: ext.calls };
    const range = resolveRange(extent, params.from, params.to);
    if (!range) throw new Error('the SQLite file holds no calls');
    const offsetS = utcOffsetSeconds(this.timeZone, new Date(Date.parse(`${range.from}T12:00:00Z`)));
    if (offsetS !== utcOffsetSeconds(this.timeZone, new Date(Date.parse(`${range.to}T12:00:00Z`))) || offsetS !== probe) {
      throw new Error(`${this.timeZone} changes its UTC offset inside the range: this SQLite translation assumes a fixed offset`);
    }
    const bound = {
      from_epoch: localMidnightEpoch(range.from, offsetS),
      to_epoch: localMidnightEpoch(nextDay(range.to), offsetS),
      queue: params.queue ?? null,
      threshold_s: params.threshold_s ?? 20,
      short_abandon_s: params.short_abandon_s ?? 5,
      sl_variant: params.sl_variant ?? 'abandons_against'
    };
    return { extent, range, offsetS, bound };
  }

  /** The overview as the page shows it: extent, range, the headline figures, calls per day (overview.sql). */
  run(params: OverviewParams = {}): OverviewFigures {
    const { extent, range, offsetS, bound } = this.resolve(params);
    const figures = this.figures.get(bound) as Record<string, number | null>;
    const perDay = this.perDay.all({ from: range.from, to: range.to, from_epoch: bound.from_epoch, to_epoch: bound.to_epoch, utc_offset_s: offsetS, queue: bound.queue }) as OverviewFigures['perDay'];
    return { extent, range, figures, perDay };
  }

  /** The same figures from call-kpis.sql, which does all the work call_kpis does (FCR, occupancy):
   *  once for the whole range, once per day, as the overview and its calls-per-day chart do. */
  runLikeForLike(params: OverviewParams = {}): OverviewFigures {
    this.kpis ??= this.db.prepare(sqlFile('call-kpis.sql'));
    const { extent, range, offsetS, bound } = this.resolve(params);
    const all = { ...bound, from: range.from, to: range.to, utc_offset_s: offsetS, fcr_window_days: params.fcr_window_days ?? 7 };
    const total = this.kpis.get({ ...all, interval: 'total' }) as Record<string, number | string | null>;
    const days = this.kpis.all({ ...all, interval: 'day' }) as Record<string, number | string | null>[];
    const { day: _day, ...figures } = total;
    return {
      extent,
      range,
      figures: figures as Record<string, number | null>,
      perDay: days.map((d) => ({ day: String(d.day), offered: Number(d.offered), answered: Number(d.answered), abandoned: Number(d.abandoned) }))
    };
  }

  close(): void {
    this.db.close();
  }
}
