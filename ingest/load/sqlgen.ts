// Turns a mapping into the SQL of the staging view `load_mapped`: one expression per warehouse
// column, plus `__parse`, the first conversion that failed (a STRUCT of column and reason).
// Identifiers and literals come from the mapping file and are quoted here, in one place.
import type { ColumnDef, ColumnType, KindDef } from './kinds.ts';
import type { ColumnSpec, LoadedMapping } from './mapping.ts';

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

const PARSE_REASON: Record<ColumnType, string> = {
  text: 'bad value',
  timestamp: 'bad timestamp',
  date: 'bad date',
  duration: 'bad duration',
  integer: 'bad number',
  boolean: 'bad boolean'
};

/**
 * DuckDB types a plain column is read as directly by read_csv (the fast path: no conversion SQL;
 * a value that does not convert is a reject with its line). Not TIMESTAMPTZ: read_csv turns a bad
 * one into NULL silently. Timestamps are read as TIMESTAMP only in the one plain local form
 * (PLAIN_TIMESTAMP, see directColumns); otherwise as text, cast in the staging view.
 */
const DIRECT_TYPE: Partial<Record<ColumnType, string>> = {
  date: 'DATE',
  duration: 'DOUBLE',
  integer: 'INTEGER'
};

/**
 * The timestamp form read_csv parses itself when asked (timestampformat): the native exports' local
 * `YYYY-MM-DD HH:MM:SS`. Without a format read_csv would also take `…+08:00` and drop the offset, so
 * a file with any other form (an offset, fractions) is read again with its timestamps as text.
 */
export const PLAIN_TIMESTAMP = '%Y-%m-%d %H:%M:%S';

const TRUE_WORDS = ['true', 't', 'yes', 'y', '1', '是', '对'];
const FALSE_WORDS = ['false', 'f', 'no', 'n', '0', '否', '错'];

export interface SourceShape {
  /** Column names as read (header, or source.columns). */
  columns: string[];
  /** csv-like sources are typed or text columns; jsonl sources are the text of each key the
   *  mapping reads (JSON's own strings: an empty one is not NULL), with __json_ok. */
  format: 'columns' | 'jsonl';
}

function isPlain(spec: ColumnSpec): boolean {
  return spec.from !== undefined && !spec.pattern && !spec.values && !spec.format && !spec.unit && !spec.lookup;
}

/**
 * Source columns read with a DuckDB type by read_csv: reason to report when the cast fails.
 * timestamps: plain timestamp columns too, as TIMESTAMP in the PLAIN_TIMESTAMP form.
 */
export function directColumns(mapping: LoadedMapping, def: KindDef, sourceColumns: string[], timestamps = false): Map<string, { type: string; reason: string }> {
  const uses = new Map<string, number>();
  for (const spec of Object.values(mapping.columns)) {
    for (const s of [spec.from, spec.date, spec.time]) if (s) uses.set(s, (uses.get(s) ?? 0) + 1);
  }
  const out = new Map<string, { type: string; reason: string }>();
  for (const c of def.columns) {
    const spec = mapping.columns[c.name];
    if (!spec || !isPlain(spec) || uses.get(spec.from!) !== 1 || !sourceColumns.includes(spec.from!)) continue;
    const type = c.type === 'timestamp' ? (timestamps ? 'TIMESTAMP' : undefined) : DIRECT_TYPE[c.type];
    if (type) out.set(spec.from!, { type, reason: PARSE_REASON[c.type] });
  }
  return out;
}

interface Built {
  value: string;
  /** The text before conversion, to tell "empty" from "could not convert". */
  text: string | null;
  label: string;
}

/** The source column holding a key of a JSON-lines record: "$key", apart from the loader's own
 *  columns (__ord, __json_ok, __line), whatever the keys are called. */
export const jsonColumn = (key: string): string => ident(`$${key}`);

function sourceRef(shape: SourceShape, name: string): string {
  return shape.format === 'jsonl' ? `s.${jsonColumn(name)}` : `s.${ident(name)}`;
}

/** The keys of a JSON-lines record a mapping reads. */
export function jsonKeys(mapping: LoadedMapping): string[] {
  const keys = Object.values(mapping.columns).flatMap((s) => [s.from, s.date, s.time]);
  return [...new Set(keys.filter((k): k is string => k !== undefined))];
}

