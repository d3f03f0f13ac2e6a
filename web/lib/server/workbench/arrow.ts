// A workbench result as an Apache Arrow table, built column by column. The same types as the
// metrics' encoder (metrics/arrow.ts: numbers → Float64, DATE → Date<ms>, TIMESTAMP* →
// Timestamp<ms, UTC>, BOOLEAN → Bool, the rest → Utf8 with JSON for nested values), but numbers
// and text are written straight into Arrow's buffers instead of through its per-value builders,
// which took most of the time of a 100 000-row answer (bench/arrow-vs-json.ts).
import { Bool, DateMillisecond, Float64, Table, TimestampMillisecond, Utf8, makeData, makeVector, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import type { Column } from '../query.ts';
import { isDateType, isTimestampType } from '../query.ts';
import { plainValue } from '../sql.ts';

/** Plain numbers only: a LIST such as BIGINT[] is text (JSON), not a number. */
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** Arrow's validity bitmap (bit set = value present) and the number of nulls. */
function validity(values: unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(((values.length + 63) >> 6) << 3);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else nullBitmap[i >> 3] |= 1 << (i & 7);
  }
  return { nullBitmap, nullCount };
}

function float64(values: unknown[]): Vector {
  const data = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) data[i] = Number(v);
  }
  return makeVector(makeData({ type: new Float64(), length: values.length, data, ...validity(values) }));
}

/** Dates and timestamps as milliseconds since the epoch in Arrow's 64-bit buffer. */
function milliseconds(type: DateMillisecond | TimestampMillisecond, values: unknown[]): Vector {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) data[i] = BigInt(v instanceof Date ? v.getTime() : Date.parse(String(v)));
  }
  return makeVector(makeData({ type, length: values.length, data, ...validity(values) } as never));
}

function utf8(values: unknown[]): Vector {
  const encoder = new TextEncoder();
  const valueOffsets = new Int32Array(values.length + 1);
  let data = new Uint8Array(Math.max(1024, values.length * 16));
  let end = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      const text = typeof v === 'string' ? v : JSON.stringify(plainValue(v));
      // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
      if (end + text.length * 3 > data.length) {
        const grown = new Uint8Array(Math.max(data.length * 2, end + text.length * 3));
        grown.set(data.subarray(0, end));
        data = grown;
      }
      end += encoder.encodeInto(text, data.subarray(end)).written;
    }
    valueOffsets[i + 1] = end;
  }
  return makeVector(makeData({ type: new Utf8(), length: values.length, valueOffsets, data: data.subarray(0, end), ...validity(values) }));
}

function column(type: string, values: unknown[]): Vector {
  if (NUMERIC.test(type)) return float64(values);
  if (isDateType(type)) return milliseconds(new DateMillisecond(), values);
  if (isTimestampType(type)) return milliseconds(new TimestampMillisecond('UTC'), values);
  if (type === 'BOOLEAN') return vectorFromArray(values.map((v) => (v == null ? null : Boolean(v))), new Bool() as DataType);
  return utf8(values);
}

/** The rows (values in column order, as the workbench reads them from DuckDB) as an Arrow table. */
export function resultToArrowTable(columns: Column[], rows: unknown[][]): Table {
  return new Table(Object.fromEntries(columns.map((c, i) => [c.name, column(c.type, rows.map((r) => r[i]))])));
}
