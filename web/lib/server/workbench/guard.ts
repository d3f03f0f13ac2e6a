/**
 * The workbench's statement guard: decides, before DuckDB binds or runs anything, whether an
 * analyst's SQL is one reading statement over the warehouse's own tables.
 *
 * Why a guard and not just DuckDB settings: the server process owns the warehouse read-write and
 * its loader reads export files with read_csv on the same DuckDB instance, and DuckDB's
 * `enable_external_access` is instance-wide (once off it cannot come back on), so it cannot be
 * turned off for the workbench's connections alone. The workbench therefore stacks these layers
 * (see run.ts for the rest):
 *
 *  1. DuckDB's own parser (`json_serialize_sql`, which parses and never binds or executes) must
 *     return exactly one SELECT statement. DESCRIBE, SUMMARIZE, SHOW TABLES, VALUES and PIVOT/UNPIVOT
 *     with an IN list parse as SELECTs; COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA, CREATE, INSERT,
 *     CALL, EXPORT, … do not and are refused. `EXPLAIN [ANALYZE] q` is accepted by checking q and
 *     running "EXPLAIN " + q, so what runs is always exactly what was checked.
 *  2. The parse tree is walked: every table must be a table or view of the warehouse (or a CTE of
 *     the query), so replacement scans such as FROM '/etc/passwd.csv' and other catalogs are out;
 *     every table function must be on an allow-list (range, unnest, duckdb_columns, …; not
 *     read_csv, read_text, read_blob, glob, query, checkpoint, duckdb_settings, …); scalar
 *     functions that read the machine or run SQL from a string (getenv, current_setting,
 *     json_execute_serialized_sql, …) are refused.
 *  3. (run.ts) The checked text is prepared and must still be a SELECT or EXPLAIN statement, and it
 *     runs inside `BEGIN TRANSACTION READ ONLY`, so DuckDB's transaction manager refuses any write
 *     even if a layer above were wrong; a row limit, a time limit (connection.interrupt()) and a
 *     size limit bound the result.
 *  4. Where the workbench has an instance of its own (`zhijian sql` without a server), that instance
 *     is opened read-only with external access off and its configuration locked.
 */

import type { DuckDBConnection } from '@duckdb/node-api';

export type GuardCode = 'refused' | 'syntax';

export class WorkbenchError extends Error {
  constructor(
    readonly code: GuardCode | 'sql' | 'timeout' | 'too_large' | 'cancelled' | 'busy',
    message: string,
    /** Character offset in the submitted SQL where the problem is, when DuckDB says. */
    readonly position?: number
  ) {
    super(message);
  }
}

/** Table functions a reading query may use: generators and the catalog, nothing that touches files or runs SQL. */
export const ALLOWED_TABLE_FUNCTIONS = new Set([
  'range',
  'generate_series',
  'unnest',
  'repeat',
  'json_each',
  'json_tree',
  'duckdb_tables',
  'duckdb_columns',
  'duckdb_views',
  'duckdb_schemas',
  'duckdb_types',
  'duckdb_constraints',
  'duckdb_indexes',
  'duckdb_keywords',
  'duckdb_functions',
  'duckdb_sequences',
  'pragma_table_info',
  'pg_timezone_names',
  'icu_calendar_names'
  // Not histogram/histogram_values: those table macros read their first argument with
  // query_table(), which takes a file name as readily as a table's.
]);

/**
 * Functions refused anywhere in a query: they read files, the environment or the server's
 * settings (which hold paths), run SQL given as a string, write logs, or change state (nextval).
 */
export const DENIED_FUNCTIONS = new Set([
  'getenv',
  'current_setting',
  'current_query',
  'json_serialize_sql',
  'json_deserialize_sql',
  'json_execute_serialized_sql',
  'write_log',
  'set_variable',
  'nextval',
  'query',
  'query_table',
  'read_csv',
  'read_csv_auto',
  'read_json',
  'read_json_auto',
  'read_json_objects',
  'read_json_objects_auto',
  'read_ndjson',
  'read_ndjson_auto',
  'read_ndjson_objects',
  'read_parquet',
  'parquet_scan',
  'read_text',
  'read_blob',
  'read_duckdb',
  'glob',
  'sniff_csv',
  'checkpoint',
  'force_checkpoint',
  'enable_logging',
  'disable_logging',
  'truncate_duckdb_logs',
  'enable_profiling',
  'disable_profiling',
  'duckdb_settings',
  'duckdb_databases',
  'duckdb_extensions',
  'duckdb_secrets',
  'which_secret',
  'duckdb_temporary_files',
  'duckdb_external_file_cache',
  'duckdb_logs',
  'duckdb_logs_parsed'
]);

