// Writes an SqlResult for the terminal: an aligned table (CJK characters are two columns
// wide), CSV (RFC 4180 quoting) or JSON (one object per row).
import stringWidth from 'string-width';
import type { SqlResult, SqlValue } from './sql.ts';

export type SqlFormat = 'table' | 'csv' | 'json';

export function formatResult(result: SqlResult, format: SqlFormat): string {
  if (format === 'json') return formatJson(result);
  if (format === 'csv') return formatCsv(result);
  return formatTable(result);
}

function text(v: SqlValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U?(TINY|SMALL|BIG|HUGE)?INT|UINTEGER|FLOAT|DOUBLE|DECIMAL)/;

export function formatTable(result: SqlResult): string {
  const headers = result.columns.map((c) => c.name);
  const cells = result.rows.map((row) => row.map((v) => (v === null ? 'NULL' : text(v).replace(/\r?\n/g, '↵'))));
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...cells.map((r) => stringWidth(r[i]))));
  const right = result.columns.map((c) => NUMERIC.test(c.type));
  const pad = (s: string, i: number) => {
    const gap = ' '.repeat(widths[i] - stringWidth(s));
    return right[i] ? gap + s : s + gap;
  };
  const line = (r: string[]) => r.map(pad).join(' │ ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  return [line(headers), rule, ...cells.map(line), count].join('\n') + '\n';
}

function csvField(v: SqlValue): string {
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(result: SqlResult): string {
  const lines = [result.columns.map((c) => csvField(c.name)), ...result.rows.map((r) => r.map(csvField))];
  return lines.map((l) => l.join(',')).join('\n') + '\n';
}

export function formatJson(result: SqlResult): string {
  const objects = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
  return JSON.stringify(objects, null, 2) + '\n';
}
