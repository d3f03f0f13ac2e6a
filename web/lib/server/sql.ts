// Ad-hoc SQL for analysts (`zhijian sql`, POST /api/internal/sql): runs one query and returns
// its columns and rows as plain JSON values, timestamps written in the center's time zone.
// Queries go through the workbench's guard and limits (workbench/guard.ts) unless `unsafe` is
// set, which only an administrator can ask for (the CLI's --unsafe: the owner of the warehouse
// file, or of the running server's token file).
import type { Warehouse } from './warehouse.ts';
import { queryTable, isDateType, isTimestampType, type Column } from './query.ts';
import { runWorkbenchQuery, type Limits } from './workbench/run.ts';

export type SqlValue = string | number | boolean | null | SqlValue[] | { [key: string]: SqlValue };

export interface SqlResult {
  columns: { name: string; type: string }[];
  rows: SqlValue[][];
  /** Set when the row limit cut the result. */
  truncated?: boolean;
}

export interface SqlOptions {
  /** Skip the workbench's rules: any statement, no limits (administrators only). */
  unsafe?: boolean;
  limits?: Partial<Limits>;
}

export async function runSql(warehouse: Warehouse, sql: string, options: SqlOptions = {}): Promise<SqlResult> {
  if (options.unsafe) {
    const table = await queryTable(warehouse, sql);
    return plainResult(table.columns, table.rows.map((row) => table.columns.map((c) => row[c.name])), warehouse.timeZone);
  }
  const result = await runWorkbenchQuery(warehouse, sql, { limits: options.limits });
  return { ...plainResult(result.columns, result.rows, warehouse.timeZone), ...(result.truncated ? { truncated: true } : {}) };
}

/** JSON-ready values: DATE as YYYY-MM-DD, TIMESTAMPTZ in the center's zone with its offset, big integers as strings. */
export function plainResult(columns: Column[], rows: unknown[][], timeZone: string): SqlResult {
  const local = localTimestampFormatter(timeZone);
  const convert = columns.map((col) => {
    if (isDateType(col.type)) return (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : plainValue(v));
    if (col.type === 'TIMESTAMP WITH TIME ZONE') return (v: unknown) => (v instanceof Date ? local(v) : plainValue(v));
    if (isTimestampType(col.type)) return (v: unknown) => (v instanceof Date ? v.toISOString().replace('T', ' ').replace(/(\.000)?Z$/, '') : plainValue(v));
    return plainValue;
  });
  return { columns, rows: rows.map((row) => columns.map((_, i) => convert[i](row[i]))) };
}

export function plainValue(v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  return v as SqlValue;
}

/** `2026-07-01 10:00:00+08:00`: the wall-clock time in the zone, with its offset. The zone's
 *  offset is asked of Intl once per quarter hour of time (offsets change only at those
 *  boundaries), so formatting 100 000 timestamps costs little more than the arithmetic. */
export function localTimestampFormatter(timeZone: string): (d: Date) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, timeZoneName: 'longOffset' });
  const offsets = new Map<number, number>();
  const offsetMinutes = (ms: number): number => {
    const key = Math.floor(ms / 900_000);
    let minutes = offsets.get(key);
    if (minutes === undefined) {
      const name = fmt.formatToParts(new Date(key * 900_000)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
      minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
      offsets.set(key, minutes);
    }
    return minutes;
  };
  const two = (n: number) => String(n).padStart(2, '0');
  return (d) => {
    const minutes = offsetMinutes(d.getTime());
    const l = new Date(d.getTime() + minutes * 60_000);
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    return `${l.getUTCFullYear()}-${two(l.getUTCMonth() + 1)}-${two(l.getUTCDate())} ${two(l.getUTCHours())}:${two(l.getUTCMinutes())}:${two(l.getUTCSeconds())}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  };
}
