// `zhijian generate`: the command-line face of the demo data generator.
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UserError } from '../../web/lib/server/errors.ts';
import { parseIsoDate } from './clock.ts';
import { DEFAULT_AGENTS, DEFAULT_DAYS, DEFAULT_END, generate, planSize } from './generate.ts';

function positiveInt(name: string, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    }
    return n;
  };
}

function isoDate(value: string): string {
  if (!parseIsoDate(value)) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write a realistic, deterministic demo export (calls, tickets, shifts, punches, leave, transcripts)')
    .requiredOption('--out <dir>', 'folder to write the export into (created; must be empty or a previous export)')
    .option('--seed <n>', 'random seed: the same seed and options give byte-identical files', positiveInt('--seed', 0), 1)
    .option('--agents <n>', `number of staff (default ${DEFAULT_AGENTS})`, positiveInt('--agents', 6))
    .option('--days <n>', `number of days (default ${DEFAULT_DAYS})`, positiveInt('--days'))
    .option('--calls <n>', 'about this many call rows in total: scales --agents (or --days when --agents is given)', positiveInt('--calls', 1000))
    .option('--start <date>', `first day, YYYY-MM-DD (default: the period ends ${DEFAULT_END})`, isoDate)
    .action(async (opts: { out: string; seed: number; agents?: number; days?: number; calls?: number; start?: string }) => {
      let size: ReturnType<typeof planSize>;
      try {
        size = planSize(opts);
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const out = path.resolve(opts.out);
      const started = performance.now();
      let manifest;
      try {
        manifest = await generate({ out, seed: opts.seed, ...size, calls: opts.calls, progress: Boolean(process.stderr.isTTY) && !process.env.VITEST });
      } catch (err) {
        const message = (err as Error).message;
        // The folder checks and file-system refusals (not a folder, no permission) are the user's to fix.
        if (/holds files|too few|^E[A-Z]+: /.test(message)) throw new UserError(message);
        throw err;
      }
      const seconds = (performance.now() - started) / 1000;
      const calls = manifest.files.filter((f) => f.path.startsWith('calls/')).reduce((n, f) => n + f.rows, 0);
      const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
      process.stdout.write(
        `wrote ${manifest.files.length} files (${(bytes / 1e6).toFixed(1)} MB) to ${out}: ${size.agents} staff, ` +
          `${size.days} days from ${size.start}, ${calls} calls in ${seconds.toFixed(1)} s (${Math.round(calls / seconds)} calls/s)\n`
      );
    });
}
