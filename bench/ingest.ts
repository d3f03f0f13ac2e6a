// Benchmark (issue 2): generate and load N calls (10 million by default) on this machine, and
// compare the loader with a bare DuckDB read_csv of the same files.
//   npx tsx bench/ingest.ts [--calls 10000000] [--work bench/out/work]
// Prints Markdown on stdout (progress on stderr): generation rate, loader rows/s and peak memory, and loader time ÷ bare read time.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, machineDescription, measure } from './measure.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '10000000' }, work: { type: 'string', default: 'bench/out/work' } } });
const calls = Number(values.calls);
const work = path.resolve(values.work!);
const exportDir = path.join(work, `export-${calls}`);
const loadDb = path.join(work, 'load.duckdb');
const bareDb = path.join(work, 'bare.duckdb');
const cli = ['bin/zhijian.js'];

function fail(step: string, m: { exitCode: number; stderr: string }): never {
  throw new Error(`${step} failed (exit ${m.exitCode}): ${m.stderr.slice(-2000)}`);
}
function removeDb(file: string): void {
  for (const f of [file, `${file}.wal`]) fs.rmSync(f, { force: true });
}

fs.mkdirSync(work, { recursive: true });
fs.rmSync(exportDir, { recursive: true, force: true });

console.error(`generating ${calls.toLocaleString()} calls into ${exportDir} …`);
const gen = await measure(process.execPath, [...cli, 'generate', '--out', exportDir, '--calls', String(calls), '--seed', '7']);
if (gen.exitCode !== 0) fail('generate', gen);
const manifest = JSON.parse(fs.readFileSync(path.join(exportDir, 'MANIFEST.json'), 'utf8')) as { files: { path: string; rows: number; bytes: number }[] };
const callFiles = manifest.files.filter((f) => f.path.startsWith('calls/'));
const callRows = callFiles.reduce((n, f) => n + f.rows, 0);
const callBytes = callFiles.reduce((n, f) => n + f.bytes, 0);

// The dimensions first (agents, queues), untimed: the comparison is about the calls files.
removeDb(loadDb);
const dims = await measure(process.execPath, [...cli, '--db', loadDb, 'ingest', '--no-progress', path.join(exportDir, 'agents.csv'), path.join(exportDir, 'queues.csv')]);
if (dims.exitCode !== 0) fail('ingest of agents and queues', dims);

console.error(`loading ${callRows.toLocaleString()} call rows (${fmt(callBytes / 2 ** 20, 0)} MiB of CSV) …`);
const load = await measure(process.execPath, [...cli, '--db', loadDb, 'ingest', '--no-progress', path.join(exportDir, 'calls')]);
if (load.exitCode !== 0) fail('ingest of calls', load);

console.error('bare read_csv of the same files …');
removeDb(bareDb);
const bare = await measure(process.execPath, ['bench/bare-read.mjs', bareDb, path.join(exportDir, 'calls', '*.csv')]);
if (bare.exitCode !== 0) fail('bare read_csv', bare);
const bareResult = JSON.parse(bare.stdout.trim().split('\n').pop()!) as { seconds: number; rows: number };
if (bareResult.rows !== callRows) throw new Error(`bare read saw ${bareResult.rows} rows, the export has ${callRows}`);

const ratio = load.wallSeconds / bare.wallSeconds;
const lines = [
  `# Generate and load ${callRows.toLocaleString()} calls`,
  '',
  `Machine: ${machineDescription()}`,
  '',
  '| step | rows | wall time | rows/s | peak memory |',
  '|---|---:|---:|---:|---:|',
  `| generate (all files) | ${callRows.toLocaleString()} calls | ${fmt(gen.wallSeconds)} s | ${fmt(callRows / gen.wallSeconds, 0)} | ${gen.peakRssMiB === null ? 'n/a' : `${fmt(gen.peakRssMiB, 0)} MiB`} |`,
  `| zhijian ingest (calls) | ${callRows.toLocaleString()} | ${fmt(load.wallSeconds)} s | ${fmt(callRows / load.wallSeconds, 0)} | ${load.peakRssMiB === null ? 'n/a' : `${fmt(load.peakRssMiB, 0)} MiB`} |`,
  `| bare DuckDB read_csv (same files) | ${bareResult.rows.toLocaleString()} | ${fmt(bare.wallSeconds)} s | ${fmt(bareResult.rows / bare.wallSeconds, 0)} | ${bare.peakRssMiB === null ? 'n/a' : `${fmt(bare.peakRssMiB, 0)} MiB`} |`,
  '',
  `Loader ÷ bare read_csv: **${fmt(ratio, 2)}×** (target ≤ 1.5×). Both times are whole processes (Node start-up included);`,
  `the loader also hashes each file, validates every row and checks keys against the warehouse.`,
  `CSV size: ${fmt(callBytes / 2 ** 20, 0)} MiB in ${callFiles.length} monthly files.`
];
console.log(lines.join('\n'));
