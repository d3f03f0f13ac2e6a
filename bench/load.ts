// Load test: 50 simulated users on `zhijian serve` over the default demo warehouse for a fixed
// time — overview, dashboard and drill-downs, named metrics, SQL through the workbench API, QA
// review drafts and submissions — while `zhijian ingest` hands a fresh month of calls to the
// same server. Reports throughput, p50/p95/p99 latency and errors per request kind.
//   npx tsx bench/load.ts [--seconds 60] [--users 50] [--think 0-500] [--arrival MS] [--work bench/out/load] [--seed 1] [--samples FILE]
// --think MIN-MAX: each user's pause between requests, in ms, drawn evenly from the range. The
// default (0–0.5 s) is a stress test: 50 users clicking up to several times a second.
// --arrival MS: each user's first request at a random moment of the first MS ms (default: the
// longest think time, at least 500), e.g. --arrival 500 for every user starting at once.
// --samples FILE: every request of the run as a JSON line (kind, atS sent, ms, ok), for a timeline.
// Builds the demo warehouse in the work folder the first time (`zhijian demo --no-serve`) and
// reuses it after; the ingested month goes into a copy, so every run starts from the same data.
// Each user signs in (POST /api/session) as the demo account of its role — manager, analyst, or a
// QA reviewer — with the password in ZHIJIAN_DEMO_PASSWORD (default zhijian-demo); a server
// without sign-in (the route answers 404) is used without a cookie.
// Markdown on stdout, progress on stderr. Needs `npm run build`. Requests go to 127.0.0.1 only.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer, type RunningServer } from '../test/e2e/harness.ts';
import { Rng } from '../ingest/generate/random.ts';
import { fmt, machineDescription, measure } from './measure.ts';
import { serverThreads } from '../web/lib/server/config.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    users: { type: 'string', default: '50' },
    work: { type: 'string', default: 'bench/out/load' },
    seed: { type: 'string', default: '1' },
    'ingest-after': { type: 'string', default: '5' },
    think: { type: 'string', default: '0-500' },
    arrival: { type: 'string' },
    samples: { type: 'string' }
  }
});
const thinkMatch = /^(\d+)-(\d+)$/.exec(values.think!);
if (!thinkMatch || Number(thinkMatch[1]) > Number(thinkMatch[2])) throw new Error('--think must be MIN-MAX in milliseconds, e.g. 0-500');
const [thinkMin, thinkMax] = [Number(thinkMatch[1]), Number(thinkMatch[2])];
const thinkText = `${fmt(thinkMin / 1000, 1)}–${fmt(thinkMax / 1000, 1)} s`;
const seconds = Number(values.seconds);
const users = Number(values.users);
const ingestAfterS = Number(values['ingest-after']);
/** Days of new data the ingest loads during the run. */
const NEW_DAYS = 30;
if (!(seconds > 0) || !Number.isInteger(users) || users < 1) throw new Error('--seconds must be > 0 and --users a whole number ≥ 1');
const work = path.resolve(values.work!);
const demoDir = path.join(work, 'demo');
const demoDb = path.join(work, 'demo.duckdb');
const runDb = path.join(work, 'run.duckdb');
const newMonth = path.join(work, 'new-month');
const cli = 'bin/zhijian.js';
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const REQUEST_TIMEOUT_MS = 30_000;
/** The report's rows split the requests sent this early, as users arrive, from the rest. */
const COLD_S = 2;
/** Users start over this many ms: --arrival, else one think time, at least half a second. */
const ARRIVAL_MS = values.arrival === undefined ? Math.max(500, thinkMax) : Number(values.arrival);
if (!Number.isInteger(ARRIVAL_MS) || ARRIVAL_MS < 0) throw new Error('--arrival must be a number of milliseconds, e.g. 500');

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
    await measure(process.execPath, [cli, 'generate', '--out', newMonth, '--seed', String(manifest.seed), '--agents', String(manifest.options.agents), '--days', String(NEW_DAYS), '--start', nextStart])
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
  /** When it was sent, seconds after the users started. */
  atS: number;
}
const samples: Sample[] = [];
let clockStart = performance.now();
/** One user alone, before the load: what each request costs without contention. */
const alone: Sample[] = [];
let phase: 'alone' | 'load' = 'load';
const errors = new Map<string, string[]>();
let ingestRunning = false;

