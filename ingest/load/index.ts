// The loader: files in, warehouse rows out. Each file is one transaction (its rows, its rejects
// and its ingest_log row commit together), so a crash leaves the warehouse as it was before that
// file and a rerun finishes the job: a file whose sha256 is in ingest_log is skipped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { queryRows, type Warehouse } from '../../web/lib/server/warehouse.ts';
import { UserError } from '../../web/lib/server/errors.ts';
import { KINDS, kindDef, storedColumns, type KindDef } from './kinds.ts';
import { builtinProfiles, readMappingFile, type LoadedMapping } from './mapping.ts';
import { chooseProfile, isDataFile, readerFor, type Reader } from './detect.ts';
import { detectEncoding, firstLine, hashAndCountLines, tempPath, transcode, xlsxToCsv, type Encoding } from './source.ts';
import { directColumns, ident, jsonColumn, jsonKeys, jsonPointer, literal, mappedSelect, PLAIN_TIMESTAMP, readCsvColumns, tzToLocal, type SourceShape } from './sqlgen.ts';
import { loadSql, runSql } from './queries.ts';

export interface IngestOptions {
  /** Read every file as this kind (its built-in profiles only). */
  kind?: string;
  /** A mapping file (JSON) used for every file instead of the built-in profiles. */
  map?: string;
  /** Zone of local timestamps when the mapping names none (default: the warehouse's zone). */
  timeZone?: string;
  /** Where temporary UTF-8 copies go (default: the OS temp folder). */
  tmpDir?: string;
  /** Called as each file is done (committed, skipped or failed). */
  onFile?: (summary: FileSummary) => void;
}

export interface FileSummary {
  file: string;
  kind?: string;
  profile?: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsPresent: number;
  /** Already loaded: a file with the same sha256 is in ingest_log. */
  skipped: boolean;
  ingestId?: number;
  /** Set when the file failed outright (nothing of it was loaded). */
  error?: string;
}

export interface IngestSummary {
  files: FileSummary[];
  failed: number;
}

export type Progress = (p: { file: string; rowsDone: number; rowsTotal?: number }) => void;

/** Files of the inputs: folders walked recursively in sorted order. */
export function listInputs(inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) walk(full);
      } else if (entry.isFile() && isDataFile(full)) {
        // In a folder, a .json file is a transcript or not ours (e.g. an export's MANIFEST.json).
        if (readerFor(full) !== 'transcript' || transcriptKeys(full).length === 2) out.push(full);
      }
    }
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new UserError(`no such file or folder: ${input}`);
    if (fs.statSync(input).isDirectory()) walk(input);
    else out.push(input);
  }
  return out;
}

/** The top-level keys of a transcript JSON that its first 64 KiB shows ("call_id", "utterances"). */
function transcriptKeys(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(65536);
    const text = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString('utf8');
    return ['call_id', 'utterances'].filter((k) => text.includes(`"${k}"`));
  } finally {
    fs.closeSync(fd);
  }
}

interface Plan {
  file: string;
  /** The file's SHA-256 and line count: one read of it, started ahead of its load (see ingestFiles). */
  digest: () => Promise<{ sha256: string; lines: number }>;
  /** Whether the line count tells the records (see records). */
  linesAreRecords: boolean;
  mapping: LoadedMapping;
  def: KindDef;
  reader: Reader;
  /** UTF-8 file DuckDB reads (the file itself or a temporary copy). */
  readPath: string;
  header: string[];
  temps: string[];
  /** Records in the file if every line is one (header excluded), once the digest is in; undefined where
   *  that cannot be told from its bytes. Quoted line breaks make it too high, which only sends the load
   *  down the longer path. */
  records?: number;
  /** Read without read_csv's sniffer: set after a read with it failed (an open quote, an over-long
   *  line). Not the default: with the sniffer off DuckDB scans a file about a third slower here. */
  noSniff?: boolean;
  /** Compare every key with the stored ones during the insert: set after an insert without that
   *  comparison met stored keys (see storedKeysFrom). */
  antiJoin?: boolean;
  /** Read timestamps as text: set after a read of them as TIMESTAMP met one in another form. */
  timestampsAsText?: boolean;
}

/**
 * Column names of a CSV header, as read_csv names them. Only the header line is read (from a
 * one-line copy): read_csv's sniffer would otherwise look at data rows too, and a row with extra
 * fields would add columns to the header, an open quote or an over-long field make it fail.
 */
