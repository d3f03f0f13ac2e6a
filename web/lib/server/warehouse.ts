// One DuckDB warehouse file per process. DuckDB lets one process write a file or many
// processes read it, never both, so the server owns the writer and the CLI hands it work
// (see web/lib/server/handoff.ts); everything here works the same in either process.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { DEFAULT_TIME_ZONE, repoRoot } from './config.ts';
import { namesIn, noteReads, READING, statementWrites, TableVersions, WRITING } from './table-versions.ts';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

export interface OpenOptions {
  readOnly?: boolean;
  /** The center's time zone (IANA name), else ZHIJIAN_TZ, else the one the warehouse keeps in
   *  settings (Asia/Shanghai for a new one). Used as the session TimeZone; a writable warehouse
   *  given another zone than it keeps converts its derived local times (calls.enqueued_local). */
  timeZone?: string;
  /** Create or update the schema (default: true unless read-only). */
  migrate?: boolean;
  /** false: DuckDB may open no file but the warehouse (no read_csv, COPY, ATTACH, extensions); for the
   *  guarded SQL workbench's own instance. The setting is instance-wide and cannot be turned back on. */
  externalAccess?: boolean;
  /** DuckDB's worker threads for this instance (default: DuckDB's, one per core); see serverThreads. */
  threads?: number;
}

export class WarehouseError extends Error {
  constructor(message: string, readonly code: 'locked' | 'missing' | 'zone' | 'sql' = 'sql') {
    super(message);
  }
}

/**
 * fn in one transaction on conn: committed when fn succeeds ('commit'), or rolled back whatever
 * happens ('rollback': for a snapshot whose work is thrown away); rolled back when fn throws.
 */
export async function inTransaction<T>(conn: DuckDBConnection, fn: (conn: DuckDBConnection) => Promise<T>, end: 'commit' | 'rollback' = 'commit'): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await fn(conn);
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  await conn.run(end === 'commit' ? 'COMMIT' : 'ROLLBACK');
  return result;
}

