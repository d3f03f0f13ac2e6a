// Benchmark (issue 5): how fast the overview (the home page's headline figures and calls per day)
// answers, on the default demo warehouse and on 1 and 10 million calls, beside the same figures
// computed by SQLite (better-sqlite3) over the same calls.
//   npx tsx bench/overview.ts [--quick] [--work bench/out/work] [--parts a,b] [--sizes 1000000,10000000]
// Part A: the default demo warehouse (60 staff × 120 days), the overview for the last 30 days
// and for the whole period, cold and warm, in process and over HTTP, against the 1 s target.
// Part B: 1 M and 10 M calls (--quick: 100 k) loaded by `zhijian ingest` and into SQLite; the
// overview on both, checked to give the same figures, and the time ratio SQLite ÷ DuckDB.
// Prints Markdown on stdout (progress on stderr); exits 1 when the two engines disagree.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, machineDescription, measure } from './measure.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { overview, type Overview } from '../web/lib/server/overview.ts';
import { metricRegistry, runMetric, runMetricTable } from '../web/lib/server/metrics/registry.ts';
import { jsonRows } from '../web/lib/server/query.ts';
import { resultCache } from '../web/lib/server/cache.ts';
import { repoRoot, startServer } from '../test/e2e/harness.ts';
import { loadCallsIntoSqlite, SqliteOverview, type OverviewFigures } from './overview-sqlite/sqlite.ts';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, work: { type: 'string', default: 'bench/out/work' }, parts: { type: 'string', default: 'a,b' }, sizes: { type: 'string' } }
});
const parts = new Set(values.parts!.split(','));
const quick = values.quick!;
const work = path.resolve(values.work!);
const cli = 'bin/zhijian.js';
const TIME_ZONE = process.env.ZHIJIAN_TZ ?? 'Asia/Shanghai';
const WARM_RUNS_A = 10;
const WARM_RUNS_B = 5;
// A side whose runs take long stops early: at least one warm run, then no new run after this many seconds.
const WARM_BUDGET_B_S = 60;
const TARGET_S = 1;

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ms = (s: number) => `${fmt(s * 1000, s < 0.1 ? 1 : 0)} ms`;
const secs = (s: number) => (s < 1 ? ms(s) : `${fmt(s, 2)} s`);

function removeDb(file: string): void {
  for (const f of [file, `${file}.wal`, `${file}-wal`, `${file}-shm`, `${file}-journal`, `${file}.server.json`]) fs.rmSync(f, { force: true });
}

async function run(step: string, args: string[]): Promise<number> {
  const m = await measure(process.execPath, [cli, ...args]);
  if (m.exitCode !== 0) throw new Error(`${step} failed (exit ${m.exitCode}): ${m.stderr.slice(-2000)}`);
  return m.wallSeconds;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - started) / 1000, value };
}

// ---------- the DuckDB side: the code path of the page ----------

const registry = metricRegistry();
const callsPerDay = registry.get('calls_per_day')!;
const callKpis = registry.get('call_kpis')!;

interface DuckPage {
  overview: Overview;
  perDay: Record<string, unknown>[];
  overviewSeconds: number;
  perDaySeconds: number;
}

/** What the home page does: overview() (the page's server load), then the calls-per-day chart's
 *  metric for the same range (GET /api/metrics/calls_per_day runs runMetricTable). */
async function duckPage(warehouse: Warehouse, params: { from?: string; to?: string }): Promise<DuckPage> {
  // The work, not the result cache: every in-process run computes afresh (over HTTP, repeats are
  // served from the cache, as they are for users).
  resultCache(warehouse).clear();
  const o = await timed(() => overview(warehouse, params));
  const range = o.value.range!;
  const p = await timed(() => runMetricTable(warehouse, callsPerDay, callsPerDay.schema.parse({ from: range.from, to: range.to })));
  return { overview: o.value, perDay: jsonRows(p.value), overviewSeconds: o.seconds, perDaySeconds: p.seconds };
}