async function csvHeader(conn: DuckDBConnection, file: string, tmpDir: string, delimiter = ','): Promise<string[]> {
  const headerOnly = tempPath(tmpDir, file, '.header.csv');
  fs.writeFileSync(headerOnly, firstLine(file) + '\n');
  try {
    const rows = await queryRows<{ column_name: string }>(
      conn,
      `DESCRIBE SELECT * FROM read_csv($path, header = true, all_varchar = true, delim = ${literal(delimiter)}, quote = '"', escape = '"')`,
      { path: headerOnly }
    );
    return rows.map((r) => r.column_name);
  } catch {
    return [];
  } finally {
    fs.rmSync(headerOnly, { force: true });
  }
}

/** Reads enough of a file to know how to load it; throws a clear error when nothing fits. */
async function plan(conn: DuckDBConnection, file: string, options: IngestOptions, profiles: LoadedMapping[], tmpDir: string): Promise<Plan> {
  const temps: string[] = [];
  let reader = readerFor(file);
  let readPath = file;
  let encoding: Encoding = 'utf-8';
  if (reader === 'xlsx') {
    readPath = tempPath(tmpDir, file, '.csv');
    temps.push(readPath);
    await xlsxToCsv(file, readPath);
  } else {
    encoding = detectEncoding(file);
    if (encoding !== 'utf-8') {
      readPath = tempPath(tmpDir, file, '.csv');
      temps.push(readPath);
      await transcode(file, encoding, readPath);
    }
  }
  const line = firstLine(readPath);
  let header: string[] = [];
  if (reader === 'jsonl') {
    try {
      header = Object.keys(JSON.parse(line));
    } catch {
      header = [];
    }
  } else if (reader === 'transcript') {
    header = transcriptKeys(readPath);
  } else {
    header = await csvHeader(conn, readPath, tmpDir, reader === 'tsv' ? '\t' : ',');
  }
  let mapping: LoadedMapping | undefined;
  if (options.map) {
    mapping = readMappingFile(options.map);
  } else {
    const candidates = options.kind ? profiles.filter((p) => p.kind === options.kind) : profiles;
    if (options.kind && candidates.length === 0) throw new UserError(`no built-in profile reads kind "${options.kind}"`);
    mapping = chooseProfile({ header, firstLine: line, reader }, candidates);
    if (!mapping) {
      const seen = reader === 'transcript' ? 'a JSON file' : `the header ${JSON.stringify(line.slice(0, 300))}`;
      throw new Error(`cannot tell what kind of file this is: saw ${seen}; give --kind or a mapping with --map`);
    }
  }
  // The mapping may insist on an encoding the detection did not guess (e.g. a GBK file that happens to be valid UTF-8).
  const wanted = mapping.source.encoding === 'gbk' ? 'gbk' : mapping.source.encoding;
  if (reader !== 'xlsx' && wanted !== 'auto' && wanted !== encoding) {
    if (wanted === 'utf-8') readPath = file;
    else {
      readPath = tempPath(tmpDir, file, '.csv');
      temps.push(readPath);
      await transcode(file, wanted, readPath);
    }
    header = reader === 'jsonl' || reader === 'transcript' ? header : await csvHeader(conn, readPath, tmpDir, mapping.source.delimiter ?? (reader === 'tsv' ? '\t' : ','));
  }
  if (reader === 'csv' || reader === 'tsv') {
    if (mapping.source.format === 'queue_log') reader = 'queue_log';
    else if (mapping.source.format === 'tsv') reader = 'tsv';
  }
  if (mapping.source.format === 'transcript' && reader !== 'transcript') throw new Error(`mapping ${mapping.name} reads transcript .json files`);
  if (mapping.source.format === 'jsonl' && reader !== 'jsonl') reader = 'jsonl';
  // A line break is the byte 0x0A in UTF-8 and GB18030/GBK alike (never inside a character).
  const singleByteBreaks = encoding === 'utf-8' || encoding === 'gb18030' || encoding === 'gbk';
  const linesAreRecords = (reader === 'csv' || reader === 'tsv') && singleByteBreaks && mapping.source.header !== false;
  return { file, digest: once(() => hashAndCountLines(file)), linesAreRecords, mapping, def: kindDef(mapping.kind), reader, readPath, header, temps };
}