/** System views that show the server's files, settings or logs. */
export const DENIED_RELATIONS = new Set(['duckdb_databases', 'pragma_database_list', 'duckdb_logs', 'pg_settings', 'duckdb_settings', 'duckdb_extensions', 'duckdb_secrets', 'duckdb_temporary_files']);

/** Schemas a table may be named in. */
const SCHEMAS = new Set(['', 'main', 'information_schema', 'pg_catalog']);

/** What the workbench runs once the guard has accepted a query. */
export interface CheckedQuery {
  /** The text to run: the submitted SQL, or "EXPLAIN " + the checked query. */
  sql: string;
  /** Offset to add to DuckDB's error positions in `sql` to point into the submitted text. */
  offset: number;
  explain: boolean;
}

export interface Catalog {
  /** The warehouse's catalog (database) name. */
  database: string;
  /** Lower-cased names of its tables and views, and of the system views. */
  relations: Set<string>;
}

/**
 * The names a query may read, read fresh for each check (the loader and migrations add tables):
 * schema main only — accounts, sessions, the audit trail and the vault (schema restricted) are not analysts' data.
 */
export async function readCatalog(conn: DuckDBConnection): Promise<Catalog> {
  const reader = await conn.runAndReadAll(
    `SELECT current_database() AS db, list(DISTINCT lower(name)) AS names FROM (
       SELECT table_name AS name FROM duckdb_tables() WHERE (database_name = current_database() AND schema_name = 'main') OR database_name = 'temp'
       UNION ALL SELECT view_name FROM duckdb_views()
        WHERE (database_name = current_database() AND schema_name = 'main') OR internal OR database_name IN ('system', 'temp'))`
  );
  const row = reader.getRowObjectsJS()[0] as { db: string; names: string[] | null };
  return { database: row.db.toLowerCase(), relations: new Set(row.names ?? []) };
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

interface ParseOk {
  error: false;
  statements: { node: unknown }[];
}
interface ParseError {
  error: true;
  error_type: string;
  error_message: string;
  position?: string;
}

/** DuckDB's parse tree of the text (parsing only: nothing is bound, no file is opened). */
async function parse(conn: DuckDBConnection, sql: string): Promise<ParseOk | ParseError> {
  // json_serialize_sql needs a constant argument, so the text goes in as an escaped literal of
  // this fixed statement (standard SQL strings: doubling the quote is the only escape).
  const reader = await conn.runAndReadAll(`SELECT json_serialize_sql(${sqlString(sql)}) AS tree`);
  return JSON.parse(String(reader.getRowObjectsJS()[0].tree)) as ParseOk | ParseError;
}

/** Leading whitespace and comments: where the first keyword starts. */
function skipLeading(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      if (nl < 0) return sql.length;
      i = nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return sql.length;
      i = end + 2;
    } else return i;
  }
}

const READ_ONLY_HINT = 'the workbench is read-only: it runs one SELECT, WITH, DESCRIBE, SUMMARIZE, EXPLAIN, PIVOT or SHOW TABLES statement at a time';