/** The overview's figures in the flat shape of the SQLite side (metric row column → name). */
const FIGURE_COLUMNS: [metric: string, column: string, name: string][] = [
  ['calls_offered', 'value', 'offered'],
  ['calls_answered', 'value', 'answered'],
  ['calls_answered', 'answer_rate', 'answer_rate'],
  ['calls_abandoned', 'value', 'abandoned'],
  ['calls_abandoned', 'abandon_rate', 'abandon_rate'],
  ['calls_abandoned', 'short_abandoned', 'short_abandoned'],
  ['service_level', 'answered_within', 'sl_within'],
  ['service_level', 'sl_denominator', 'sl_denominator'],
  ['service_level', 'value', 'service_level'],
  ['average_speed_of_answer', 'value', 'asa_s'],
  ['average_handle_time', 'value', 'aht_s'],
  ['average_handle_time', 'talk_s', 'talk_s'],
  ['average_handle_time', 'hold_s', 'hold_s'],
  ['average_handle_time', 'wrap_s', 'wrap_s'],
  ['satisfaction', 'responses', 'responses'],
  ['satisfaction', 'satisfied', 'satisfied'],
  ['satisfaction', 'value', 'satisfaction'],
  ['satisfaction', 'mean_score', 'mean_score']
];

function flatten(page: DuckPage): OverviewFigures {
  const o = page.overview;
  const figures: Record<string, number | null> = {};
  for (const [metric, column, name] of FIGURE_COLUMNS) {
    const fig = o.figures.find((f) => f.metric === metric);
    if (!fig || !(column in fig.row)) throw new Error(`the overview has no ${metric}.${column}`);
    figures[name] = fig.row[column] === null ? null : Number(fig.row[column]);
  }
  return {
    extent: o.extent,
    range: o.range!,
    figures,
    perDay: page.perDay.map((r) => ({ day: String(r.day), offered: Number(r.offered), answered: Number(r.answered), abandoned: Number(r.abandoned) }))
  };
}

/** Every difference between the two engines' figures (counts exactly, shares and means to 1e-9):
 *  every figure of `duck`, or with `liteKeys` every figure the SQLite side computed. */
function differences(duck: OverviewFigures, lite: OverviewFigures, liteKeys = false): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) =>
    typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) : a === b;
  for (const k of ['first', 'last', 'calls'] as const) if (!same(duck.extent[k], lite.extent[k])) out.push(`extent.${k}: DuckDB ${duck.extent[k]}, SQLite ${lite.extent[k]}`);
  for (const k of ['from', 'to'] as const) if (duck.range[k] !== lite.range[k]) out.push(`range.${k}: DuckDB ${duck.range[k]}, SQLite ${lite.range[k]}`);
  for (const name of Object.keys(liteKeys ? lite.figures : duck.figures)) {
    if (!same(duck.figures[name], lite.figures[name])) out.push(`${name}: DuckDB ${duck.figures[name]}, SQLite ${lite.figures[name]}`);
  }
  if (duck.perDay.length !== lite.perDay.length) out.push(`calls per day: DuckDB ${duck.perDay.length} days, SQLite ${lite.perDay.length}`);
  for (let i = 0; i < Math.min(duck.perDay.length, lite.perDay.length); i++) {
    const d = duck.perDay[i];
    const l = lite.perDay[i];
    for (const k of ['day', 'offered', 'answered', 'abandoned'] as const) {
      if (!same(d[k], l[k])) out.push(`calls per day, row ${i + 1} ${k}: DuckDB ${d[k]}, SQLite ${l[k]}`);
    }
  }
  return out;
}

const RANGES = [
  { label: 'last 30 days (default)', params: (_first: string, _last: string) => ({}) },
  { label: 'whole period', params: (first: string, last: string) => ({ from: first, to: last }) }
];

async function extentOf(dbPath: string): Promise<{ first: string; last: string; calls: number }> {
  const w = await Warehouse.open(dbPath, { readOnly: true });
  try {
    const o = await overview(w, {});
    return { first: o.extent.first!, last: o.extent.last!, calls: o.extent.calls };
  } finally {
    w.close();
  }
}