/** f's promise, started on the first call only; a failure is left for whoever awaits it. */
function once<T>(f: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => {
    if (!started) {
      started = f();
      started.catch(() => undefined); // not an unhandled rejection while nobody awaits it yet
    }
    return started;
  };
}

const sameContent = (cols: string[], a: string, b: string): string =>
  cols.map((c) => `${a}.${ident(c)} IS NOT DISTINCT FROM ${b}.${ident(c)}`).join(' AND ');

/** The template variables of the merge SQL for a kind (constants from kinds.ts). */
function templateVars(def: KindDef, check: string, toLocal: (ts: string) => string): Record<string, string> {
  const stored = storedColumns(def);
  const derived = Object.entries(def.derived ?? {});
  return {
    derived_columns: derived.map(([name]) => `, ${ident(name)}`).join(''),
    derived_values: derived.map(([, sql]) => `, ${sql(toLocal)}`).join(''),
    check,
    table: def.table,
    key0: ident(def.key[0]),
    key: def.key.map(ident).join(', '),
    key_c: def.key.map((k) => `c.${ident(k)}`).join(', '),
    key_join: def.key.map((k) => `t.${ident(k)} = c.${ident(k)}`).join(' AND '),
    key_join_ck: def.key.map((k) => `c.${ident(k)} = k.${ident(k)}`).join(' AND '),
    key_join_cf: def.key.map((k) => `c.${ident(k)} = f.${ident(k)}`).join(' AND '),
    key_label: def.key.join('+'),
    same: sameContent(stored, 'c', 't'),
    same_cf: sameContent(stored, 'c', 'f'),
    columns: stored.map(ident).join(', '),
    // utterances carries no ingest_id column
    ingest_col: def.table === 'utterances' ? '' : ', ingest_id',
    ingest_val: def.table === 'utterances' ? '' : ', $ingest_id',
    key_expr: def.key.length === 1 ? ident(def.key[0]) : `row(${def.key.map(ident).join(', ')})`,
    own_rows: '',
    keep: 'true'
  };
}

