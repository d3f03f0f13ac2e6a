// A query's result with its DuckDB column types, so that the API and the CLI can write
// dates as dates (JSON, Arrow, tables) instead of guessing from JavaScript values.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Params, Row, Warehouse } from './warehouse.ts';
import { plainRow } from './warehouse.ts';

export interface Column {
  name: string;
  /** DuckDB's type name, e.g. DATE, BIGINT, TIMESTAMP WITH TIME ZONE. */
  type: string;
}

export interface ResultTable {
  columns: Column[];
  /** JavaScript values: Date for dates and timestamps, number (bigint when unsafe: string), string, boolean, null, arrays. */
  rows: Row[];
}

/** Any statement (`zhijian sql --unsafe` may write): on a writer's connection. */
export async function queryTable(warehouse: Warehouse, sql: string, params?: Params): Promise<ResultTable> {
  return warehouse.withConnection((conn) => tableOf(conn, sql, params));
}

/** A reading query (a named metric): on a reading connection, which leaves the table versions
 *  (and the result cache) alone. */
export async function readTable(warehouse: Warehouse, sql: string, params?: Params): Promise<ResultTable> {
  return warehouse.read((conn) => tableOf(conn, sql, params));
}

/** A query's rows and column types on a connection the caller holds. */
export async function tableOf(conn: DuckDBConnection, sql: string, params?: Params): Promise<ResultTable> {
  const reader = await conn.runAndReadAll(sql, params);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  return {
    columns: names.map((name, i) => ({ name, type: types[i] })),
    rows: reader.getRowObjectsJS().map((row) => plainRow(row as Row))
  };
}

export const isDateType = (type: string) => type === 'DATE';
export const isTimestampType = (type: string) => type.startsWith('TIMESTAMP');

/** JSON-ready rows: DATE as YYYY-MM-DD, timestamps as ISO 8601 in UTC, bigints as numbers (strings when too big). */
export function jsonRows(table: ResultTable): Row[] {
  const dates = table.columns.filter((c) => isDateType(c.type)).map((c) => c.name);
  if (!dates.length) return table.rows;
  return table.rows.map((row) => {
    const out = { ...row };
    for (const name of dates) {
      const v = out[name];
      if (v instanceof Date) out[name] = v.toISOString().slice(0, 10);
    }
    return out;
  });
}