// ---------- Part A: the default demo warehouse ----------

interface PartARow {
  range: string;
  from: string;
  to: string;
  inRange: number;
  overviewCold: number;
  overviewWarm: number;
  perDayCold: number;
  perDayWarm: number;
  httpOverviewWarm: number | null;
  httpPerDayWarm: number | null;
}

async function partA(): Promise<string[]> {
  const size = quick ? { agents: 12, days: 45 } : null;
  const demoDir = path.join(work, quick ? 'demo-export-quick' : 'demo-export');
  const dbPath = path.join(work, quick ? 'overview-demo-quick.duckdb' : 'overview-demo.duckdb');
  removeDb(dbPath);
  log(`Part A: building the ${quick ? 'small' : 'default'} demo warehouse (zhijian demo --no-serve) …`);
  const demoSeconds = await run('zhijian demo', ['--db', dbPath, 'demo', '--no-serve', '--dir', demoDir, ...(size ? ['--agents', String(size.agents), '--days', String(size.days)] : [])]);
  const ext = await extentOf(dbPath);

  const rows: PartARow[] = [];
  for (const r of RANGES) {
    const params = r.params(ext.first, ext.last);
    log(`Part A: ${r.label}, in process …`);
    const warehouse = await Warehouse.open(dbPath);
    try {
      const cold = await duckPage(warehouse, params);
      const warm: DuckPage[] = [];
      for (let i = 0; i < WARM_RUNS_A; i++) warm.push(await duckPage(warehouse, params));
      const o = cold.overview;
      rows.push({
        range: r.label,
        from: o.range!.from,
        to: o.range!.to,
        inRange: Number(o.figures.find((f) => f.metric === 'calls_offered')!.row.value),
        overviewCold: cold.overviewSeconds,
        overviewWarm: median(warm.map((w) => w.overviewSeconds)),
        perDayCold: cold.perDaySeconds,
        perDayWarm: median(warm.map((w) => w.perDaySeconds)),
        httpOverviewWarm: null,
        httpPerDayWarm: null
      });
    } finally {
      warehouse.close();
    }
  }

  // Over HTTP: the built app (`zhijian serve`), as the browser asks for the page's data.
  let httpCold: { overview: number; perDay: number } | null = null;
  const httpNote: string[] = [];
  if (fs.existsSync(path.join(repoRoot, 'build', 'handler.js'))) {
    log('Part A: over HTTP (zhijian serve) …');
    const server = await startServer(dbPath);
    try {
      // As the demo's manager, who sees the overview (the demo makes the account; see README).
      const signIn = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'manager', password: process.env.ZHIJIAN_DEMO_PASSWORD ?? 'zhijian-demo' })
      });
      if (!signIn.ok) throw new Error(`signing in as the demo's manager: ${signIn.status} ${await signIn.text()}`);
      const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('zhijian_session='))!;
      const get = async (url: string, accept = 'application/json') => {
        const started = performance.now();
        const res = await fetch(url, { headers: { accept, cookie } });
        if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        return (performance.now() - started) / 1000;
      };
      for (const [i, row] of rows.entries()) {
        const q = i === 0 ? '' : `?from=${row.from}&to=${row.to}`;
        const overviewUrl = `${server.url}/api/overview${q}`;
        const perDayUrl = `${server.url}/api/metrics/calls_per_day?from=${row.from}&to=${row.to}`;
        const arrow = 'application/vnd.apache.arrow.stream';
        if (i === 0) httpCold = { overview: await get(overviewUrl), perDay: await get(perDayUrl, arrow) };
        const o: number[] = [];
        const p: number[] = [];
        for (let k = 0; k < WARM_RUNS_A; k++) {
          o.push(await get(overviewUrl));
          p.push(await get(perDayUrl, arrow));
        }
        row.httpOverviewWarm = median(o);
        row.httpPerDayWarm = median(p);
      }
    } finally {
      await server.stop();
    }
  } else {
    httpNote.push('The app is not built (`npm run build`), so the HTTP times were not measured.');
  }
  removeDb(dbPath);

  const verdict = (s: number) => (s < TARGET_S ? '✓' : '✗');
  const lines = [
    `## Part A: the ${quick ? 'small (--quick) demo' : 'default demo'} warehouse`,
    '',
    `\`zhijian demo --no-serve\`${size ? ` (--agents ${size.agents} --days ${size.days})` : ' (60 staff × 120 days)'}: ${ext.calls.toLocaleString()} calls from ${ext.first} to ${ext.last}, built in ${fmt(demoSeconds, 0)} s.`,
    `In process: \`overview(warehouse, params)\` (the page's server load) and the \`calls_per_day\` metric through the registry`,
    `(\`runMetricTable\`, as \`GET /api/metrics/calls_per_day\` runs it). Cold = the first call after opening the warehouse`,
    `(the file is in the OS cache: it was just written); warm = median of ${WARM_RUNS_A}, each computed afresh (the result cache is cleared before every run). Target: the overview answers in under ${TARGET_S} s.`,
    '',
    '| range | calls in range | overview() cold | overview() warm | calls_per_day cold | calls_per_day warm | page (both) cold | page (both) warm | < 1 s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|:-:|',
    ...rows.map((r) => {
      const cold = r.overviewCold + r.perDayCold;
      const warm = r.overviewWarm + r.perDayWarm;
      return `| ${r.range}: ${r.from} – ${r.to} | ${r.inRange.toLocaleString()} | ${ms(r.overviewCold)} | ${ms(r.overviewWarm)} | ${ms(r.perDayCold)} | ${ms(r.perDayWarm)} | ${ms(cold)} | ${ms(warm)} | ${verdict(Math.max(cold, warm))} |`;
    }),
    ''
  ];
  if (rows[0].httpOverviewWarm !== null) {
    const cold = httpCold as { overview: number; perDay: number } | null;
    lines.push(
      'Over HTTP against `zhijian serve` (the built app; response bodies read in full; calls per day as Arrow IPC, as the chart asks).',
      `Cold = the first requests after the server answered /api/health: GET /api/overview ${cold ? ms(cold.overview) : 'n/a'}, calls_per_day ${cold ? ms(cold.perDay) : 'n/a'}. Warm = median of ${WARM_RUNS_A}, repeats of the same request, served from the result cache as for users:`,
      '',
      '| range | GET /api/overview | GET /api/metrics/calls_per_day | both | < 1 s |',
      '|---|---:|---:|---:|:-:|',
      ...rows.map((r) => `| ${r.range} | ${ms(r.httpOverviewWarm!)} | ${ms(r.httpPerDayWarm!)} | ${ms(r.httpOverviewWarm! + r.httpPerDayWarm!)} | ${verdict(r.httpOverviewWarm! + r.httpPerDayWarm!)} |`),
      ''
    );
  }
  lines.push(...httpNote);
  return lines;
}

