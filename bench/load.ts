// Load test: 50 simulated users on `zhijian serve` over the default demo warehouse for a fixed
// time — overview, dashboard and drill-downs, named metrics, SQL through the workbench API, QA
// review drafts and submissions — while `zhijian ingest` hands a fresh month of calls to the
// same server. Reports throughput, p50/p95/p99 latency and errors per request kind.
//   npx tsx bench/load.ts [--seconds 60] [--users 50] [--work bench/out/load] [--seed 1]
// Builds the demo warehouse in the work folder the first time (`zhijian demo --no-serve`) and
// reuses it after; the ingested month goes into a copy, so every run starts from the same data.
// Markdown on stdout, progress on stderr. Needs `npm run build`. Requests go to 127.0.0.1 only.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer, type RunningServer } from '../test/e2e/harness.ts';
import { Rng } from '../ingest/generate/random.ts';
import { fmt, machineDescription, measure } from './measure.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    users: { type: 'string', default: '50' },
    work: { type: 'string', default: 'bench/out/load' },
    seed: { type: 'string', default: '1' },
    'ingest-after': { type: 'string', default: '5' }
  }
});
const seconds = Number(values.seconds);
const users = Number(values.users);
const ingestAfterS = Number(values['ingest-after']);
if (!(seconds > 0) || !Number.isInteger(users) || users < 1) throw new Error('--seconds must be > 0 and --users a whole number ≥ 1');
const work = path.resolve(values.work!);
const demoDir = path.join(work, 'demo');
const demoDb = path.join(work, 'demo.duckdb');
const runDb = path.join(work, 'run.duckdb');
const newMonth = path.join(work, 'new-month');
const cli = 'bin/zhijian.js';
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const REQUEST_TIMEOUT_MS = 30_000;

function removeDb(file: string): void {
  for (const f of [file, `${file}.wal`, `${file}.server.json`]) fs.rmSync(f, { force: true });
}
function must(step: string, m: { exitCode: number; stderr: string; stdout: string }): void {
  if (m.exitCode !== 0) throw new Error(`${step} failed (exit ${m.exitCode}): ${(m.stderr + m.stdout).slice(-2000)}`);
}

// ---------------------------------------------------------------- the data

fs.mkdirSync(work, { recursive: true });
if (!fs.existsSync(demoDb)) {
  log(`building the default demo warehouse in ${work} (first run only) …`);
  removeDb(demoDb);
  const demo = await measure(process.execPath, [cli, '--db', demoDb, 'demo', '--no-serve', '--dir', demoDir]);
  must('zhijian demo', demo);
  log(`  done in ${fmt(demo.wallSeconds)} s`);
}
const manifest = JSON.parse(fs.readFileSync(path.join(demoDir, 'MANIFEST.json'), 'utf8')) as {
  seed: number;
  options: { agents: number; days: number; start: string; end: string };
};
// The month after the demo's last day, same seed and staff (agents.csv is the same file, so the
// agents stay as they are); its calls and tickets are new.
const next = new Date(`${manifest.options.end}T00:00:00Z`);
next.setUTCDate(next.getUTCDate() + 1);
const nextStart = next.toISOString().slice(0, 10);
if (!fs.existsSync(path.join(newMonth, 'MANIFEST.json'))) {
  log(`generating 30 days of new calls from ${nextStart} …`);
  must(
    'zhijian generate',
    await measure(process.execPath, [cli, 'generate', '--out', newMonth, '--seed', String(manifest.seed), '--agents', String(manifest.options.agents), '--days', '30', '--start', nextStart])
  );
}
const newCalls = (JSON.parse(fs.readFileSync(path.join(newMonth, 'MANIFEST.json'), 'utf8')) as { files: { path: string; rows: number }[] }).files
  .filter((f) => f.path.startsWith('calls/'))
  .reduce((n, f) => n + f.rows, 0);

removeDb(runDb);
fs.copyFileSync(demoDb, runDb);
if (fs.existsSync(`${demoDb}.wal`)) fs.copyFileSync(`${demoDb}.wal`, `${runDb}.wal`);

// ---------------------------------------------------------------- the users

