// Query results as an Apache Arrow IPC stream: what the browser's charts read directly.
// DATE → Date<MILLISECOND> (UTC midnight of the day), TIMESTAMP* → Timestamp<MILLISECOND, UTC>,
// numbers (BIGINT included) → Float64, BOOLEAN → Bool, anything else → Utf8 (JSON for nested values).
import { Bool, DateMillisecond, Float64, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow';
import type { ResultTable } from '../query.ts';
import { isDateType, isTimestampType } from '../query.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

// The whole type name: a list such as BIGINT[] is not a number.
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+, *\d+\))?)$/;

function arrowType(duckType: string): DataType {
  if (isDateType(duckType)) return new DateMillisecond();
  if (isTimestampType(duckType)) return new TimestampMillisecond('UTC');
  if (NUMERIC.test(duckType)) return new Float64();
  if (duckType === 'BOOLEAN') return new Bool();
  return new Utf8();
}

function arrowValue(type: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type instanceof DateMillisecond) return v instanceof Date ? v : new Date(String(v));
  if (type instanceof TimestampMillisecond) return v instanceof Date ? v.getTime() : Date.parse(String(v));
  if (type instanceof Float64) return Number(v);
  if (type instanceof Bool) return Boolean(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function tableToArrow(result: ResultTable): Table {
  const vectors = Object.fromEntries(
    result.columns.map((col) => {
      const type = arrowType(col.type);
      return [col.name, vectorFromArray(result.rows.map((r) => arrowValue(type, r[col.name])), type)];
    })
  );
  return new Table(vectors);
}

export function resultToArrowIPC(result: ResultTable): Uint8Array {
  return tableToIPC(tableToArrow(result), 'stream');
}
