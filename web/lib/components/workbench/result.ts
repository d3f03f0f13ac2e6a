// The browser side of a workbench run: POST /api/sql asking for Arrow, the Arrow table decoded
// once, cells formatted on demand (the grid shows only the rows in view), columns for the chart.
import { tableFromIPC, type Table } from 'apache-arrow';

export interface Column {
  name: string;
  /** DuckDB's type name. */
  type: string;
}

export interface RunResult {
  table: Table;
  columns: Column[];
  rowCount: number;
  truncated: boolean;
  /** Milliseconds from sending the query to having the decoded table. */
  elapsedMs: number;
  timeZone: string;
}

export interface RunFailure {
  code: string;
  message: string;
  /** Offset into the SQL that was sent. */
  position?: number;
}

export class QueryFailed extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}

const ARROW = 'application/vnd.apache.arrow.stream';

export async function runQuery(sql: string, id: string, signal?: AbortSignal): Promise<RunResult> {
  const t0 = performance.now();
  const res = await fetch('/api/sql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ARROW },
    body: JSON.stringify({ sql, id }),
    signal
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: RunFailure } | null;
    throw new QueryFailed(body?.error ?? { code: 'http', message: `${res.status} ${res.statusText}` });
  }
  const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
  return {
    table,
    columns: JSON.parse(decodeURIComponent(res.headers.get('x-zhijian-columns') ?? '[]')) as Column[],
    rowCount: table.numRows,
    truncated: res.headers.get('x-zhijian-truncated') === 'true',
    elapsedMs: performance.now() - t0,
    timeZone: res.headers.get('x-zhijian-time-zone') ?? 'UTC'
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A function that writes a cell of this column as text: dates as dates, TIMESTAMPTZ in the center's zone. */
export function cellFormatter(column: Column, timeZone: string): (v: unknown) => string {
  if (column.type === 'DATE') return (v) => (v == null ? '' : new Date(Number(v)).toISOString().slice(0, 10));
  if (column.type === 'TIMESTAMP WITH TIME ZONE') {
    const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    return (v) => (v == null ? '' : fmt.format(new Date(Number(v))));
  }
  if (column.type.startsWith('TIMESTAMP')) {
    return (v) => {
      if (v == null) return '';
      const d = new Date(Number(v));
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    };
  }
  return (v) => (v == null ? '' : String(v));
}

export const isNumeric = (type: string) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/.test(type);
export const isTemporal = (type: string) => type === 'DATE' || type.startsWith('TIMESTAMP');

/** The text of a DuckDB error position: a range to mark in the editor (the word at the offset). */
export function errorRange(sql: string, position: number): { from: number; to: number } {
  const from = Math.max(0, Math.min(position, sql.length));
  const word = /^[\p{L}\p{N}_."]+/u.exec(sql.slice(from));
  return { from, to: Math.min(sql.length, from + Math.max(1, word?.[0].length ?? 1)) };
}

/** Rows for the chart, the first `limit` of the result, temporal values as Date. */
export function chartRows(result: RunResult, names: string[], limit: number): Record<string, unknown>[] {
  const n = Math.min(result.rowCount, limit);
  const cols = names.map((name) => {
    const index = result.columns.findIndex((c) => c.name === name);
    const vector = result.table.getChildAt(index);
    const temporal = isTemporal(result.columns[index]?.type ?? '');
    const numeric = isNumeric(result.columns[index]?.type ?? '');
    return { name, vector, temporal, numeric };
  });
  const rows: Record<string, unknown>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const c of cols) {
      const v = c.vector?.get(i);
      row[c.name] = v == null ? null : c.temporal ? new Date(Number(v)) : c.numeric ? Number(v) : v;
    }
    rows[i] = row;
  }
  return rows;
}