async function count(conn: DuckDBConnection, sql: string, params?: Record<string, DuckDBValue>): Promise<number> {
  const rows = await queryRows<{ n: number }>(conn, sql, params);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Row ids of a table filled inside a transaction start at a large offset (DuckDB's transaction-local
 * storage); they stay consecutive in file order, so ordinal = rowid - first rowid.
 */
async function firstRowid(conn: DuckDBConnection, table: string): Promise<bigint> {
  const rows = await queryRows<{ r: string | null }>(conn, `SELECT CAST(min(rowid) AS VARCHAR) AS r FROM ${table}`);
  return BigInt(rows[0]?.r ?? 0);
}

type Watch = (sql: string, params: Record<string, DuckDBValue>) => Promise<unknown>;

/**
 * Record ordinals (for line numbers) cost a streaming window that also keeps the scan in order;
 * the fast path does without them and numbers records only if the file turns out to have rejects.
 */
const ordinal = (numbered: boolean): string => (numbered ? 'row_number() OVER () - 1' : 'NULL::BIGINT');

/**
 * Defines load_src, the file's rows with __ord, their ordinal (0-based). For CSV and JSON lines it
 * is a view over read_csv, so that reading, converting and checking are one pass when load_checked
 * is built (and read_csv's refused lines land in load_rj then). A view takes no parameters, so the
 * path is a quoted literal there.
 */
async function defineSource(conn: DuckDBConnection, p: Plan, watch: Watch, numbered = true): Promise<{ firstLine: number | null; direct: Map<string, { type: string; reason: string }>; shape: SourceShape }> {
  // One statement per call, temporary objects named as such: the warehouse counts what each writes.
  await dropRejectTables(conn);
  await conn.run('CREATE OR REPLACE TEMP TABLE load_cast_reasons (col VARCHAR, why VARCHAR)');
  const rejectOpts = `store_rejects = true, rejects_table = 'load_rj', rejects_scan = 'load_rs'`;
  if (p.reader === 'transcript') {
    await conn.run(loadSql('transcript_source'), { path: p.readPath });
    await conn.run('CREATE OR REPLACE TEMP VIEW load_src AS SELECT * FROM load_src_table');
    return { firstLine: null, direct: new Map(), shape: { columns: [], format: 'columns' } };
  }
  if (p.reader === 'queue_log') {
    const cols = ['epoch', 'callid', 'queue', 'agent', 'event', 'data1', 'data2', 'data3', 'data4', 'data5'];
    await watch(
      `CREATE OR REPLACE TEMP TABLE load_ql AS SELECT * FROM read_csv($path, header = false, delim = '|', quote = '', escape = '',
         null_padding = true, columns = ${readCsvColumns(cols, new Map())}, ${rejectOpts})`,
      { path: p.readPath }
    );
    await conn.run(loadSql('queue_log_source'), { base: await firstRowid(conn, 'load_ql') });
    await conn.run('CREATE OR REPLACE TEMP VIEW load_src AS SELECT * FROM load_src_table');
    return { firstLine: 1, direct: new Map(), shape: { columns: [], format: 'columns' } };
  }
  if (p.reader === 'jsonl') {
    // One JSON object per line, read as text so that a broken line is a reject with its line number
    // (__json_ok is false for it: reading a key of it would fail the whole file; __line keeps the
    // text for the reject). Each line is parsed once, for all the keys the mapping reads, here
    // below the load's checks: as expressions of the staging view, the checks' filter would
    // evaluate every extraction again.
    const keys = jsonKeys(p.mapping);
    const values = keys.length
      ? `, CASE WHEN json_valid(__line) THEN json_extract_string(__line, [${keys.map(jsonPointer).join(', ')}]) END AS __v`
      : '';
    await conn.run(
      `CREATE OR REPLACE TEMP VIEW load_src AS SELECT ${ordinal(numbered)} AS __ord, __json_ok${keys.map((k, i) => `, __v[${i + 1}] AS ${jsonColumn(k)}`).join('')}, __line
       FROM (SELECT coalesce(json_valid(__line), false) AS __json_ok${values}, __line
             FROM read_csv(${literal(p.readPath)}, header = false, delim = '\\x01', quote = '', escape = '', columns = {'__line': 'VARCHAR'}, ${rejectOpts}))`
    );
    return { firstLine: 1, direct: new Map(), shape: { columns: keys, format: 'jsonl' } };
  }
  const hasHeader = p.mapping.source.header;
  const columns = hasHeader ? p.header : p.mapping.source.columns!;
  if (hasHeader) {
    const missing = Object.values(p.mapping.columns)
      .flatMap((s) => [s.from, s.date, s.time])
      .filter((c): c is string => c !== undefined && !columns.includes(c));
    if (missing.length) throw new Error(`mapping ${p.mapping.name} needs column(s) ${missing.join(', ')}, but the header is ${columns.join(',')}`);
  }
  // In CSV files read_csv parses timestamps itself (cheaper than casting their text in SQL); a value
  // in another form is a refused line that sends the file round again with them as text (see attempt).
  const direct = directColumns(p.mapping, p.def, columns, (p.reader === 'csv' || p.reader === 'tsv') && !p.timestampsAsText);
  const typedTimestamps = [...direct.values()].some((d) => d.type === 'TIMESTAMP');
  for (const [col, { reason }] of direct) await conn.run('INSERT INTO load_cast_reasons VALUES ($col, $why)', { col, why: reason });
  const delimiter = p.mapping.source.delimiter ?? (p.reader === 'tsv' ? '\t' : ',');
  // Delimiter, quoting, header and columns are fixed (RFC 4180 quoting); a file the sniffer cannot
  // read (an open quote, an over-long line) is read again with it off, so that the bad row is a
  // reject, not a failed file (see loadFile).
  const opts = [...(p.noSniff ? ['auto_detect = false'] : []), ...(typedTimestamps ? [`timestampformat = ${literal(PLAIN_TIMESTAMP)}`] : []), `header = ${hasHeader}`, `delim = ${literal(delimiter)}`, `quote = '"'`, `escape = '"'`, `columns = ${readCsvColumns(columns, direct)}`, rejectOpts];
  await conn.run(`CREATE OR REPLACE TEMP VIEW load_src AS SELECT ${ordinal(numbered)} AS __ord, * FROM read_csv(${literal(p.readPath)}, ${opts.join(', ')})`);
  return { firstLine: hasHeader ? 2 : 1, direct, shape: { columns, format: 'columns' } };
}

/** The zones of a load: the file's (its local timestamps) and the center's (calls.enqueued_local). */
interface Zones {
  file: string;
  center: string;
}

async function loadFile(conn: DuckDBConnection, p: Plan, zones: Zones, onProgress?: Progress): Promise<FileSummary> {
  const startedAt = Date.now(); // ingest_log.started_at (ms since the epoch)
  const summary: FileSummary = { file: p.file, kind: p.def.kind, profile: p.mapping.name, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsPresent: 0, skipped: false };
  const { sha256, lines } = await p.digest();
  if (p.linesAreRecords) p.records = Math.max(0, lines - 1);
  const done = await queryRows<{ ingest_id: number }>(conn, 'SELECT ingest_id FROM ingest_log WHERE sha256 = $sha LIMIT 1', { sha: sha256 });
  if (done.length) return { ...summary, skipped: true, ingestId: done[0].ingest_id };

  const rowsTotal = estimateRows(p.readPath);
  const size = fs.statSync(p.readPath).size;
  const watch: Watch = async (sql, params) => {
    // Rows done = bytes of the file read so far × rows per byte. DuckDB reads the file in this
    // process, so the process's read counter (Linux /proc/self/io) tells how far it got; DuckDB's
    // own query progress is the fallback elsewhere (it stays at 0 for queries with joins).
    const start = bytesRead();
    const timer = onProgress
      ? setInterval(() => {
          const now = bytesRead();
          const fraction = start !== null && now !== null ? Math.min(1, (now - start) / size) : conn.progress.percentage / 100;
          if (fraction > 0) onProgress({ file: p.file, rowsDone: Math.round(fraction * rowsTotal), rowsTotal });
        }, 200)
      : undefined;
    try {
      return await conn.runAndReadAll(sql, params);
    } finally {
      if (timer) clearInterval(timer);
    }
  };

  await conn.run(`SET TimeZone = ${literal(zones.file)}`);
  onProgress?.({ file: p.file, rowsDone: 0, rowsTotal });
  // DuckDB tracks a running query's progress only with its progress bar on (printing stays off).
  if (onProgress && bytesRead() === null) await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
  // Fact files read by read_csv first try the one-pass path; the careful path handles the rest.
  const fast = !p.def.dimension && p.def.table !== 'utterances' && (p.reader === 'csv' || p.reader === 'tsv' || p.reader === 'jsonl' || p.reader === 'xlsx');
  let result: FileSummary | undefined;
  for (let tryFast = fast; !result; ) {
    try {
      result = await attempt(conn, p, summary, watch, tryFast, zones, startedAt);
    } catch (err) {
      // The file repeats a key within itself: the careful path keeps the first and rejects the rest.
      if (err instanceof RepeatedKeys) tryFast = false;
      // Keys of the file were stored after all: load it again comparing every key with the warehouse.
      else if (err instanceof StoredKeys) p.antiJoin = true;
      // A timestamp read as TIMESTAMP was in another form (an offset, fractions, a bad one): as text.
      else if (err instanceof TimestampsAsText) p.timestampsAsText = true;
      // read_csv's sniffer stumbles on some bad files (an open quote, an over-long line) where the
      // reader itself rejects just the bad row: read such a file again without it.
      else if (!p.noSniff && (p.reader === 'csv' || p.reader === 'tsv')) p.noSniff = true;
      else throw err;
    }
  }
  onProgress?.({ file: p.file, rowsDone: result.rowsRead, rowsTotal: result.rowsRead });
  return result;
}

/** Thrown inside the fast path's transaction (so it rolls back) when the file repeats a key. */
class RepeatedKeys extends Error {}

/** Thrown inside the fast path's transaction when an insert without the anti-join met stored keys after all. */
class StoredKeys extends Error {}

/** Thrown inside a load's transaction when read_csv refused a value of a timestamp column it read as TIMESTAMP. */
class TimestampsAsText extends Error {}

/** read_csv's tables of refused lines (temporary: store_rejects makes them so). */
async function dropRejectTables(conn: DuckDBConnection): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS temp.load_rj');
  await conn.run('DROP TABLE IF EXISTS temp.load_rs');
}