const { from, to } = { from: manifest.options.start, to: manifest.options.end };
const days = manifest.options.days;

/** A simulated person: the account it signed in as (null: a server without sign-in) and its cookie. */
interface Who {
  account: Account;
  cookie: string | null;
}
type Account = 'manager' | 'analyst' | 'wangfang' | 'liqiang';
/** The demo's QA reviewers: account name, and the display name a server without sign-in takes. */
const REVIEWERS: Record<'wangfang' | 'liqiang', string> = { wangfang: '王芳', liqiang: '李强' };
const PASSWORD = process.env.ZHIJIAN_DEMO_PASSWORD ?? 'zhijian-demo';
/** Whether the server has sign-in (POST /api/session); decided by the first sign-in. */
let signIn = true;

/** Signs in as the account; a server without the route (404) is used without a cookie. */
async function signInAs(server: RunningServer, account: Account): Promise<Who> {
  if (!signIn) return { account, cookie: null };
  const res = await fetch(`${server.url}/api/session`, json({ username: account, password: PASSWORD }));
  const text = await res.text();
  if (res.status === 404) {
    signIn = false;
    return { account, cookie: null };
  }
  if (!res.ok) {
    throw new Error(
      `signing in as ${account} failed: ${res.status} ${text.slice(0, 300)}` +
        (res.status === 401 ? ` (a demo warehouse made before accounts existed has none: remove ${demoDb} to rebuild it)` : '')
    );
  }
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('zhijian_session='));
  if (!cookie) throw new Error(`signing in as ${account} set no zhijian_session cookie`);
  return { account, cookie };
}