/** Checks a query and returns what to run, or throws a WorkbenchError saying why not. */
export async function checkQuery(conn: DuckDBConnection, sql: string, catalog?: Catalog): Promise<CheckedQuery> {
  if (!sql.trim()) throw new WorkbenchError('refused', 'the query is empty');
  let text = sql;
  let offset = 0;
  let explain = false;
  const start = skipLeading(sql);
  const lead = /^explain(\s+analyze)?\b/i.exec(sql.slice(start));
  if (lead) {
    // EXPLAIN is not a SELECT to the parser: check what it explains, run "EXPLAIN <that>".
    explain = true;
    offset = start + lead[0].length;
    text = sql.slice(offset);
  }
  // DuckDB's statement splitter (parsing only) counts first, so "SELECT 1; DROP …" is named for what it is.
  const count = await conn.extractStatements(text).then(
    (s) => s.count,
    () => 1 // a syntax error: the parse below reports it with its position
  );
  if (count > 1) throw new WorkbenchError('refused', `one statement per run: this text holds ${count} statements`);
  const tree = await parse(conn, text);
  if (tree.error) {
    if (tree.error_type === 'parser') {
      const pos = tree.position !== undefined ? Number(tree.position) + offset : undefined;
      throw new WorkbenchError('syntax', `Parser Error: ${tree.error_message}`, pos);
    }
    const keyword = /^[a-z]+/i.exec(text.slice(skipLeading(text)))?.[0]?.toUpperCase();
    const what = keyword === 'PIVOT' || keyword === 'UNPIVOT' ? `${keyword} needs its values listed (ON col IN (…))` : `this is a${/^[AEIOU]/.test(keyword ?? '') ? 'n' : ''} ${keyword ?? 'unknown'} statement`;
    throw new WorkbenchError('refused', `${READ_ONLY_HINT} (${what})`);
  }
  if (tree.statements.length !== 1) {
    throw new WorkbenchError('refused', `one statement per run: this text holds ${tree.statements.length} statements`);
  }
  checkTree(tree.statements[0].node, catalog ?? (await readCatalog(conn)), offset);
  if (!explain) return { sql, offset: 0, explain };
  // "EXPLAIN [ANALYZE]" as typed, then exactly the checked text; errors point back past the leading comments.
  return { sql: lead![0] + text, offset: start, explain };
}

type Node = Record<string, unknown>;

/** Walks the parse tree and refuses what a reading query over the warehouse has no business with. */
export function checkTree(root: unknown, catalog: Catalog, offset = 0): void {
  const ctes = new Set<string>();
  const collect = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(collect);
    else if (n && typeof n === 'object') {
      const node = n as Node;
      const map = (node.cte_map as { map?: { key: string }[] } | undefined)?.map;
      if (map) for (const entry of map) ctes.add(String(entry.key).toLowerCase());
      Object.values(node).forEach(collect);
    }
  };
  collect(root);
  for (const name of ctes) {
    // A CTE named like a file would fall through to a replacement scan outside its scope.
    if (!/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(name)) throw new WorkbenchError('refused', `CTE names must be plain identifiers, not "${name}"`);
  }
  const at = (node: Node) => {
    const loc = Number(node.query_location);
    return Number.isFinite(loc) && loc < 2 ** 52 ? loc + offset : undefined;
  };
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    if (node.type === 'BASE_TABLE') {
      const table = String(node.table_name ?? '').toLowerCase();
      const schema = String(node.schema_name ?? '').toLowerCase();
      const db = String(node.catalog_name ?? '').toLowerCase();
      if (db && db !== catalog.database && db !== 'system' && db !== 'temp') {
        throw new WorkbenchError('refused', `only the warehouse can be read, not the database "${node.catalog_name}"`, at(node));
      }
      if (!SCHEMAS.has(schema)) throw new WorkbenchError('refused', `unknown schema "${node.schema_name}"`, at(node));
      if (DENIED_RELATIONS.has(table)) throw new WorkbenchError('refused', `${table} is not available in the workbench (it shows the server's files or settings)`, at(node));
      const known = catalog.relations.has(table) || (!schema && !db && ctes.has(table));
      if (!known || !/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(table)) {
        throw new WorkbenchError('refused', `unknown table ${table}: only the warehouse's tables and views can be read (files cannot)`, at(node));
      }
    } else if (node.type === 'TABLE_FUNCTION') {
      const fn = node.function as Node | undefined;
      const name = String(fn?.function_name ?? '').toLowerCase();
      if (!ALLOWED_TABLE_FUNCTIONS.has(name)) {
        throw new WorkbenchError('refused', `the table function ${name}() is not available in the workbench (it can read files or server state)`, at(node));
      }
    } else if (node.type === 'SHOW_REF') {
      // DESCRIBE / SUMMARIZE <query> carry the query; SHOW TABLES lists the warehouse's own tables.
      const shown = String(node.table_name ?? '').replace(/"/g, '').toLowerCase();
      if (!node.query && shown !== 'tables') throw new WorkbenchError('refused', `SHOW ${shown.toUpperCase()} is not available in the workbench`, at(node));
    }
    if (node.class === 'FUNCTION' || node.type === 'FUNCTION') {
      const name = String(node.function_name ?? '').toLowerCase();
      if (DENIED_FUNCTIONS.has(name)) {
        throw new WorkbenchError('refused', `the function ${name}() is not available in the workbench (it reads files, settings or the environment)`, at(node));
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(root);
}
