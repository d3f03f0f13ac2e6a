// Ad-hoc SQL for analysts (`zhijian sql`, POST /api/internal/sql): runs one query and returns
// its columns and rows as plain JSON values, timestamps written in the center's time zone.
import type { Warehouse } from './warehouse.ts';
import { queryTable, isDateType, isTimestampType } from './query.ts';

export type SqlValue = string | number | boolean | null | SqlValue[] | { [key: string]: SqlValue };

export interface SqlResult {
  columns: { name: string; type: string }[];
  rows: SqlValue[][];
}

export async function runSql(warehouse: Warehouse, sql: string): Promise<SqlResult> {
  const table = await queryTable(warehouse, sql);
  const local = localTimestampFormatter(warehouse.timeZone);
  const convert = table.columns.map((col) => {
    if (isDateType(col.type)) return (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : plain(v));
    if (col.type === 'TIMESTAMP WITH TIME ZONE') return (v: unknown) => (v instanceof Date ? local(v) : plain(v));
    if (isTimestampType(col.type)) return (v: unknown) => (v instanceof Date ? v.toISOString().replace('T', ' ').replace(/(\.000)?Z$/, '') : plain(v));
    return plain;
  });
  return {
    columns: table.columns,
    rows: table.rows.map((row) => table.columns.map((col, i) => convert[i](row[col.name])))
  };
}

function plain(v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v as SqlValue;
}

/** `2026-07-01 10:00:00+08:00`: the wall-clock time in the zone, with its offset. */
export function localTimestampFormatter(timeZone: string): (d: Date) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset'
  });
  return (d) => {
    const p = Object.fromEntries(fmt.formatToParts(d).map((x) => [x.type, x.value]));
    const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName.replace('GMT', '');
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}${offset}`;
  };
}
