// `zhijian sql "<query>"`: ad-hoc SQL on the warehouse, printed as a table, CSV or JSON.
// Through the running server when there is one (it owns the file), else on the file itself.
// The workbench's rules apply (one reading statement, no files, row and time limits; see
// web/lib/server/workbench/guard.ts) unless an administrator gives --unsafe.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { resolveDbPath } from '../config.ts';
import { UserError } from '../errors.ts';
import { findServer, remoteSql, TOKEN_HEADER, type RunningServer } from '../handoff.ts';
import { runSql, type SqlResult } from '../sql.ts';
import { formatResult, type SqlFormat } from '../sql-format.ts';
import { Warehouse, WarehouseError } from '../warehouse.ts';
import { WorkbenchError } from '../workbench/guard.ts';

export interface QueryOptions {
  format?: SqlFormat;
  /** Any statement, no limits: the file opened read-write (or the server asked to skip the rules). */
  unsafe?: boolean;
}

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('run a read-only SQL query on the warehouse (one statement, warehouse tables only, row and time limits)')
    .argument('<query>', 'the SQL to run, e.g. "SELECT count(*) FROM calls"')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--unsafe', 'administrators: run any statement (writes, files, settings) without the workbench rules')
    .action(async (query: string, opts: { format: SqlFormat; unsafe?: boolean }, cmd: Command) => {
      const result = await querySql(resolveDbPath(cmd.optsWithGlobals().db), query, { format: opts.format, unsafe: opts.unsafe });
      process.stdout.write(formatResult(result, opts.format));
      if (result.truncated) process.stderr.write(`zhijian: only the first ${result.rows.length} rows are shown (the workbench's row limit)\n`);
    });
}

/** Runs the query where the warehouse is reachable now: the server, else the file. */
export async function querySql(dbPath: string, query: string, options: QueryOptions | SqlFormat = {}): Promise<SqlResult> {
  const { format = 'table', unsafe = false } = typeof options === 'string' ? { format: options } : options;
  const server = await findServer(dbPath);
  if (server) return unsafe ? remoteUnsafeSql(server, query) : remoteSql(server, query, format);
  if (unsafe && !fs.existsSync(dbPath)) throw new UserError(`no warehouse at ${dbPath} (run "zhijian ingest" or "zhijian demo" first)`);
  let warehouse: Warehouse;
  try {
    // Guarded queries get an instance that can open no file but the warehouse (DuckDB's external
    // access off); --unsafe gets the file read-write, as an administrator's own DuckDB would.
    warehouse = await Warehouse.open(dbPath, unsafe ? { migrate: false } : { readOnly: true, externalAccess: false });
  } catch (err) {
    if (err instanceof WarehouseError) throw new UserError(err.message);
    throw err;
  }
  try {
    return await runSql(warehouse, query, { unsafe });
  } catch (err) {
    if (err instanceof WorkbenchError) throw new UserError(err.message);
    throw new UserError((err as Error).message.split('\n')[0]);
  } finally {
    warehouse.close();
  }
}

/** --unsafe through the server: the token from <db>.server.json (readable by the server's owner only) is the administrator's proof. */
async function remoteUnsafeSql(server: RunningServer, sql: string): Promise<SqlResult> {
  const res = await fetch(`${server.url}/api/internal/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify({ sql, unsafe: true })
  });
  const body = (await res.json().catch(() => null)) as (SqlResult & { error?: { message: string } }) | null;
  if (!res.ok || !body) throw new UserError(`server: ${body?.error?.message ?? res.statusText}`);
  return body;
}
