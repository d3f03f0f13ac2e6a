// `zhijian demo`: the one-command start. Generates the demo export once (deterministic for the
// seed), loads it (a no-op when already loaded: the loader skips files it has seen), then serves.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { generate, planSize } from '../../../../ingest/generate/generate.ts';
import { ingestFiles, type FileSummary } from '../../../../ingest/load/index.ts';
import { repoRoot, resolveDbPath, resolveRecordingsDir } from '../config.ts';
import { findServer } from '../handoff.ts';
import { UserError } from '../errors.ts';
import { Warehouse } from '../warehouse.ts';
import { serve } from './serve.ts';
import { runAutoQa } from '../qa/auto/run.ts';
import { activeScorecard } from '../qa/scorecard.ts';
import { drawSample } from '../qa/sampling.ts';
import { addUser, getUser } from '../auth/users.ts';
import type { Role } from '../../auth/roles.ts';

export interface DemoOptions {
  dbPath: string;
  /** Folder of the demo export. */
  dir: string;
  seed: number;
  /** Size of a newly generated demo center (defaults: the generator's, 60 staff × 120 days). */
  agents?: number;
  days?: number;
  log?: (line: string) => void;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate the demo export (first time only), load it into the warehouse, and serve the dashboard')
    .option('--dir <dir>', 'folder for the demo export', path.join(repoRoot, 'data', 'demo'))
    .option('--seed <n>', 'seed of the demo data', wholeNumber, 1)
    .option('--agents <n>', 'staff of a newly generated demo center (default 60)', wholeNumber)
    .option('--days <n>', 'days of a newly generated demo center (default 120)', wholeNumber)
    .option('--port <n>', 'port to listen on', wholeNumber, 3000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-serve', 'prepare the demo warehouse and stop')
    .action(async (opts: { dir: string; seed: number; agents?: number; days?: number; port: number; host: string; serve: boolean }, cmd: Command) => {
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      await prepareDemo({ dbPath, dir: path.resolve(opts.dir), seed: opts.seed, agents: opts.agents, days: opts.days, log: (l) => process.stderr.write(`${l}\n`) });
      if (!opts.serve) return;
      process.stderr.write(`demo accounts, each with the password "${DEMO_PASSWORD}": ${DEMO_ACCOUNTS.map((a) => `${a.username} (${a.role})`).join(', ')}\n`);
      synthesizeRecordingsInBackground(path.resolve(opts.dir), (l) => process.stderr.write(`${l}\n`));
      await serve({ dbPath, port: opts.port, host: opts.host });
    });
}

/** Makes sure the demo export exists and is loaded into the warehouse at dbPath. */
export async function prepareDemo(options: DemoOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  if (await findServer(options.dbPath)) {
    throw new UserError(`a zhijian server already serves ${options.dbPath}: stop it first, or use another --db`);
  }
  if (!fs.existsSync(path.join(options.dir, 'MANIFEST.json'))) {
    log(`generating the demo export in ${options.dir} (seed ${options.seed}) …`);
    await generate({ out: options.dir, seed: options.seed, ...planSize({ agents: options.agents, days: options.days }), progress: Boolean(process.stderr.isTTY) });
  }
  log(`loading ${options.dir} into ${options.dbPath} …`);
  const warehouse = await Warehouse.open(options.dbPath);
  try {
    const summary = await ingestFiles(warehouse, [options.dir], { onFile: (f: FileSummary) => log(describe(f)) });
    if (summary.failed > 0) throw new UserError(`${summary.failed} demo file(s) failed to load (see above)`);
    await prepareQa(warehouse, options.seed, log);
    await prepareAccounts(warehouse, log);
    const counts = await warehouse.rowCounts();
    log(`warehouse ready: ${counts.calls} calls, ${counts.tickets} tickets, ${counts.utterances} utterances, ${counts.agents} agents`);
  } finally {
    warehouse.close();
  }
}

/** The demo QA team (their accounts' usernames): reviewers with a first monthly draw to work on, and auto-QA on every transcript. */
export const DEMO_REVIEWERS = ['wangfang', 'liqiang'];

/** The demo's password for every demo account; the demo is for trying zhijian out, not for real data. */
export const DEMO_PASSWORD = process.env.ZHIJIAN_DEMO_PASSWORD ?? 'zhijian-demo';

/** One demo account per role. The agent account is the agent of the first call drawn for wangfang, so a review of theirs can be disputed. */
const DEMO_ACCOUNTS: Array<{ username: string; display_name: string; role: Role }> = [
  { username: 'admin', display_name: '管理员', role: 'admin' },
  { username: 'manager', display_name: '张经理', role: 'manager' },
  { username: 'wangfang', display_name: '王芳', role: 'reviewer' },
  { username: 'liqiang', display_name: '李强', role: 'reviewer' },
  { username: 'analyst', display_name: '陈思', role: 'analyst' },
  { username: 'agent', display_name: '', role: 'agent' },
  { username: 'callback', display_name: '刘敏', role: 'callback' }
];

async function prepareAccounts(warehouse: Warehouse, log: (line: string) => void): Promise<void> {
  const made: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (await getUser(warehouse, account.username)) continue;
    let extra: { agent_id?: string; display_name?: string } = {};
    if (account.role === 'agent') {
      const agent = await warehouse.one<{ agent_id: string; name: string }>(
        `SELECT s.agent_id, a.name FROM qa_sample_calls s JOIN agents a USING (agent_id) WHERE s.reviewer = $r ORDER BY s.rank, s.call_id LIMIT 1`,
        { r: DEMO_REVIEWERS[0] }
      );
      if (!agent) continue;
      extra = { agent_id: agent.agent_id, display_name: agent.name };
    }
    await addUser(warehouse, { ...account, ...extra }, DEMO_PASSWORD, 'demo');
    made.push(`${account.username} (${account.role})`);
  }
  if (made.length) log(`accounts: ${made.join(', ')} — each with the password "${DEMO_PASSWORD}"`);
}

