// `zhijian sql "<query>"`: ad-hoc SQL on the warehouse, printed as a table, CSV or JSON.
// Through the running server when there is one (it owns the file), else read-only.
import { Command, Option } from 'commander';
import { resolveDbPath } from '../config.ts';
import { UserError } from '../errors.ts';
import { findServer, remoteSql } from '../handoff.ts';
import { runSql, type SqlResult } from '../sql.ts';
import { formatResult, type SqlFormat } from '../sql-format.ts';
import { Warehouse, WarehouseError } from '../warehouse.ts';

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('run a SQL query on the warehouse (read-only unless a server runs it)')
    .argument('<query>', 'the SQL to run, e.g. "SELECT count(*) FROM calls"')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action(async (query: string, opts: { format: SqlFormat }, cmd: Command) => {
      const result = await querySql(resolveDbPath(cmd.optsWithGlobals().db), query, opts.format);
      process.stdout.write(formatResult(result, opts.format));
    });
}

/** Runs the query where the warehouse is reachable now: the server, else the file read-only. */
export async function querySql(dbPath: string, query: string, format: SqlFormat = 'table'): Promise<SqlResult> {
  const server = await findServer(dbPath);
  if (server) return remoteSql(server, query, format);
  let warehouse: Warehouse;
  try {
    warehouse = await Warehouse.open(dbPath, { readOnly: true });
  } catch (err) {
    if (err instanceof WarehouseError) throw new UserError(err.message);
    throw err;
  }
  try {
    return await runSql(warehouse, query);
  } catch (err) {
    throw new UserError((err as Error).message.split('\n')[0]);
  } finally {
    warehouse.close();
  }
}
