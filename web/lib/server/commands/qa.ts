// `zhijian qa sample`: draw N calls per agent for a week or month (for a scheduler), and
// `zhijian qa auto`: run auto-QA on every transcribed call not yet checked. Through the running
// server when there is one (it owns the warehouse file), else on the file directly.
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveDbPath } from '../config.ts';
import { UserError } from '../errors.ts';
import { cliActor, findServer, serverFetch, type RunningServer } from '../handoff.ts';
import { Warehouse, WarehouseError } from '../warehouse.ts';
import { drawRequestSchema, drawSample, SamplingError, type DrawResult } from '../qa/sampling.ts';
import { activeScorecard } from '../qa/scorecard.ts';
import { runAutoQa, type AutoRunSummary } from '../qa/auto/run.ts';
import { knownReviewers } from '../qa/calls.ts';
import { reviewerAccounts } from '../auth/users.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

async function remote<T>(server: RunningServer, path: string, body: unknown): Promise<T> {
  const res = await serverFetch(server, `/api/qa${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => null)) as { error?: { message: string } } | null;
  if (!res.ok) throw new UserError(`server: ${json?.error?.message ?? res.statusText}`);
  return json as T;
}

async function openWritable(dbPath: string): Promise<Warehouse> {
  try {
    return await Warehouse.open(dbPath);
  } catch (err) {
    if (err instanceof WarehouseError) throw new UserError(err.message);
    throw err;
  }
}

export function formatDraw(r: DrawResult): string {
  const lines = [
    `draw ${r.sample_id}: ${r.period.kind} ${r.period.start} to ${r.period.end}, ${r.per_agent} per agent, seed ${r.seed}`,
    `${r.calls.length} calls drawn for ${r.agents.length} agents`
  ];
  for (const a of r.agents) lines.push(`  agent ${a.agent_id}: ${a.drawn} of ${a.eligible} eligible${a.short ? ` (short of ${r.per_agent})` : ''}`);
  lines.push('reviewers: ' + Object.entries(r.workload).map(([name, n]) => `${name} ${n}`).join(', '));
  lines.push('call_id\tagent_id\tstratum\tweight\treviewer');
  for (const c of r.calls) lines.push(`${c.call_id}\t${c.agent_id}\t${c.stratum}\t${c.weight}\t${c.reviewer}`);
  return lines.join('\n') + '\n';
}

export function registerQa(program: Command): void {
  const qa = program.command('qa').description('QA inspection (质检): sampling draws and auto-QA');

  qa.command('sample')
    .description('draw N calls per agent for a week or month and assign them to reviewers; prints the draw')
    .addOption(new Option('--period <period>', 'week (Monday–Sunday) or month').choices(['week', 'month']).makeOptionMandatory())
    .requiredOption('--per-agent <n>', 'calls per agent', positiveInt)
    .option('--seed <seed>', 'seed of the draw (default: a random one, recorded and printed)')
    .option('--date <YYYY-MM-DD>', 'any day in the period (default: the day of the latest call)')
    .option('--reviewers <names>', 'comma-separated reviewers to share the draw (default: those of the previous draw)', list)
    .option('--min-talk <s>', 'exclude calls shorter than this many seconds', positiveInt)
    .option('--json', 'print the draw as JSON')
    .action(async (opts: { period: 'week' | 'month'; perAgent: number; seed?: string; date?: string; reviewers?: string[]; minTalk?: number; json?: boolean }, cmd: Command) => {
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      const server = await findServer(dbPath);
      const request = (reviewers: string[]) => {
        const parsed = drawRequestSchema.safeParse({
          period: opts.period,
          per_agent: opts.perAgent,
          seed: opts.seed,
          date: opts.date,
          reviewers,
          rules: opts.minTalk !== undefined ? { min_talk_s: opts.minTalk } : undefined
        });
        if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        return parsed.data;
      };
      let result: DrawResult;
      if (server) {
        const res = await serverFetch(server, '/api/qa/reviewers');
        const reviewers = opts.reviewers ?? ((await res.json()) as { reviewers: Array<{ username: string }> }).reviewers.map((r) => r.username);
        if (!reviewers.length) throw new UserError('name the reviewers with --reviewers (no earlier draw to take them from)');
        result = await remote<DrawResult>(server, '/samples', request(reviewers));
      } else {
        const warehouse = await openWritable(dbPath);
        try {
          // By default: the reviewer accounts, else (a warehouse without accounts) the previous draw's reviewers.
          const accounts = (await reviewerAccounts(warehouse)).map((r) => r.username);
          const reviewers = opts.reviewers ?? (accounts.length ? accounts : await knownReviewers(warehouse));
          if (!reviewers.length) throw new UserError('name the reviewers with --reviewers (no earlier draw to take them from)');
          result = await drawSample(warehouse, request(reviewers), cliActor());
          if (result.calls.length) await runAutoQa(warehouse, await activeScorecard(warehouse), { calls: result.calls.map((c) => c.call_id) });
        } catch (err) {
          if (err instanceof SamplingError) throw new UserError(err.message);
          throw err;
        } finally {
          warehouse.close();
        }
      }
      process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : formatDraw(result));
    });

  qa.command('auto')
    .description('run auto-QA on every transcribed call not yet checked against the active scorecard')
    .option('--force', 'check every transcribed call again')
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      const server = await findServer(dbPath);
      let summary: AutoRunSummary & { scorecard?: { id: string; version: number } };
      if (server) {
        summary = await remote(server, '/auto/run', { force: Boolean(opts.force) });
      } else {
        const warehouse = await openWritable(dbPath);
        try {
          const card = await activeScorecard(warehouse);
          summary = { scorecard: { id: card.id, version: card.version }, ...(await runAutoQa(warehouse, card, { force: opts.force })) };
        } finally {
          warehouse.close();
        }
      }
      process.stdout.write(`auto-QA: ${summary.calls} calls checked, ${summary.results} rule results stored (scorecard ${summary.scorecard?.id} v${summary.scorecard?.version})\n`);
    });
}