export class Warehouse {
  private constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly readOnly: boolean,
    private zone: string
  ) {}

  /** The center's time zone (IANA name): the session TimeZone of every connection. */
  get timeZone(): string {
    return this.zone;
  }

  static async open(dbPath: string, options: OpenOptions = {}, building = false): Promise<Warehouse> {
    const readOnly = options.readOnly ?? false;
    if (dbPath !== ':memory:') {
      if (readOnly && !fs.existsSync(dbPath)) {
        throw new WarehouseError(`no warehouse at ${dbPath} (run "zhijian ingest" or "zhijian demo" first)`, 'missing');
      }
      fs.mkdirSync(path.dirname(dbPath), { recursive: true });
      // A new warehouse is built under a temporary name and renamed into place once its schema is
      // checkpointed, so a process killed while creating it never leaves a half-made file behind.
      if (!building && !readOnly && (options.migrate ?? true) && !fs.existsSync(dbPath)) await Warehouse.create(dbPath, options);
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(dbPath, {
        access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
        // Offline machines: never try to download an extension, fail fast instead.
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        ...(options.externalAccess === false ? { enable_external_access: 'false' } : {}),
        ...(options.threads ? { threads: String(options.threads) } : {})
      });
    } catch (err) {
      const message = (err as Error).message;
      if (/lock/i.test(message)) {
        throw new WarehouseError(
          `the warehouse ${dbPath} is in use by another process (is "zhijian serve" running with another --db?)`,
          'locked'
        );
      }
      throw err;
    }
    const requested = options.timeZone ?? (process.env.ZHIJIAN_TZ || undefined);
    const warehouse = new Warehouse(dbPath, instance, readOnly, requested ?? DEFAULT_TIME_ZONE);
    try {
      if (options.migrate ?? !readOnly) await warehouse.migrate();
      await warehouse.settleTimeZone(requested, options.migrate ?? !readOnly);
      await warehouse.readViews();
    } catch (err) {
      warehouse.close();
      throw err;
    }
    return warehouse;
  }

  private static async create(dbPath: string, options: OpenOptions): Promise<void> {
    const building = `${dbPath}.creating-${process.pid}`;
    for (const f of [building, `${building}.wal`]) fs.rmSync(f, { force: true });
    const fresh = await Warehouse.open(building, options, true);
    fresh.close();
    fs.rmSync(`${building}.wal`, { force: true }); // empty after the checkpoint and close
    if (!fs.existsSync(dbPath)) fs.renameSync(building, dbPath);
    else fs.rmSync(building, { force: true }); // another process made it meanwhile
  }

  /** Commits that changed the data (see generation). */
  private commits = 0;
  /** What each commit wrote, per table: the result cache keeps what no later write concerns. */
  readonly versions = new TableVersions();

  /**
   * The data's generation, for what is kept per state of the data as a whole (the kept call KPI
   * parts): it moves after every commit on a connection that may write — an explicit
   * transaction's COMMIT (or ROLLBACK), any statement run outside one — that wrote a table other
   * than QA work, accounts, sessions and the audit trail (qa_*, restricted.*), or may have. Results
   * are still served during a long transaction (a file being loaded), whose rows nobody sees
   * before its COMMIT. `versions` says which tables each commit wrote. Every connection from
   * connect(), withConnection(), run() and transaction() may write; reads through all(), one() and
   * read() do not.
   */
  get generation(): number {
    return this.commits;
  }

  /** A new connection with the center's time zone set; the caller closes it. Its commits move
   *  the generation and the versions of the tables they wrote. */
  async connect(): Promise<DuckDBConnection> {
    const conn = await this.connectForReading();
    let inTransaction = false;
    /** What the statements since the last commit wrote. */
    let wrote: 'unknown' | Set<string> = new Set();
    /** The connection's temporary tables and views: nobody else sees their writes. */
    const temporary = new Set<string>();
    const commit = () => {
      if (wrote === 'unknown' || wrote.size > 0) this.committed(wrote);
      wrote = new Set();
    };
    // After each statement (failed ones too). Counting too often only costs cache hits; missing a
    // commit would serve stale figures, so every doubtful case counts as a write of everything.
    const after = (sql: string) => {
      const text = sql.trim().replace(/;\s*$/, '');
      if (/^(BEGIN|START)(\s+TRANSACTION)?$/i.test(text)) {
        inTransaction = true;
        return;
      }
      const ends = /^(COMMIT|END|ROLLBACK|ABORT)(\s+TRANSACTION)?$/i.test(text);
      if (!ends) {
        const writes = statementWrites(text, temporary);
        if (writes === 'unknown') wrote = 'unknown';
        else if (writes !== 'nothing' && wrote !== 'unknown') for (const table of writes) wrote.add(table);
      }
      if (ends || /\b(COMMIT|ROLLBACK|ABORT)\b/i.test(text)) {
        inTransaction = false;
        commit();
      } else if (!inTransaction) commit();
    };
    const counted = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, sqlOf: (args: A) => string) =>
      async (...args: A): Promise<R> => {
        try {
          return await fn(...args);
        } finally {
          after(sqlOf(args));
        }
      };
    conn.run = counted(conn.run.bind(conn), ([sql]) => sql);
    conn.runAndReadAll = counted(conn.runAndReadAll.bind(conn), ([sql]) => sql);
    conn.runAndRead = counted(conn.runAndRead.bind(conn), ([sql]) => sql);
    const prepare = conn.prepare.bind(conn);
    conn.prepare = async (sql: string) => {
      const statement = await prepare(sql);
      statement.run = counted(statement.run.bind(statement), () => sql);
      statement.runAndReadAll = counted(statement.runAndReadAll.bind(statement), () => sql);
      return statement;
    };
    // A transaction still open when the connection closes is rolled back: nothing to count.
    return conn;
  }

  /** A commit wrote these tables, or may have written anything. */
  private committed(wrote: 'unknown' | Set<string>): void {
    this.versions.record(wrote);
    if (wrote === 'unknown' || [...wrote].some((table) => !SIDE_TABLE.test(table))) this.commits++;
  }

  private readingViews: Promise<void> | null = null;

  /** Reads the views' definitions again when a write of unknown tables (which may have made or
   *  changed a view) came after the last reading; until then TableVersions judges every result stale. */
  async knowViews(): Promise<void> {
    if (this.versions.viewsKnown) return;
    this.readingViews ??= this.readViews().finally(() => (this.readingViews = null));
    await this.readingViews;
  }

  /** The views' definitions, for what a query that names a view reads (TableVersions). */
  private async readViews(): Promise<void> {
    const at = this.versions.unknownWrites;
    const views = await this.read((conn) =>
      queryRows<{ name: string; sql: string }>(conn, `SELECT lower(view_name) AS name, sql FROM duckdb_views() WHERE NOT internal AND NOT temporary`)
    );
    this.versions.setViews(at, new Map(views.map((v) => [v.name, namesIn(v.sql)])));
  }

  /** A connection for reading only: it does not move the generation, so nothing may write on it. */
  async connectForReading(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    await conn.run(`SET TimeZone = '${this.timeZone.replace(/'/g, "''")}'`);
    // What a cached computation reads (table-versions.ts): the names of every statement it runs
    // or prepares, whichever method runs it.
    const methods = conn as unknown as Record<string, (sql: string, ...rest: unknown[]) => unknown>;
    for (const name of SQL_METHODS) {
      const method = methods[name].bind(conn);
      methods[name] = (sql: string, ...rest: unknown[]) => {
        noteReads(sql);
        return method(sql, ...rest);
      };
    }
    return conn;
  }

  async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  /** withConnection for reading only (queries, temporary tables): see connectForReading. */
  async read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.connectForReading();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  /** Runs a reading query with bound parameters and returns plain rows (BIGINT as number when
   *  safe). Only SELECT-like statements: anything else goes through a writer's connection. */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reading = READING.test(sql) && !WRITING.test(sql);
    const run = reading ? this.read.bind(this) : this.withConnection.bind(this);
    return run((conn) => queryRows<T>(conn, sql, params));
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.withConnection(async (conn) => {
      await conn.run(sql, params);
    });
  }

  /** Everything in fn commits together or not at all. */
  async transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.withConnection((conn) => inTransaction(conn, fn));
  }

  /** fn on a reading connection in a transaction that is always rolled back: one snapshot of the
   *  data for all its statements, and temporary tables that go with it. */
  async snapshot<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.read((conn) => inTransaction(conn, fn, 'rollback'));
  }

  /**
   * Applies queries/schema/*.sql in name order (every file is idempotent) when they changed since
   * the last time (their hash is kept in settings), in one transaction, then checkpoints: DuckDB 1.5
   * cannot replay a WAL holding COMMENT ON ("Failure while replaying WAL file ... no default
   * database set"), so the schema must never sit in the WAL — a writer killed then (kill -9, a
   * crashed server) would leave a warehouse that no longer opens. Skipping unchanged schemas also
   * keeps opening a warehouse cheap.
   */
  async migrate(): Promise<void> {
    const dir = path.join(repoRoot, 'queries', 'schema');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    const texts = files.map((file) => fs.readFileSync(path.join(dir, file), 'utf8'));
    const hash = crypto.createHash('sha256').update(texts.join('\0')).digest('hex');
    await this.withConnection(async (conn) => {
      const applied = await conn
        .runAndReadAll(`SELECT value FROM settings WHERE key = 'schema_sha256'`)
        .then((r) => r.getRows()[0]?.[0] as string | undefined)
        .catch(() => undefined); // no settings table yet: a new warehouse
      if (applied === hash) return;
      await inTransaction(conn, async () => {
        for (const text of texts) await conn.run(text);
        await conn.run(`INSERT INTO settings (key, value) VALUES ('time_zone', $tz) ON CONFLICT (key) DO NOTHING`, { tz: this.timeZone });
        await conn.run(`INSERT OR REPLACE INTO settings (key, value) VALUES ('schema_sha256', $hash)`, { hash });
      });
      await conn.run('CHECKPOINT');
    });
  }

  /**
   * Decides the center's zone: the one asked for, else the one the warehouse keeps. Asked for
   * another than it keeps, a writable warehouse recomputes its derived local times and keeps the
   * new zone; a read-only one cannot, and says so. Calls without derived columns (a warehouse made
   * before they existed) get them here.
   */
  private async settleTimeZone(requested: string | undefined, writable: boolean): Promise<void> {
    const kept = await this.one<{ value: string }>(`SELECT value FROM settings WHERE key = 'time_zone'`)
      .then((r) => r?.value)
      .catch(() => undefined); // no settings table: a warehouse opened without migrating
    this.zone = requested ?? kept ?? DEFAULT_TIME_ZONE;
    if (!writable || this.readOnly) {
      if (kept && kept !== this.zone) {
        throw new WarehouseError(
          `the warehouse ${this.path} keeps its local times in ${kept}, not ${this.zone} (ZHIJIAN_TZ): open it for writing once (zhijian serve or ingest) with that zone to convert it, or leave ZHIJIAN_TZ unset`,
          'zone'
        );
      }
      return;
    }
    const underived = await this.one<{ n: number }>(`SELECT count(*) AS n FROM calls WHERE enqueued_local IS NULL`);
    if (kept !== this.zone || Number(underived?.n ?? 0) > 0) await this.deriveCalls();
  }

  /**
   * Recomputes calls' derived columns (calls.enqueued_local, calls.next_inbound_local) for every
   * call in the center's zone, and keeps that zone in settings. The loader maintains them itself;
   * anything else that writes calls (a script, a test's fixture) calls this afterwards.
   */
  async deriveCalls(): Promise<void> {
    const text = fs.readFileSync(path.join(repoRoot, 'queries', 'load', 'derive_calls.sql'), 'utf8');
    await this.transaction(async (conn) => {
      for (const statement of text.split(/;\s*\n\s*\n/)) if (statement.replace(/--.*$/gm, '').trim()) await conn.run(statement);
      await conn.run(`INSERT OR REPLACE INTO settings (key, value) VALUES ('time_zone', $tz)`, { tz: this.zone });
    });
  }

  /** Row counts of the core tables, for /api/health and the CLI. */
  async rowCounts(): Promise<Record<string, number>> {
    const tables = ['teams', 'agents', 'queues', 'calls', 'utterances', 'tickets', 'ticket_events', 'shifts', 'attendance', 'leaves', 'rejects'];
    const sql = tables.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL ');
    const rows = await this.all<{ t: string; n: number }>(sql);
    return Object.fromEntries(tables.map((t) => [t, rows.find((r) => r.t === t)?.n ?? 0]));
  }

  close(): void {
    this.instance.closeSync();
  }
}

/** The connection's methods that run or prepare the SQL text they are given. */
const SQL_METHODS = [
  'run', 'runAndRead', 'runAndReadAll', 'runAndReadUntil', 'stream', 'streamAndRead', 'streamAndReadAll', 'streamAndReadUntil',
  'start', 'startThenRead', 'startThenReadAll', 'startThenReadUntil', 'startStream', 'startStreamThenRead', 'startStreamThenReadAll',
  'startStreamThenReadUntil', 'prepare', 'extractStatements'
] as const satisfies readonly (keyof DuckDBConnection)[];

/** Tables whose writes leave the generation as it is: QA work, accounts, sessions, the audit trail
 *  (as statementWrites names them: lower case, unquoted). */
const SIDE_TABLE = /^(qa_\w+|restricted\.\w+)$/;

export async function queryRows<T = Row>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((row) => plainRow(row as Row)) as T[];
}

/** BIGINT/HUGEINT arrive as bigint, also inside lists and structs: numbers when they fit, strings otherwise. */
export function plainRow(row: Row): Row {
  for (const key of Object.keys(row)) row[key] = plainValue(row[key]);
  return row;
}

function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(plainValue);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  }
  return v;
}