// ---------- Part B: DuckDB vs SQLite at 1 M and 10 M calls ----------

interface ExportInfo {
  dir: string;
  callFiles: string[];
  callRows: number;
  callBytes: number;
}

/** The export for N calls (seed 7, like bench/ingest.ts): reused when complete, generated otherwise. */
async function exportFor(calls: number): Promise<ExportInfo> {
  const dir = path.join(work, `export-${calls}`);
  const manifestFile = path.join(dir, 'MANIFEST.json');
  type Manifest = { files: { path: string; rows: number; bytes: number }[] };
  const complete = () => {
    if (!fs.existsSync(manifestFile)) return false;
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    return m.files.every((f) => fs.existsSync(path.join(dir, f.path)) && fs.statSync(path.join(dir, f.path)).size === f.bytes);
  };
  if (complete()) log(`reusing the export ${dir}`);
  else {
    log(`generating ${calls.toLocaleString()} calls into ${dir} …`);
    fs.rmSync(dir, { recursive: true, force: true });
    await run('zhijian generate', ['generate', '--out', dir, '--calls', String(calls), '--seed', '7']);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const callFiles = manifest.files.filter((f) => f.path.startsWith('calls/'));
  return {
    dir,
    callFiles: callFiles.map((f) => path.join(dir, f.path)),
    callRows: callFiles.reduce((n, f) => n + f.rows, 0),
    callBytes: callFiles.reduce((n, f) => n + f.bytes, 0)
  };
}

interface PartBRow {
  calls: number;
  range: string;
  from: string;
  to: string;
  inRange: number;
  duckCold: number;
  duckWarm: number;
  liteCold: number;
  liteWarm: number;
  fullCold: number;
  fullWarm: number;
  /** Warm runs taken by DuckDB, SQLite page SQL, SQLite like for like. */
  runs: [number, number, number];
  mismatches: string[];
}

interface PartBSize {
  exp: ExportInfo;
  duckLoad: number;
  duckFileMiB: number;
  lite: { loadSeconds: number; indexSeconds: number; rows: number; shiftRows: number };
  liteFileMiB: number;
  rows: PartBRow[];
}

async function partBSize(calls: number): Promise<PartBSize> {
  const exp = await exportFor(calls);
  const duckDb = path.join(work, `overview-${calls}.duckdb`);
  const liteDb = path.join(work, `overview-${calls}.sqlite`);
  removeDb(duckDb);
  log(`Part B ${calls.toLocaleString()}: zhijian ingest (agents, queues, shifts, calls) …`);
  const duckLoad = await run('zhijian ingest', ['--db', duckDb, 'ingest', '--no-progress', ...['agents.csv', 'queues.csv', 'shifts.csv', 'calls'].map((f) => path.join(exp.dir, f))]);
  const duckFileMiB = fs.statSync(duckDb).size / 2 ** 20;
  log(`Part B ${calls.toLocaleString()}: loading the same calls into SQLite …`);
  let lastReport = 0;
  const lite = await loadCallsIntoSqlite(liteDb, exp.callFiles, TIME_ZONE, (n) => {
    if (n - lastReport >= 1_000_000) {
      lastReport = n;
      log(`  ${n.toLocaleString()} rows`);
    }
  }, path.join(exp.dir, 'shifts.csv'));
  if (lite.rows !== exp.callRows) throw new Error(`SQLite got ${lite.rows} rows, the export has ${exp.callRows}`);
  const liteFileMiB = fs.statSync(liteDb).size / 2 ** 20;
  const ext = await extentOf(duckDb);

  const rows: PartBRow[] = [];
  try {
    for (const r of RANGES) {
      const params = r.params(ext.first, ext.last);
      log(`Part B ${calls.toLocaleString()}: ${r.label}: DuckDB …`);
      const warehouse = await Warehouse.open(duckDb);
      let duckCold: number;
      const duckRuns: number[] = [];
      let duckFigures: OverviewFigures;
      let duckKpis: Record<string, unknown>;
      try {
        const cold = await duckPage(warehouse, params);
        duckCold = cold.overviewSeconds + cold.perDaySeconds;
        let last = cold;
        for (let i = 0; i < WARM_RUNS_B && (i === 0 || sum(duckRuns) < WARM_BUDGET_B_S); i++) {
          last = await duckPage(warehouse, params);
          duckRuns.push(last.overviewSeconds + last.perDaySeconds);
        }
        duckFigures = flatten(last);
        // For checking the like-for-like SQLite query: the whole call_kpis row (untimed).
        duckKpis = (await runMetric(warehouse, callKpis, callKpis.schema.parse({ from: duckFigures.range.from, to: duckFigures.range.to })))[0];
      } finally {
        warehouse.close();
      }
      log(`Part B ${calls.toLocaleString()}: ${r.label}: SQLite …`);
      const sqlite = new SqliteOverview(liteDb, TIME_ZONE);
      let liteCold: number;
      const liteRuns: number[] = [];
      let liteFigures: OverviewFigures;
      let fullCold: number;
      const fullRuns: number[] = [];
      let fullFigures: OverviewFigures;
      try {
        const cold = await timed(() => sqlite.run(params));
        liteCold = cold.seconds;
        let last = cold;
        for (let i = 0; i < WARM_RUNS_B && (i === 0 || sum(liteRuns) < WARM_BUDGET_B_S); i++) {
          last = await timed(() => sqlite.run(params));
          liteRuns.push(last.seconds);
        }
        liteFigures = last.value;
        log(`Part B ${calls.toLocaleString()}: ${r.label}: SQLite, like for like …`);
        const fullFirst = await timed(() => sqlite.runLikeForLike(params));
        fullCold = fullFirst.seconds;
        let fullLast = fullFirst;
        for (let i = 0; i < WARM_RUNS_B && (i === 0 || sum(fullRuns) < WARM_BUDGET_B_S); i++) {
          fullLast = await timed(() => sqlite.runLikeForLike(params));
          fullRuns.push(fullLast.seconds);
        }
        fullFigures = fullLast.value;
      } finally {
        sqlite.close();
      }
      const reference: OverviewFigures = {
        ...duckFigures,
        figures: { ...Object.fromEntries(Object.entries(duckKpis).map(([k, v]) => [k, typeof v === 'number' || v === null ? v : Number(v)])), ...duckFigures.figures }
      };
      const mismatches = [
        ...differences(duckFigures, liteFigures),
        ...differences(reference, fullFigures, true).map((m) => `like-for-like query: ${m}`)
      ];
      if (mismatches.length) {
        log(`\n!!! MISMATCH at ${calls.toLocaleString()} calls, ${r.label}: DuckDB and SQLite disagree:`);
        for (const m of mismatches.slice(0, 30)) log(`!!!   ${m}`);
      }
      log(`  DuckDB ${secs(median(duckRuns))}, SQLite page SQL ${secs(median(liteRuns))}, like for like ${secs(median(fullRuns))} (warm medians); figures ${mismatches.length ? 'DIFFER' : 'equal'}`);
      rows.push({
        calls,
        range: r.label,
        from: duckFigures.range.from,
        to: duckFigures.range.to,
        inRange: duckFigures.figures.offered ?? 0,
        duckCold,
        duckWarm: median(duckRuns),
        liteCold,
        liteWarm: median(liteRuns),
        fullCold,
        fullWarm: median(fullRuns),
        runs: [duckRuns.length, liteRuns.length, fullRuns.length],
        mismatches
      });
    }
  } finally {
    removeDb(duckDb);
    removeDb(liteDb);
  }
  return { exp, duckLoad, duckFileMiB, lite, liteFileMiB, rows };
}

async function partB(): Promise<{ lines: string[]; mismatches: number }> {
  const warm = (s: number, n: number) => (n < WARM_RUNS_B ? `${secs(s)} (×${n})` : secs(s));
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : quick ? [100_000] : [1_000_000, 10_000_000];
  const results: PartBSize[] = [];
  for (const n of sizes) results.push(await partBSize(n));
  const all = results.flatMap((r) => r.rows);
  const mismatches = all.reduce((n, r) => n + r.mismatches.length, 0);
  const lines = [
    `## Part B: DuckDB (zhijian) vs SQLite (better-sqlite3) at ${sizes.map((n) => `${n / 1e6} M`).join(' and ')} calls`,
    '',
    'Same export (`zhijian generate --calls N --seed 7`), loaded into DuckDB by `zhijian ingest` (agents, queues, shifts, calls)',
    'and its calls CSV files into SQLite. DuckDB runs the page\'s code path (`overview()` + `calls_per_day`, as in Part A);',
    'SQLite runs, through better-sqlite3 prepared statements, two translations that give the same figures for the same local',
    'dates in Asia/Shanghai: "page SQL" (`bench/overview-sqlite/overview.sql`: the extent, the headline figures and calls per',
    'day, computing only what the page shows) and "like for like" (`bench/overview-sqlite/call-kpis.sql`: all of `call_kpis`',
    'for the range and again per day, first-contact resolution and occupancy included, which is the work DuckDB\'s path does).',
    `Each side is timed for the whole page (all its queries); cold = the first run after opening; warm = median of ${WARM_RUNS_B} runs, or of`,
    `fewer (at least one; the count is given as ×n) when a side's warm runs pass ${WARM_BUDGET_B_S} s.`,
    'Every figure is checked equal on both sides (the like-for-like one also against the whole `call_kpis` row).',
    '',
    '| calls | range | calls in range | DuckDB cold | DuckDB warm | SQLite page SQL cold | warm | **SQLite ÷ DuckDB** | SQLite like for like cold | warm | **SQLite ÷ DuckDB** | figures |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|',
    ...all.map(
      (r) =>
        `| ${r.calls.toLocaleString()} | ${r.range}: ${r.from} – ${r.to} | ${r.inRange.toLocaleString()} | ${secs(r.duckCold)} | ${warm(r.duckWarm, r.runs[0])} | ${secs(r.liteCold)} | ${warm(r.liteWarm, r.runs[1])} | **${fmt(r.liteWarm / r.duckWarm, 2)}×** | ${secs(r.fullCold)} | ${warm(r.fullWarm, r.runs[2])} | **${fmt(r.fullWarm / r.duckWarm, 2)}×** | ${r.mismatches.length ? `**${r.mismatches.length} MISMATCHES**` : 'equal'} |`
    ),
    '',
    'Loading (for context, not the subject):',
    '',
    '| calls | CSV | zhijian ingest → DuckDB | DuckDB file | SQLite insert | SQLite index | SQLite file |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.exp.callRows.toLocaleString()} | ${fmt(r.exp.callBytes / 2 ** 20, 0)} MiB | ${fmt(r.duckLoad, 1)} s | ${fmt(r.duckFileMiB, 0)} MiB | ${fmt(r.lite.loadSeconds, 1)} s | ${fmt(r.lite.indexSeconds, 1)} s | ${fmt(r.liteFileMiB, 0)} MiB |`
    ),
    '',
    'How SQLite is set up: one table `calls` with the warehouse\'s columns (TEXT, REAL, INTEGER), timestamps as Unix epoch',
    'seconds (INTEGER, UTC; SQLite has no time-zone type, so local days come from the zone\'s UTC offset, +08:00), and an',
    'index on `enqueued_at` built after the load, then ANALYZE. The rows are read from the CSV files by DuckDB\'s `read_csv`',
    '(in memory, in the center\'s zone) and inserted with one prepared INSERT, 50 000 rows per transaction (journal off,',
    'synchronous off). Queries run read-only with a 256 MiB page cache and the file memory-mapped.',
    'For the like-for-like query the schedule (shifts.csv) is loaded too. SQLite runs a query on one core, DuckDB on both.'
  ];
  if (mismatches) {
    lines.push('', '**The engines disagree:**', '', ...all.flatMap((r) => r.mismatches.map((m) => `- ${r.calls.toLocaleString()} calls, ${r.range}: ${m}`)));
  }
  return { lines, mismatches };
}

fs.mkdirSync(work, { recursive: true });
const a = parts.has('a') ? await partA() : [];
log(a.join('\n'));
const b = parts.has('b') ? await partB() : { lines: [], mismatches: 0 };
console.log(
  [
    '# Overview query time, and DuckDB vs SQLite',
    '',
    `_Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}${quick ? ' with --quick' : ''}._`,
    '',
    `Machine: ${machineDescription()}. The cores were shared with other work running at the same time, so the times are`,
    'indicative (each figure is a median to damp that).',
    '',
    ...a,
    '',
    ...b.lines
  ].join('\n')
);
if (b.mismatches) {
  log(`\n!!! ${b.mismatches} figure(s) differ between DuckDB and SQLite (see above)`);
  process.exitCode = 1;
}