async function prepareQa(warehouse: Warehouse, seed: number, log: (line: string) => void): Promise<void> {
  const auto = await runAutoQa(warehouse, await activeScorecard(warehouse));
  if (auto.calls) log(`auto-QA checked ${auto.calls} transcribed calls`);
  const drawn = await warehouse.one<{ n: number }>('SELECT count(*) AS n FROM qa_samples');
  if (drawn?.n) return;
  const draw = await drawSample(warehouse, { period: 'month', per_agent: 3, seed: `demo-${seed}`, reviewers: DEMO_REVIEWERS }, 'demo');
  log(`QA: drew ${draw.calls.length} calls of ${draw.period.start}…${draw.period.end} for ${DEMO_REVIEWERS.join(', ')}`);
}

function describe(f: FileSummary): string {
  const name = path.basename(f.file);
  if (f.error) return `  ${name}: failed: ${f.error.split('\n')[0]}`;
  if (f.skipped) return `  ${name}: already loaded`;
  return `  ${name}: ${f.rowsLoaded} loaded${f.rowsRejected ? `, ${f.rowsRejected} rejected` : ''}`;
}

/**
 * Speaks the scripted demo transcripts into playable recordings (agent left, customer right) in
 * the recordings folder, unless they are all there already. It runs as a child process because
 * speech synthesis is CPU-bound and would stall the server; the review page plays each recording
 * as soon as its file exists.
 */
export function synthesizeRecordingsInBackground(dir: string, log: (line: string) => void): void {
  const transcripts = path.join(dir, 'transcripts');
  if (!fs.existsSync(transcripts)) return;
  const out = resolveRecordingsDir();
  const wanted = fs.readdirSync(transcripts).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '.wav'));
  if (wanted.every((f) => fs.existsSync(path.join(out, f)))) return;
  log(`synthesizing ${wanted.length} demo recordings into ${out} in the background …`);
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'zhijian.js'), 'transcribe', 'synth', '--transcripts', transcripts, '--out', out], {
    stdio: ['ignore', 'ignore', 'pipe']
  });
  let errors = '';
  child.stderr.on('data', (d) => (errors += d));
  child.on('close', (code) => log(code === 0 ? 'demo recordings ready' : `demo recordings failed (exit ${code}): ${errors.trim().split('\n').pop()}`));
  process.once('exit', () => child.kill());
}