/** A JSON pointer to a top-level key (RFC 6901: "~" and "/" escaped), for json_extract_string. */
export function jsonPointer(key: string): string {
  return literal(`/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

/**
 * A local (naive) timestamp expression as TIMESTAMPTZ in the load's zone. When the zone kept one
 * UTC offset over 1992–2100 (Asia/Shanghai does), plain arithmetic replaces the per-value ICU
 * conversion, which is the most expensive step of loading a calls file.
 */
function localToTz(ts: string, fixedOffset: number | null): string {
  if (fixedOffset === null) return `CAST(${ts} AS TIMESTAMPTZ)`;
  return `(CASE WHEN ${ts} BETWEEN TIMESTAMP '1992-01-01' AND TIMESTAMP '2100-01-01' THEN to_timestamp(epoch(${ts}) - ${fixedOffset}) ELSE CAST(${ts} AS TIMESTAMPTZ) END)`;
}

/**
 * A TIMESTAMPTZ expression as the wall clock of the center's zone (a TIMESTAMP), independent of
 * the session's zone (a load sets it to the file's): plain arithmetic when the zone kept one UTC
 * offset (see localToTz), ICU otherwise.
 */
export function tzToLocal(ts: string, zone: string, fixedOffset: number | null): string {
  if (fixedOffset === null) return `timezone(${literal(zone)}, ${ts})`;
  return `make_timestamp(epoch_us(${ts}) + ${Math.round(fixedOffset * 1e6)}::BIGINT)`;
}

function convert(c: ColumnDef, spec: ColumnSpec, x: string, fixedOffset: number | null): string {
  const formats = spec.format === undefined ? undefined : Array.isArray(spec.format) ? spec.format : [spec.format];
  const fmtList = formats ? `[${formats.map(literal).join(', ')}]` : '';
  switch (c.type) {
    case 'text':
      return x;
    case 'timestamp':
      if (spec.unit === 'epoch') return `to_timestamp(try_cast(${x} AS DOUBLE))`;
      // A format with %z/%Z carries its own offset: strptime returns TIMESTAMPTZ then.
      if (formats?.some((f) => /%[zZ]/.test(f))) return `CAST(try_strptime(${x}, ${fmtList}) AS TIMESTAMPTZ)`;
      if (formats) return localToTz(`try_strptime(${x}, ${fmtList})`, fixedOffset);
      // Longer than "YYYY-MM-DD HH:MM:SS": an offset (or fractions) that the TIMESTAMPTZ cast reads.
      return `(CASE WHEN length(${x}) > 19 THEN try_cast(${x} AS TIMESTAMPTZ) ELSE ${localToTz(`try_cast(${x} AS TIMESTAMP)`, fixedOffset)} END)`;
    case 'date':
      if (formats) return `CAST(try_strptime(${x}, ${fmtList}) AS DATE)`;
      return `try_cast(${x} AS DATE)`;
    case 'duration':
      if (spec.unit === 'ms') return `(try_cast(${x} AS DOUBLE) / 1000)`;
      return `(CASE WHEN contains(${x}, ':') THEN epoch(try_cast(${x} AS INTERVAL)) ELSE try_cast(${x} AS DOUBLE) END)`;
    case 'integer':
      return `try_cast(${x} AS INTEGER)`;
    case 'boolean':
      return `(CASE WHEN lower(${x}) IN (${TRUE_WORDS.map(literal).join(', ')}) THEN true WHEN lower(${x}) IN (${FALSE_WORDS.map(literal).join(', ')}) THEN false END)`;
  }
}

const NULL_OF: Record<ColumnType, string> = {
  text: 'NULL::VARCHAR',
  timestamp: 'NULL::TIMESTAMPTZ',
  date: 'NULL::DATE',
  duration: 'NULL::DOUBLE',
  integer: 'NULL::INTEGER',
  boolean: 'NULL::BOOLEAN'
};

function buildColumn(c: ColumnDef, spec: ColumnSpec, shape: SourceShape, direct: Map<string, unknown>, fixedOffset: number | null): Built {
  if (spec.from !== undefined && isPlain(spec) && direct.has(spec.from)) {
    const value = sourceRef(shape, spec.from);
    return { value: c.type === 'timestamp' ? localToTz(value, fixedOffset) : value, text: null, label: spec.from };
  }
  let x: string;
  let label: string;
  if (spec.const !== undefined) {
    x = spec.const === null ? 'NULL::VARCHAR' : literal(String(spec.const));
    label = c.name;
  } else if (spec.date !== undefined) {
    x = `(trim(CAST(${sourceRef(shape, spec.date)} AS VARCHAR)) || ' ' || trim(CAST(${sourceRef(shape, spec.time!)} AS VARCHAR)))`;
    label = `${spec.date}+${spec.time}`;
  } else if (shape.format === 'columns' && isPlain(spec)) {
    // read_csv already turns empty fields into NULL; casts accept surrounding blanks.
    x = sourceRef(shape, spec.from!);
    label = spec.from!;
  } else {
    x = `nullif(trim(CAST(${sourceRef(shape, spec.from!)} AS VARCHAR)), '')`;
    label = spec.from!;
  }
  if (spec.pattern !== undefined) {
    const groups = (new RegExp(`${spec.pattern}|`).exec('')?.length ?? 1) - 1;
    x = `nullif(regexp_extract(${x}, ${literal(spec.pattern)}, ${groups > 0 ? 1 : 0}), '')`;
  }
  if (spec.values !== undefined) {
    const arms = Object.entries(spec.values).map(
      ([from, to]) => `WHEN ${literal(from)} THEN ${to === null ? 'NULL' : literal(String(to))}`
    );
    const otherwise = spec.otherwise === undefined ? x : spec.otherwise === null ? 'NULL' : literal(String(spec.otherwise));
    x = `(CASE ${x} ${arms.join(' ')} ELSE ${otherwise} END)`;
  }
  return { value: convert(c, spec, x, fixedOffset), text: c.type === 'text' ? null : x, label };
}

/**
 * SELECT … FROM load_src s: the warehouse columns of the kind, `<ref>__src` for agent and queue
 * columns (the value before a name lookup), `__parse`, `__ord` (ordinal of the record, for its line
 * number) and `__rid` (unique row id: load_src.__ord).
 */
export function mappedSelect(mapping: LoadedMapping, def: KindDef, shape: SourceShape, direct: Map<string, unknown>, fixedOffset: number | null): string {
  // Two levels: the inner SELECT converts each value once; the outer one tells "could not convert"
  // from "empty" by comparing the converted column with its text (__t_<n>), so no conversion is
  // evaluated twice — conversions are most of the cost of loading a large file.
  const select: string[] = ['s.__ord AS __ord', 's.__ord AS __rid'];
  const texts: string[] = [];
  const checks: string[] = [];
  const joins: string[] = [];
  if (shape.format === 'jsonl') {
    select.push('s.__json_ok AS __json_ok');
    texts.push('__json_ok');
    checks.push(`WHEN NOT v.__json_ok THEN {'col': NULL::VARCHAR, 'why': 'unparsable JSON line'}`);
  }
  for (const c of def.columns) {
    const spec = mapping.columns[c.name];
    if (!spec) {
      select.push(`${NULL_OF[c.type]} AS ${ident(c.name)}`);
      if (c.ref) select.push(`NULL::VARCHAR AS ${ident(`${c.name}__src`)}`);
      continue;
    }
    const built = buildColumn(c, spec, shape, direct, fixedOffset);
    if (c.ref && spec.lookup === 'name') {
      const alias = ident(`lk_${c.name}`);
      const idCol = c.ref === 'agents' ? 'agent_id' : 'queue_id';
      joins.push(`LEFT JOIN (SELECT name, min(${idCol}) AS id FROM ${c.ref} GROUP BY name) ${alias} ON ${alias}.name = ${built.value}`);
      select.push(`${alias}.id AS ${ident(c.name)}`);
    } else {
      select.push(`${built.value} AS ${ident(c.name)}`);
    }
    if (c.ref) select.push(`${built.value} AS ${ident(`${c.name}__src`)}`);
    if (built.text !== null) {
      const text = ident(`__t_${c.name}`);
      const converted = ident(c.ref && spec.lookup === 'name' ? `${c.name}__src` : c.name);
      select.push(`${built.text} AS ${text}`);
      texts.push(text);
      checks.push(`WHEN v.${text} IS NOT NULL AND v.${converted} IS NULL THEN {'col': ${literal(built.label)}, 'why': ${literal(PARSE_REASON[c.type])}}`);
    }
  }
  const inner = `SELECT ${select.join(',\n  ')}\nFROM load_src s\n${joins.join('\n')}`;
  const parse = checks.length ? `CASE ${checks.join(' ')} END` : `CAST(NULL AS STRUCT(col VARCHAR, why VARCHAR))`;
  const kept = texts.length ? `v.* EXCLUDE (${texts.join(', ')})` : 'v.*';
  return `SELECT ${kept}, ${parse} AS __parse\nFROM (\n${inner}\n) v`;
}

/** The `columns` argument of read_csv: every source column, typed where the fast path applies. */
export function readCsvColumns(sourceColumns: string[], direct: Map<string, { type: string }>): string {
  const parts = sourceColumns.map((name) => `${literal(name)}: ${literal(direct.get(name)?.type ?? 'VARCHAR')}`);
  return `{${parts.join(', ')}}`;
}