interface Sample {
  kind: string;
  ms: number;
  ok: boolean;
  /** Sent while the ingest was running. */
  duringIngest: boolean;
}
const samples: Sample[] = [];
/** One user alone, before the load: what each request costs without contention. */
const alone: Sample[] = [];
let phase: 'alone' | 'load' = 'load';
const errors = new Map<string, string[]>();
let ingestRunning = false;

const { from, to } = { from: manifest.options.start, to: manifest.options.end };
const days = manifest.options.days;

async function timed(server: RunningServer, kind: string, url: string, init: RequestInit = {}): Promise<{ ok: boolean; body: unknown }> {
  const duringIngest = ingestRunning;
  const t0 = performance.now();
  let ok = false;
  let body: unknown = null;
  let failure: string | null = null;
  try {
    const res = await fetch(`${server.url}${url}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    ok = res.ok;
    if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
    if (!ok) failure = `${res.status} ${url}: ${text.slice(0, 300)}`;
  } catch (err) {
    failure = `${url}: ${(err as Error).name}: ${(err as Error).message}`;
  }
  (phase === 'alone' ? alone : samples).push({ kind, ms: performance.now() - t0, ok, duringIngest });
  if (failure && phase === 'load') {
    const list = errors.get(kind) ?? [];
    if (list.length < 3) list.push(failure);
    errors.set(kind, list);
  }
  return { ok, body };
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const isoDay = (offset: number): string => {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
/** A week, a fortnight or a month inside the demo's period. */
function range(rng: Rng): { from: string; to: string } {
  const len = rng.pick([7, 14, 30]);
  const start = rng.int(0, days - len);
  return { from: isoDay(start), to: isoDay(start + len - 1) };
}

const ANALYST_SQL = [
  (r: { from: string; to: string }) =>
    `SELECT queue_id, count(*) AS offered, count(answered_at) AS answered, round(avg(wait_s) FILTER (WHERE answered_at IS NOT NULL), 1) AS asa_s
     FROM calls WHERE enqueued_at >= DATE '${r.from}' AND enqueued_at < DATE '${r.to}' + 1 AND direction = 'inbound' GROUP BY ALL ORDER BY offered DESC`,
  (r: { from: string; to: string }) =>
    `SELECT a.name, count(*) AS calls, round(avg(c.talk_s + c.hold_s + c.wrap_s)) AS aht_s
     FROM calls c JOIN agents a USING (agent_id) WHERE c.enqueued_at >= DATE '${r.from}' AND c.enqueued_at < DATE '${r.to}' + 1
     GROUP BY ALL ORDER BY calls DESC LIMIT 20`,
  (r: { from: string; to: string }) =>
    `SELECT cause_group, cause, count(*) AS n FROM tickets WHERE type = 'complaint' AND opened_at >= DATE '${r.from}' AND opened_at < DATE '${r.to}' + 1
     GROUP BY ALL ORDER BY n DESC LIMIT 20`,
  () => `SELECT date_trunc('day', enqueued_at) AS day, count(*) AS calls FROM calls GROUP BY ALL ORDER BY day`
];

/** QA calls to review, handed out once each so that two users never submit the same call. */
const reviewPool: { reviewer: string; callId: string }[] = [];
let scorecardItems: { item_id: string; score: number; na: boolean }[] = [];
/** Whether the server has the workbench's POST /api/sql (else the SQL users run named metrics). */
let sqlEndpoint = false;

type Action = (server: RunningServer, rng: Rng) => Promise<void>;
const actions: [number, string, Action][] = [
  [15, 'overview', async (s, rng) => {
    await timed(s, 'GET / (overview page)', '/');
    const r = range(rng);
    await timed(s, 'GET /api/overview', `/api/overview?from=${r.from}&to=${r.to}`);
  }],
  [25, 'dashboard and drill-down', async (s, rng) => {
    const r = range(rng);
    const interval = rng.pick(['day', 'week', 'hour']);
    await timed(s, 'GET /dashboard', `/dashboard?from=${r.from}&to=${r.to}&interval=${interval}`);
    const measureName = rng.pick(['abandoned', 'answered', 'sl_missed', 'dissatisfied']);
    const day = isoDay(rng.int(0, days - 1));
    await timed(s, 'GET /dashboard/calls (drill-down page)', `/dashboard/calls?from=${r.from}&to=${r.to}&interval=day&bucket=${day}&measure=${measureName}`);
  }],
  [20, 'metrics', async (s, rng) => {
    const r = range(rng);
    const groupBy = rng.pick(['none', 'queue', 'team', 'agent']);
    await timed(s, 'GET /api/metrics/call_kpis', `/api/metrics/call_kpis?from=${r.from}&to=${r.to}&interval=day&group_by=${groupBy}`);
    await timed(s, 'GET /api/metrics/call_list (drill-down)', `/api/metrics/call_list?from=${r.from}&to=${r.to}&measure=${rng.pick(['abandoned', 'transferred', 'surveyed'])}&limit=200`);
  }],
  [20, 'sql', async (s, rng) => {
    if (sqlEndpoint) await timed(s, 'POST /api/sql', '/api/sql', json({ sql: rng.pick(ANALYST_SQL)(range(rng)) }));
    else {
      // A server without the workbench API: the analyst's questions as named metrics instead.
      const r = range(rng);
      const name = rng.pick(['service_level_heatmap', 'satisfaction', 'calls_per_day', 'sla_tickets']);
      await timed(s, `GET /api/metrics/${name} (no /api/sql)`, `/api/metrics/${name}?from=${r.from}&to=${r.to}`);
    }
  }],
  [20, 'qa review', async (s, rng) => {
    const next = reviewPool.shift();
    if (!next) {
      await timed(s, 'GET /api/qa/queue', `/api/qa/queue?reviewer=${encodeURIComponent(rng.pick(['王芳', '李强']))}`);
      return;
    }
    const who = encodeURIComponent(next.reviewer);
    await timed(s, 'GET /api/qa/queue', `/api/qa/queue?reviewer=${who}`);
    await timed(s, 'GET /api/qa/calls/:id (review form)', `/api/qa/calls/${encodeURIComponent(next.callId)}?reviewer=${who}`);
    const review = { reviewer: next.reviewer, call_id: next.callId, items: scorecardItems, advice: '压测：请注意开场白' };
    const draft = await timed(s, 'POST /api/qa/reviews (draft)', '/api/qa/reviews', json({ ...review, submit: false }));
    if (draft.ok) await timed(s, 'POST /api/qa/reviews (submit)', '/api/qa/reviews', json({ ...review, submit: true }));
  }]
];
const totalWeight = actions.reduce((n, [w]) => n + w, 0);

/** A stream per user from one seeded stream; the first draws of a new stream are skipped, as
 *  xoroshiro128+ seeded with nearby small numbers starts out alike. */
const master = new Rng(Number(values.seed));
const warmed = (rng: Rng): Rng => {
  for (let i = 0; i < 16; i++) rng.float();
  return rng;
};
warmed(master);

async function user(server: RunningServer, rng: Rng, deadline: number): Promise<void> {
  await new Promise((r) => setTimeout(r, rng.int(0, 500))); // users arrive over half a second
  while (performance.now() < deadline) {
    let pick = rng.float() * totalWeight;
    const action = actions.find(([w]) => (pick -= w) < 0) ?? actions[0];
    await action[2](server, rng);
    await new Promise((r) => setTimeout(r, rng.int(0, 500))); // think time
  }
}

// ---------------------------------------------------------------- the run

log(`starting zhijian serve on ${runDb} …`);
const server = await startServer(runDb);
let ingest: Awaited<ReturnType<typeof measure>> | null = null;
let ingestStartedAtS = 0;
const ingestRefusals: string[] = [];
try {
  // The review pool and the scorecard, read once before the clock starts.
  for (const reviewer of ['王芳', '李强']) {
    const q = (await (await fetch(`${server.url}/api/qa/queue?reviewer=${encodeURIComponent(reviewer)}`)).json()) as { calls: { call_id: string; status: string }[] };
    for (const c of q.calls) if (c.status !== 'submitted') reviewPool.push({ reviewer, callId: c.call_id });
  }
  const card = (await (await fetch(`${server.url}/api/qa/scorecard`)).json()) as { scorecard: { definition: { sections: { items: { id: string; scores: number[] }[] }[] } } };
  scorecardItems = card.scorecard.definition.sections.flatMap((s) => s.items).map((i) => ({ item_id: i.id, score: Math.max(...i.scores), na: false }));
  const sqlProbe = await fetch(`${server.url}/api/sql`, json({ sql: 'SELECT 1 AS one' }));
  sqlEndpoint = sqlProbe.ok;
  if (!sqlEndpoint) log(`POST /api/sql answers ${sqlProbe.status}: the SQL users run named metrics instead (is the build older than the workbench?)`);
  log(`${reviewPool.length} QA calls to review; ${users} users for ${seconds} s; the ingest of ${newCalls.toLocaleString('en-US')} new calls starts after ${ingestAfterS} s`);

  // Each action three times by one user, before the others start (QA reviews are not
  // submitted here, so that the pool stays whole for the load).
  phase = 'alone';
  const soloRng = warmed(master.fork());
  for (let round = 0; round < 3; round++) for (const [, name, action] of actions) if (name !== 'qa review') await action(server, soloRng);
  const soloWho = encodeURIComponent(reviewPool[0]?.reviewer ?? '王芳');
  for (let round = 0; round < 3 && reviewPool.length; round++) {
    await timed(server, 'GET /api/qa/queue', `/api/qa/queue?reviewer=${soloWho}`);
    await timed(server, 'GET /api/qa/calls/:id (review form)', `/api/qa/calls/${encodeURIComponent(reviewPool[round % reviewPool.length].callId)}?reviewer=${soloWho}`);
  }
  phase = 'load';
  log(`one user alone: ${alone.length} requests, median ${fmt(percentile(alone.map((x) => x.ms).sort((a, b) => a - b), 50), 0)} ms`);

  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const ingestDone = (async () => {
    await new Promise((r) => setTimeout(r, ingestAfterS * 1000));
    ingestRunning = true;
    ingestStartedAtS = (performance.now() - t0) / 1000;
    log(`ingest started at ${fmt(ingestStartedAtS)} s`);
    try {
      // The CLI hands the load to the server after a health check; a server too busy to answer
      // it in time is refused. That counts against the run, and the ingest is tried again.
      for (;;) {
        ingest = await measure(process.execPath, [cli, '--db', runDb, 'ingest', '--no-progress', newMonth]);
        if (ingest.exitCode === 0 || !/does not answer/.test(ingest.stderr) || ingestRefusals.length >= 10) break;
        ingestRefusals.push(ingest.stderr.trim().split('\n').pop()!);
        log(`ingest refused: ${ingestRefusals.at(-1)}; trying again in 2 s`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    } finally {
      ingestRunning = false;
    }
    log(`ingest finished (exit ${ingest.exitCode}) in ${fmt(ingest.wallSeconds)} s`);
  })();
  const progress = setInterval(() => log(`  ${fmt((performance.now() - t0) / 1000, 0)} s: ${samples.length} requests, ${samples.filter((x) => !x.ok).length} errors`), 10_000);
  await Promise.all(Array.from({ length: users }, () => user(server, warmed(master.fork()), deadline)));
  const elapsedS = (performance.now() - t0) / 1000;
  clearInterval(progress);
  if (ingestRunning) log('the users are done; waiting for the ingest to finish …');
  await ingestDone;
  report(elapsedS);
} finally {
  await server.stop();
}

// ---------------------------------------------------------------- the report

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function row(label: string, list: Sample[], elapsedS: number, solo: Sample[]): string {
  const ms = list.map((x) => x.ms).sort((a, b) => a - b);
  const bad = list.filter((x) => !x.ok).length;
  const soloMs = solo.map((x) => x.ms).sort((a, b) => a - b);
  return `| ${label} | ${list.length.toLocaleString('en-US')} | ${fmt(list.length / elapsedS)} | ${fmt(percentile(ms, 50), 0)} | ${fmt(percentile(ms, 95), 0)} | ${fmt(percentile(ms, 99), 0)} | ${fmt(ms[ms.length - 1] ?? NaN, 0)} | ${bad} | ${soloMs.length ? fmt(percentile(soloMs, 50), 0) : '–'} |`;
}

function report(elapsedS: number): void {
  const run = ingest!;
  const summaryLines = run.stdout.split('\n').filter((l) => /\s(ok|FAILED|skipped \(already loaded\))$/.test(l));
  const cols = (l: string) => l.trim().split(/\s{2,}/);
  const fileRows = summaryLines.map(cols).filter((c) => c.length >= 8);
  const sum = (i: number) => fileRows.reduce((n, c) => n + Number(c[i]), 0);
  const handed = /handing the load to the server/.test(run.stderr);
  const kinds = [...new Set(samples.map((x) => x.kind))];
  const all = samples;
  const bad = all.filter((x) => !x.ok).length;
  const allMs = all.map((x) => x.ms).sort((a, b) => a - b);
  const p99 = percentile(allMs, 99);
  const lines = [
    `# Load: ${users} users for ${fmt(seconds, 0)} s while an ingest runs`,
    '',
    `Machine: ${machineDescription()}`,
    '',
    `Default demo warehouse (${manifest.options.agents} staff, ${days} days, ${from} … ${to}), served by \`zhijian serve\` (one process). ${users} virtual users in one Node process, each looping over a weighted mix — overview page and /api/overview (15), dashboard page and drill-down page (25), named metrics call_kpis and call_list (20), ${sqlEndpoint ? 'an analyst\'s query through POST /api/sql (20)' : 'an analyst\'s question as a named metric, since this server has no POST /api/sql (20)'}, QA review: queue, review form, draft, submission (20) — with 0–500 ms think time. ${ingestAfterS} s in, \`zhijian ingest\` loads 30 new days (${newCalls.toLocaleString('en-US')} calls, tickets, punches, …) ${handed ? 'and hands them to the running server' : '(**not** handed to the server)'}.`,
    '',
    `Users start no new action after ${fmt(seconds, 0)} s; the last request ended at ${fmt(elapsedS)} s (requests time out after ${REQUEST_TIMEOUT_MS / 1000} s, an error). Rates are over ${fmt(elapsedS)} s; an error is a network failure, a timeout or a status other than 2xx. The last column is the median of three requests of the kind by one user before the load (no contention, no ingest).`,
    '',
    '| request | count | per second | p50 ms | p95 ms | p99 ms | max ms | errors | one user alone, median ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...kinds.sort().map((k) => row(k, all.filter((x) => x.kind === k), elapsedS, alone.filter((x) => x.kind === k))),
    row('**all**', all, elapsedS, alone),
    row('all, while the ingest ran', all.filter((x) => x.duringIngest), elapsedS, []),
    '',
    `Throughput **${fmt(all.length / elapsedS)} requests/s**, p99 **${fmt(p99, 0)} ms**, **${bad} error(s)** (target: none, p99 under 1 000 ms: ${bad === 0 && p99 < 1000 ? 'met' : 'not met'}).`,
    '',
    `Ingest: ${ingestRefusals.length ? `**refused ${ingestRefusals.length} time(s)** before it ran (\`${ingestRefusals[0].replace(/\/\S+/g, '…')}\`), then ` : ''}exit ${run.exitCode}, ${fmt(run.wallSeconds)} s (last attempt; the first started at ${fmt(ingestStartedAtS)} s), ${fileRows.length} files, rows read ${sum(3).toLocaleString('en-US')}, loaded ${sum(4).toLocaleString('en-US')}, rejected ${sum(5).toLocaleString('en-US')}, already present ${sum(6).toLocaleString('en-US')}${
      sum(5) + sum(6) > 0 ? ' (rows present or rejected are ids that collide with the demo, or unchanged dimensions)' : ''
    }.`
  ];
  if (errors.size) {
    lines.push('', 'First errors per request kind:', '');
    for (const [k, list] of errors) for (const e of list) lines.push(`- ${k}: \`${e.replace(/`/g, "'").replace(/\s+/g, ' ')}\``);
  }
  if (run.exitCode !== 0) lines.push('', 'Ingest output:', '', '```', (run.stderr + run.stdout).slice(-1500), '```');
  console.log(lines.join('\n'));
  process.exitCode = bad === 0 && run.exitCode === 0 && !ingestRefusals.length ? 0 : 1;
}