async function timed(server: RunningServer, who: Who, kind: string, url: string, init: RequestInit = {}): Promise<{ ok: boolean; body: unknown }> {
  const duringIngest = ingestRunning;
  const t0 = performance.now();
  let ok = false;
  let body: unknown = null;
  let failure: string | null = null;
  try {
    const headers = new Headers(init.headers);
    if (who.cookie) headers.set('cookie', who.cookie);
    const res = await fetch(`${server.url}${url}`, { ...init, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    ok = res.ok;
    if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
    if (!ok) failure = `${res.status} ${url}: ${text.slice(0, 300)}`;
  } catch (err) {
    failure = `${url}: ${(err as Error).name}: ${(err as Error).message}`;
  }
  (phase === 'alone' ? alone : samples).push({ kind, ms: performance.now() - t0, ok, duringIngest, atS: (t0 - clockStart) / 1000 });
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
const reviewPool: { reviewer: 'wangfang' | 'liqiang'; callId: string }[] = [];
let scorecardItems: { item_id: string; score: number; na: boolean }[] = [];
/** Whether the server has the workbench's POST /api/sql (else the SQL users run named metrics). */
let sqlEndpoint = false;

/** Whose QA queue a request reads: the signed-in reviewer's own, or (no sign-in) the one named. */
const asReviewer = (who: Who): string => (who.cookie ? '' : `reviewer=${encodeURIComponent(REVIEWERS[who.account as 'wangfang'])}`);

/** Saves a review as a draft or submits it. With sign-in the reviewer is the session's user; a
 *  server without sign-in takes the reviewer's name in the body. */
function saveReview(s: RunningServer, who: Who, callId: string, submit: boolean) {
  const review = { call_id: callId, items: scorecardItems, advice: '压测：请注意开场白', submit };
  const body = who.cookie ? review : { reviewer: REVIEWERS[who.account as 'wangfang'], ...review };
  return timed(s, who, `POST /api/qa/reviews (${submit ? 'submit' : 'draft'})`, '/api/qa/reviews', json(body));
}

type Action = (server: RunningServer, who: Who, rng: Rng) => Promise<void>;
type Role = 'manager' | 'analyst' | 'reviewer';
const actions: [number, string, Role, Action][] = [
  [15, 'overview', 'manager', async (s, who, rng) => {
    await timed(s, who, 'GET / (overview page)', '/');
    const r = range(rng);
    await timed(s, who, 'GET /api/overview', `/api/overview?from=${r.from}&to=${r.to}`);
  }],
  [25, 'dashboard and drill-down', 'manager', async (s, who, rng) => {
    const r = range(rng);
    const interval = rng.pick(['day', 'week', 'hour']);
    await timed(s, who, 'GET /dashboard', `/dashboard?from=${r.from}&to=${r.to}&interval=${interval}`);
    const measureName = rng.pick(['abandoned', 'answered', 'sl_missed', 'dissatisfied']);
    const day = isoDay(rng.int(0, days - 1));
    await timed(s, who, 'GET /dashboard/calls (drill-down page)', `/dashboard/calls?from=${r.from}&to=${r.to}&interval=day&bucket=${day}&measure=${measureName}`);
  }],
  [20, 'metrics', 'manager', async (s, who, rng) => {
    const r = range(rng);
    const groupBy = rng.pick(['none', 'queue', 'team', 'agent']);
    await timed(s, who, 'GET /api/metrics/call_kpis', `/api/metrics/call_kpis?from=${r.from}&to=${r.to}&interval=day&group_by=${groupBy}`);
    await timed(s, who, 'GET /api/metrics/call_list (drill-down)', `/api/metrics/call_list?from=${r.from}&to=${r.to}&measure=${rng.pick(['abandoned', 'transferred', 'surveyed'])}&limit=200`);
  }],
  [20, 'sql', 'analyst', async (s, who, rng) => {
    if (sqlEndpoint) await timed(s, who, 'POST /api/sql', '/api/sql', json({ sql: rng.pick(ANALYST_SQL)(range(rng)) }));
    else {
      // A server without the workbench API: the analyst's questions as named metrics instead.
      const r = range(rng);
      const name = rng.pick(['service_level_heatmap', 'satisfaction', 'calls_per_day', 'sla_tickets']);
      await timed(s, who, `GET /api/metrics/${name} (no /api/sql)`, `/api/metrics/${name}?from=${r.from}&to=${r.to}`);
    }
  }],
  [20, 'qa review', 'reviewer', async (s, who) => {
    const queue = `/api/qa/queue?${asReviewer(who)}`;
    const i = reviewPool.findIndex((x) => x.reviewer === who.account);
    if (i < 0) {
      await timed(s, who, 'GET /api/qa/queue', queue);
      return;
    }
    const [next] = reviewPool.splice(i, 1);
    await timed(s, who, 'GET /api/qa/queue', queue);
    await timed(s, who, 'GET /api/qa/calls/:id (review form)', `/api/qa/calls/${encodeURIComponent(next.callId)}?${asReviewer(who)}`);
    const draft = await saveReview(s, who, next.callId, false);
    if (draft.ok) await saveReview(s, who, next.callId, true);
  }]
];
/** An action's weight in the mix, by its name. */
const weightOf = (name: string): number => actions.find(([, n]) => n === name)![0];

/** Users of each role in proportion to its actions' weights (each signs in once, as one account:
 *  the sign-in route limits attempts per address). */
const roleWeight = (role: Role) => actions.filter(([, , r]) => r === role).reduce((n, [w]) => n + w, 0);
const totalWeight = actions.reduce((n, [w]) => n + w, 0);
/** The role of user i of n: the first 60 % managers, then analysts, then reviewers (by weight). */
function roleOf(i: number, n: number): Role {
  let at = ((i + 0.5) / n) * totalWeight;
  for (const role of ['manager', 'analyst', 'reviewer'] as const) if ((at -= roleWeight(role)) < 0) return role;
  return 'reviewer';
}

/** A stream per user from one seeded stream; the first draws of a new stream are skipped, as
 *  xoroshiro128+ seeded with nearby small numbers starts out alike. */
const master = new Rng(Number(values.seed));
const warmed = (rng: Rng): Rng => {
  for (let i = 0; i < 16; i++) rng.float();
  return rng;
};
warmed(master);

async function user(server: RunningServer, who: Who, role: Role, rng: Rng, deadline: number): Promise<void> {
  const mine = actions.filter(([, , r]) => r === role);
  const weight = mine.reduce((n, [w]) => n + w, 0);
  // Each user starts at a random moment of one think time (at least half a second), as people
  // already at work are at different points of what they do: 50 first clicks in the same half
  // second would be a burst no floor produces, and the report would measure it instead of the load.
  await new Promise((r) => setTimeout(r, rng.int(0, ARRIVAL_MS)));
  while (performance.now() < deadline) {
    let pick = rng.float() * weight;
    const action = mine.find(([w]) => (pick -= w) < 0) ?? mine[0];
    await action[3](server, who, rng);
    await new Promise((r) => setTimeout(r, rng.int(thinkMin, thinkMax))); // think time
  }
}

// ---------------------------------------------------------------- the run

log(`starting zhijian serve on ${runDb} …`);
const server = await startServer(runDb);
let ingest: Awaited<ReturnType<typeof measure>> | null = null;
let ingestStartedAtS = 0;
const ingestRefusals: string[] = [];
try {
  // One sign-in per role for the setup and the one-user-alone round (the first tells whether the
  // server has sign-in at all).
  const solo: Record<Account, Who> = {
    manager: await signInAs(server, 'manager'),
    analyst: await signInAs(server, 'analyst'),
    wangfang: await signInAs(server, 'wangfang'),
    liqiang: await signInAs(server, 'liqiang')
  };
  const get = async (who: Who, url: string) => (await fetch(`${server.url}${url}`, { headers: who.cookie ? { cookie: who.cookie } : {} })).json();
  // The review pool and the scorecard, read once before the clock starts.
  for (const reviewer of ['wangfang', 'liqiang'] as const) {
    const q = (await get(solo[reviewer], `/api/qa/queue?${asReviewer(solo[reviewer])}`)) as { calls: { call_id: string; status: string }[] };
    for (const c of q.calls) if (c.status !== 'submitted') reviewPool.push({ reviewer, callId: c.call_id });
  }
  const card = (await get(solo.wangfang, '/api/qa/scorecard')) as { scorecard: { definition: { sections: { items: { id: string; scores: number[] }[] }[] } } };
  scorecardItems = card.scorecard.definition.sections.flatMap((s) => s.items).map((i) => ({ item_id: i.id, score: Math.max(...i.scores), na: false }));
  const sqlProbe = await fetch(`${server.url}/api/sql`, { ...json({ sql: 'SELECT 1 AS one' }), headers: { 'content-type': 'application/json', ...(solo.analyst.cookie ? { cookie: solo.analyst.cookie } : {}) } });
  sqlEndpoint = sqlProbe.ok;
  if (!sqlEndpoint) log(`POST /api/sql answers ${sqlProbe.status}: the SQL users run named metrics instead (is the build older than the workbench?)`);
  log(`${signIn ? 'signed in' : 'no sign-in on this server'}; ${reviewPool.length} QA calls to review; ${users} users for ${seconds} s; the ingest of ${newCalls.toLocaleString('en-US')} new calls starts after ${ingestAfterS} s`);

  // Each action three times by one user, before the others start (QA reviews are not
  // submitted here, so that the pool stays whole for the load).
  phase = 'alone';
  const soloRng = warmed(master.fork());
  for (let round = 0; round < 3; round++) for (const [, , role, action] of actions) if (role !== 'reviewer') await action(server, role === 'analyst' ? solo.analyst : solo.manager, soloRng);
  for (let round = 0; round < 3 && reviewPool.length; round++) {
    const entry = reviewPool[round % reviewPool.length];
    const who = solo[entry.reviewer];
    await timed(server, who, 'GET /api/qa/queue', `/api/qa/queue?${asReviewer(who)}`);
    await timed(server, who, 'GET /api/qa/calls/:id (review form)', `/api/qa/calls/${encodeURIComponent(entry.callId)}?${asReviewer(who)}`);
  }
  phase = 'load';
  log(`one user alone: ${alone.length} requests, median ${fmt(percentile(alone.map((x) => x.ms).sort((a, b) => a - b), 50), 0)} ms`);

  // The users sign in before the clock starts.
  const roles = Array.from({ length: users }, (_, i) => roleOf(i, users));
  let reviewers = 0;
  const people = await Promise.all(roles.map((role) => signInAs(server, role === 'reviewer' ? (reviewers++ % 2 ? 'liqiang' : 'wangfang') : role)));
  log(`users: ${(['manager', 'analyst', 'reviewer'] as const).map((r) => `${roles.filter((x) => x === r).length} ${r}s`).join(', ')}`);

  const t0 = performance.now();
  clockStart = t0;
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
  await Promise.all(people.map((who, i) => user(server, who, roles[i], warmed(master.fork()), deadline)));
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
  if (values.samples) fs.writeFileSync(values.samples, samples.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const kinds = [...new Set(samples.map((x) => x.kind))];
  const all = samples;
  const bad = all.filter((x) => !x.ok).length;
  const allMs = all.map((x) => x.ms).sort((a, b) => a - b);
  const p99 = percentile(allMs, 99);
  const lines = [
    `# Load: ${users} users for ${fmt(seconds, 0)} s while an ingest runs, ${thinkText} think time${values.arrival === undefined ? '' : `, all starting within ${fmt(ARRIVAL_MS / 1000, 1)} s`}`,
    '',
    `Machine: ${machineDescription()}`,
    '',
    `Default demo warehouse (${manifest.options.agents} staff, ${days} days, ${from} … ${to}), served by \`zhijian serve\` (one process; DuckDB threads per query: ${serverThreads()}, its default here: ZHIJIAN_THREADS, else half the cores). ${users} virtual users in one Node process, ${signIn ? 'each signed in (POST /api/session) as the demo account of its role' : 'without sign-in (this server has no POST /api/session)'}, in proportion to a weighted mix of actions — managers: overview page and /api/overview (${weightOf('overview')}), dashboard page and drill-down page (${weightOf('dashboard and drill-down')}), named metrics call_kpis and call_list (${weightOf('metrics')}); analysts: ${sqlEndpoint ? 'a query through POST /api/sql' : 'a question as a named metric, since this server has no POST /api/sql'} (${weightOf('sql')}); QA reviewers: queue, review form, draft, submission (${weightOf('qa review')}) — each user looping over its role's actions with ${thinkText} think time after each action (drawn evenly), each starting at a random moment of the first ${fmt(ARRIVAL_MS / 1000, 1)} s. ${ingestAfterS} s in, \`zhijian ingest\` loads ${NEW_DAYS} new days (${newCalls.toLocaleString('en-US')} calls, tickets, punches, …) ${handed ? 'and hands them to the running server' : '(**not** handed to the server)'}.`,
    '',
    `Users start no new action after ${fmt(seconds, 0)} s; the last request ended at ${fmt(elapsedS)} s (requests time out after ${REQUEST_TIMEOUT_MS / 1000} s, an error). Rates are over ${fmt(elapsedS)} s; an error is a network failure, a timeout or a status other than 2xx. The last column is the median of three requests of the kind by one user before the load (no contention, no ingest).`,
    '',
    '| request | count | per second | p50 ms | p95 ms | p99 ms | max ms | errors | one user alone, median ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...kinds.sort().map((k) => row(k, all.filter((x) => x.kind === k), elapsedS, alone.filter((x) => x.kind === k))),
    row('**all**', all, elapsedS, alone),
    row(`all, sent in the first ${COLD_S} s (users arriving)`, all.filter((x) => x.atS < COLD_S), elapsedS, []),
    row('all, while the ingest ran', all.filter((x) => x.atS >= COLD_S && x.duringIngest), elapsedS, []),
    row('all, the rest', all.filter((x) => x.atS >= COLD_S && !x.duringIngest), elapsedS, []),
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
