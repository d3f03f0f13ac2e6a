// The baseline the loader is compared with: DuckDB's own read_csv of the same files into a
// table of a fresh warehouse file, with nothing else (no validation, no dedup, no log).
//   node bench/bare-read.mjs DB GLOB [TYPES]
// TYPES (JSON, optional): read_csv's `types` for some columns, e.g. {"call_id": "VARCHAR"}; without
// it read_csv detects every column's type.
import { DuckDBInstance } from '@duckdb/node-api';

const [dbPath, glob, types] = process.argv.slice(2);
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;
const typesOption = types
  ? `, types = {${Object.entries(JSON.parse(types)).map(([col, type]) => `${quote(col)}: ${quote(type)}`).join(', ')}}`
  : '';
const instance = await DuckDBInstance.create(dbPath);
const conn = await instance.connect();
const started = performance.now();
await conn.run(`CREATE TABLE bare AS SELECT * FROM read_csv($glob${typesOption})`, { glob });
const seconds = (performance.now() - started) / 1000;
const rows = (await conn.runAndReadAll('SELECT count(*)::BIGINT AS n FROM bare')).getRowObjectsJS()[0].n;
process.stdout.write(JSON.stringify({ seconds, rows: Number(rows) }) + '\n');
conn.closeSync();
instance.closeSync();