/**
 * Whether a stored row's key is at or after the file's first key: false when none is (or the file
 * has no key at all), so that the insert may skip comparing keys with the warehouse.
 */
async function storedKeysFrom(conn: DuckDBConnection, vars: Record<string, string>): Promise<boolean> {
  const first = await queryRows<{ k: string }>(conn, loadSql('first_key', vars));
  // That read may have noted refused lines of the file's start: the insert notes them again.
  await dropRejectTables(conn);
  if (!first.length) return false;
  return (await count(conn, loadSql('stored_from', vars), { first: first[0].k })) > 0;
}

/**
 * Loads one file in one transaction. fast: insert the good new rows straight from the file, then
 * look at the other rows only if there are any. A file that repeats a key within itself, and the
 * other kinds, take the careful path: stage every row, classify, insert.
 */
async function attempt(conn: DuckDBConnection, p: Plan, base: FileSummary, watch: Watch, tryFast: boolean, zones: Zones, startedAt: number): Promise<FileSummary> {
  const { sha256 } = await p.digest();
  const summary = { ...base };
  await conn.run('BEGIN TRANSACTION');
  try {
    const ingestId = Number((await queryRows<{ id: number }>(conn, "SELECT nextval('ingest_seq') AS id"))[0].id);
    const ids = { ingest_id: ingestId, file: p.file };
    let { firstLine: first, direct, shape } = await defineSource(conn, p, watch, !tryFast);
    const defineMapped = async (): Promise<void> => {
      if (p.reader === 'transcript') await conn.run(loadSql('transcript_mapped'));
      else await conn.run(`CREATE OR REPLACE TEMP VIEW load_mapped AS ${mappedSelect(p.mapping, p.def, shape, direct, await fixedOffset(conn, zones.file))}`);
    };
    await defineMapped();
    for (const dim of p.mapping.create) {
      if (p.def.columns.some((c) => c.ref === dim)) await conn.run(loadSql(`create_${dim}`));
    }
    const centerOffset = await fixedOffset(conn, zones.center);
    const vars = templateVars(p.def, loadSql(`check_${p.def.kind}`), (ts) => tzToLocal(ts, zones.center, centerOffset));
    const reject = async (statuses: string): Promise<void> =>
      runSql(conn, 'row_rejects', { ...vars, reject_statuses: statuses, raw: p.reader === 'jsonl' ? 's.__line' : 'CAST(to_json(s) AS VARCHAR)' }, { ...ids, first_line: first ?? 0 });
    const ensureRejectTable = (): Promise<void> =>
      conn.run('CREATE TEMP TABLE IF NOT EXISTS load_rj (line BIGINT, column_idx BIGINT, column_name VARCHAR, error_type VARCHAR, csv_line VARCHAR, error_message VARCHAR)').then(() => undefined);
    // After the file's first full read: did read_csv refuse a timestamp it read as TIMESTAMP?
    const checkTimestamps = async (): Promise<void> => {
      await ensureRejectTable();
      const misfits = await count(conn, `SELECT count(*) AS n FROM load_rj e JOIN load_cast_reasons r ON r.col = e.column_name WHERE e.error_type = 'CAST' AND r.why = 'bad timestamp'`);
      if (misfits > 0) throw new TimestampsAsText();
    };

    // The fast path needs to know the file repeats no key and how many records it has. For a CSV
    // the line count from hashing tells the latter and the inserted rows the former, so the file
    // is read once; otherwise a light pass over the key columns tells both.
    const stats = tryFast && p.records === undefined ? (await queryRows<{ n: number; dups: number }>(conn, loadSql('file_stats', vars)))[0] : undefined;
    const fast = tryFast && (p.records !== undefined || Number(stats!.dups) === 0);
    if (tryFast && !fast) {
      ({ firstLine: first, direct, shape } = await defineSource(conn, p, watch, true));
      await defineMapped();
    }
    if (fast) {
      // Without the anti-join when no stored key is at or after the file's first one (a newer export
      // than any loaded before); whether any key collided after all is checked once the rows are in.
      const optimistic = !p.antiJoin && (await storedKeysFrom(conn, vars)) === false;
      const inserted = await watch(loadSql(optimistic ? 'insert_new' : 'insert_direct', vars), { ingest_id: ingestId });
      const loaded = Number((inserted as { getRows(): unknown[][] }).getRows()[0][0]);
      await checkTimestamps();
      if (!stats || optimistic) {
        const own = (await queryRows<{ n: number; lo: string | null; hi: string | null }>(conn, loadSql('inserted_duplicates', vars), { ingest_id: ingestId }))[0];
        if (Number(own.n) > 0) throw new RepeatedKeys();
        if (optimistic && own.lo !== null && own.hi !== null) {
          const range = { ingest_id: ingestId, lo: own.lo, hi: own.hi };
          if ((await count(conn, loadSql('stored_in_range', vars), range)) > 0 && (await count(conn, loadSql('stored_collisions', vars), range)) > 0) throw new StoredKeys();
        }
      }
      await ensureRejectTable();
      await runSql(conn, 'structural_rejects', {}, { ...ids, first_line: first ?? 1 });
      const structural = await count(conn, 'SELECT count(DISTINCT line) AS n FROM load_rj');
      const good = stats ? Number(stats.n) : p.records! - structural;
      summary.rowsLoaded = loaded;
      summary.rowsRejected = structural;
      if (good > loaded) {
        // Some rows were left out: number the records now and classify just those rows, counting
        // the rows this ingest inserted as new.
        await defineSource(conn, p, watch, true);
        await defineMapped();
        const rest = { ...vars, own_rows: "WHEN t.ingest_id = $ingest_id THEN 'new'", keep: "__status <> 'new'" };
        await watch(loadSql('classify', rest), { ingest_id: ingestId });
        const statuses = await queryRows<{ status: string; n: number }>(conn, 'SELECT __status AS status, count(*) AS n FROM load_checked GROUP BY ALL');
        const n = (s: string): number => Number(statuses.find((r) => r.status === s)?.n ?? 0);
        await reject("'rejected', 'conflict'");
        summary.rowsRejected += n('rejected') + n('conflict');
        summary.rowsPresent = n('present');
      }
    } else {
      await watch(loadSql('classify', vars), {});
      await checkTimestamps();
      await runSql(conn, 'structural_rejects', {}, { ...ids, first_line: first ?? 1 });
      await runSql(conn, 'duplicates', vars);
      const statuses = await queryRows<{ status: string; n: number }>(conn, 'SELECT __status AS status, count(*) AS n FROM load_checked GROUP BY ALL');
      const n = (s: string): number => Number(statuses.find((r) => r.status === s)?.n ?? 0);
      const structural = await count(conn, 'SELECT count(DISTINCT line) AS n FROM load_rj');
      if (p.def.dimension) {
        // A changed dimension row is an update, not a conflict.
        if (n('rejected') > 0) await reject("'rejected'");
        await runSql(conn, `upsert_${p.def.kind}`);
        summary.rowsLoaded = n('new') + n('conflict');
        summary.rowsRejected = n('rejected') + structural;
      } else {
        if (n('rejected') + n('conflict') > 0) await reject("'rejected', 'conflict'");
        await runSql(conn, 'insert_fact', vars, { ingest_id: ingestId });
        summary.rowsLoaded = n('new');
        summary.rowsRejected = n('rejected') + n('conflict') + structural;
      }
      summary.rowsPresent = n('present');
    }
    summary.rowsRead = summary.rowsLoaded + summary.rowsRejected + summary.rowsPresent;
    // The new calls' next inbound call from the same number, and the stored calls they follow.
    if (p.def.table === 'calls' && summary.rowsLoaded > 0) await runSql(conn, 'next_inbound', {}, { ingest_id: ingestId });
    await conn.run(
      // The times come from this process's clock: DuckDB's now() is the transaction's start.
      `INSERT INTO ingest_log VALUES ($ingest_id, $file, $sha, $kind, $profile, to_timestamp($started / 1000), to_timestamp($finished / 1000), $read, $loaded, $rejected, $present)`,
      {
        ...ids, sha: sha256, kind: p.def.kind, profile: p.mapping.name, started: startedAt, finished: Date.now(),
        read: summary.rowsRead, loaded: summary.rowsLoaded, rejected: summary.rowsRejected, present: summary.rowsPresent
      }
    );
    await conn.run('COMMIT');
    summary.ingestId = ingestId;
    return summary;
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Bytes this process has read so far (Linux), or null where the counter does not exist. */
function bytesRead(): number | null {
  try {
    const match = /^rchar: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A zone's UTC offset in seconds (local − UTC) if it never changed over 1992–2100, else null. */
async function fixedOffset(conn: DuckDBConnection, zone: string): Promise<number | null> {
  let known = offsets.get(zone);
  if (known === undefined) {
    const rows = await queryRows<{ n: number; off: number }>(
      conn,
      `SELECT count(DISTINCT o) AS n, min(o) AS off FROM (
         SELECT epoch(d) - epoch(timezone($zone::VARCHAR, d)) AS o
         FROM generate_series(TIMESTAMP '1992-01-01', TIMESTAMP '2100-01-01', INTERVAL 1 DAY) AS t(d))`,
      { zone }
    );
    known = Number(rows[0].n) === 1 ? Number(rows[0].off) : null;
    offsets.set(zone, known);
  }
  return known;
}
const offsets = new Map<string, number | null>();

/** Rows in a text file, estimated from its size and the line length of its first 64 KiB. */
function estimateRows(file: string): number {
  const size = fs.statSync(file).size;
  const head = Buffer.alloc(Math.min(size, 65536));
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  let lines = 0;
  for (let i = head.indexOf(0x0a); i >= 0; i = head.indexOf(0x0a, i + 1)) lines++;
  return lines === 0 ? 1 : Math.max(1, Math.round((size / head.length) * lines) - 1);
}

/**
 * Loads files and folders into the warehouse. Dimension files (agents, queues) load before the
 * facts that reference them; each file commits on its own. A file that fails outright is listed
 * with its error and the others still load.
 */
export async function ingestFiles(warehouse: Warehouse, inputs: string[], options: IngestOptions = {}, onProgress?: Progress): Promise<IngestSummary> {
  if (options.kind && !KINDS[options.kind]) throw new UserError(`unknown kind "${options.kind}" (known: ${Object.keys(KINDS).join(', ')})`);
  if (options.map && options.kind) throw new UserError('give --kind or --map, not both (the mapping names its kind)');
  if (options.map) readMappingFile(options.map); // a bad mapping is one clear error before anything loads
  const files = listInputs(inputs);
  const profiles = builtinProfiles();
  const tmpDir = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'zhijian-ingest-'));
  const conn = await warehouse.connect();
  const results: FileSummary[] = [];
  // DuckDB 1.5.6 cannot replay a write-ahead log holding COMMENT ON statements (which every
  // schema migration writes): a crash before the next checkpoint would leave a warehouse that no
  // longer opens. Checkpointing first keeps only our own, replayable, inserts in the log.
  await conn.run('CHECKPOINT').catch(() => undefined);
  try {
    const plans: (Plan | FileSummary)[] = [];
    for (const file of files) {
      try {
        plans.push(await plan(conn, file, options, profiles, tmpDir));
      } catch (err) {
        if (err instanceof UserError) throw err;
        plans.push({ file, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsPresent: 0, skipped: false, error: (err as Error).message });
      }
    }
    const order = (x: Plan | FileSummary): number => ('def' in x ? x.def.order : -1);
    const sorted = plans.map((x, i) => ({ x, i })).sort((a, b) => order(a.x) - order(b.x) || a.i - b.i).map((e) => e.x);
    const finish = (s: FileSummary): void => {
      results.push(s);
      options.onFile?.(s);
    };
    const planned = sorted.filter((x): x is Plan => 'def' in x);
    for (const item of sorted) {
      if (!('def' in item)) {
        finish(item);
        continue;
      }
      // Hash the next file while DuckDB loads this one (the hash is JavaScript on this thread; the
      // load runs on DuckDB's threads).
      void item.digest();
      void planned[planned.indexOf(item) + 1]?.digest();
      const zones = { file: item.mapping.timeZone ?? options.timeZone ?? warehouse.timeZone, center: warehouse.timeZone };
      try {
        finish(await loadFile(conn, item, zones, onProgress));
      } catch (err) {
        finish({ file: item.file, kind: item.def.kind, profile: item.mapping.name, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsPresent: 0, skipped: false, error: (err as Error).message });
      } finally {
        for (const t of item.temps) fs.rmSync(t, { force: true });
      }
    }
  } finally {
    await conn.run(`SET TimeZone = ${literal(warehouse.timeZone)}`).catch(() => undefined);
    conn.closeSync();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return { files: results, failed: results.filter((r) => r.error).length };
}
