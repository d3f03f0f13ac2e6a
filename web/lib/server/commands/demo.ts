// `zhijian demo`: the one-command start. Generates the demo export once (deterministic for the
// seed), loads it (a no-op when already loaded: the loader skips files it has seen), then serves.
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { generate, planSize } from '../../../../ingest/generate/generate.ts';
import { ingestFiles, type FileSummary } from '../../../../ingest/load/index.ts';
import { repoRoot, resolveDbPath } from '../config.ts';
import { findServer } from '../handoff.ts';
import { UserError } from '../errors.ts';
import { Warehouse } from '../warehouse.ts';
import { serve } from './serve.ts';

export interface DemoOptions {
  dbPath: string;
  /** Folder of the demo export. */
  dir: string;
  seed: number;
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
    .option('--port <n>', 'port to listen on', wholeNumber, 3000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-serve', 'prepare the demo warehouse and stop')
    .action(async (opts: { dir: string; seed: number; port: number; host: string; serve: boolean }, cmd: Command) => {
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      await prepareDemo({ dbPath, dir: path.resolve(opts.dir), seed: opts.seed, log: (l) => process.stderr.write(`${l}\n`) });
      if (opts.serve) await serve({ dbPath, port: opts.port, host: opts.host });
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
    await generate({ out: options.dir, seed: options.seed, ...planSize({}), progress: Boolean(process.stderr.isTTY) });
  }
  log(`loading ${options.dir} into ${options.dbPath} …`);
  const warehouse = await Warehouse.open(options.dbPath);
  try {
    const summary = await ingestFiles(warehouse, [options.dir], { onFile: (f: FileSummary) => log(describe(f)) });
    if (summary.failed > 0) throw new UserError(`${summary.failed} demo file(s) failed to load (see above)`);
    const counts = await warehouse.rowCounts();
    log(`warehouse ready: ${counts.calls} calls, ${counts.tickets} tickets, ${counts.utterances} utterances, ${counts.agents} agents`);
  } finally {
    warehouse.close();
  }
}

function describe(f: FileSummary): string {
  const name = path.basename(f.file);
  if (f.error) return `  ${name}: failed: ${f.error.split('\n')[0]}`;
  if (f.skipped) return `  ${name}: already loaded`;
  return `  ${name}: ${f.rowsLoaded} loaded${f.rowsRejected ? `, ${f.rowsRejected} rejected` : ''}`;
}
