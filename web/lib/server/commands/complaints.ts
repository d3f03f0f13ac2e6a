// `zhijian complaints classify`: labels the complaints that arrived without a cause and prints
// the classifier's precision and recall on a held-out part of the labelled ones.
// `zhijian complaints taxonomy import FILE | export`: the cause taxonomy as a JSON document.
// Through the running server when there is one (it owns the warehouse file), else on the file.
import { Command, InvalidArgumentError } from 'commander';
import { resolveDbPath } from '../config.ts';
import { UserError } from '../errors.ts';
import { cliActor, findServer, serverFetch, type RunningServer } from '../handoff.ts';
import { Warehouse, WarehouseError } from '../warehouse.ts';
import { classifyComplaints, LOW_CONFIDENCE, type ClassifyResult } from '../complaints/classify.ts';
import { formatEvaluation } from '../complaints/classifier.ts';
import { loadTaxonomy, readTaxonomyFile, saveTaxonomy, type Taxonomy } from '../complaints/taxonomy.ts';

async function remote<T>(server: RunningServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await serverFetch(server, `/api/complaints${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const json = (await res.json().catch(() => null)) as { error?: { message: string } } | null;
  if (!res.ok) throw new UserError(`server: ${json?.error?.message ?? res.statusText}`);
  return json as T;
}

async function withWarehouse<T>(dbPath: string, readOnly: boolean, fn: (w: Warehouse) => Promise<T>): Promise<T> {
  let warehouse: Warehouse;
  try {
    warehouse = await Warehouse.open(dbPath, { readOnly });
  } catch (err) {
    if (err instanceof WarehouseError) throw new UserError(err.message);
    throw err;
  }
  try {
    return await fn(warehouse);
  } finally {
    warehouse.close();
  }
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError('expected a whole number of 2 or more');
  return n;
}

export function formatClassify(r: ClassifyResult, every: number): string {
  const names = new Map(r.causes.map((c) => [c.zh, `${c.zh} ${c.en.split(' (')[0]}`]));
  const lines: string[] = [];
  if (r.evaluation) {
    lines.push(`held-out figures: trained on ${r.trained} labelled complaints, measured on the other ${r.evaluation.n} (one in ${every}, chosen by ticket id)`);
    lines.push(formatEvaluation(r.evaluation, (l) => names.get(l) ?? l));
  } else {
    lines.push('held-out figures: none (no labelled complaints to hold out)');
  }
  lines.push(`model ${r.model}: trained on all ${r.labelled} labelled complaints`);
  lines.push(`labelled ${r.classified} complaints without a cause; ${r.lowConfidence} below confidence ${LOW_CONFIDENCE} need a reviewer`);
  for (const [cause, n] of Object.entries(r.byCause).sort((a, b) => b[1] - a[1])) lines.push(`  ${names.get(cause) ?? cause}: ${n}`);
  return lines.join('\n') + '\n';
}

export function registerComplaints(program: Command): void {
  const complaints = program.command('complaints').description('complaint root-cause analysis (投诉原因分析): classifier and cause taxonomy');

  complaints
    .command('classify')
    .description('label complaints that have no cause; print precision and recall on a held-out part of the labelled ones')
    .option('--hold-out <n>', 'hold out one labelled complaint in n for the figures', wholeNumber, 5)
    .option('--dry-run', 'measure and report, write no labels')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { holdOut: number; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      const server = await findServer(dbPath);
      const result = server
        ? await remote<ClassifyResult>(server, 'POST', '/classify', { hold_out_every: opts.holdOut, dry_run: Boolean(opts.dryRun) })
        : await withWarehouse(dbPath, false, (w) => classifyComplaints(w, { holdOutEvery: opts.holdOut, dryRun: opts.dryRun }));
      process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : formatClassify(result, opts.holdOut));
    });

  const taxonomy = complaints.command('taxonomy').description('the complaint cause taxonomy (group → cause → sub-cause) as JSON');
  taxonomy
    .command('import')
    .description('replace the taxonomy with the one in FILE (checked first; see web/lib/server/complaints/taxonomy.json)')
    .argument('<file>', 'taxonomy JSON file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const t = readTaxonomyFile(file);
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      const server = await findServer(dbPath);
      if (server) await remote(server, 'PUT', '/taxonomy', { taxonomy: t });
      else await withWarehouse(dbPath, false, (w) => saveTaxonomy(w, t, cliActor()));
      const causes = t.groups.reduce((n, g) => n + g.causes.length, 0);
      process.stdout.write(`taxonomy imported: ${t.groups.length} groups, ${causes} causes\n`);
    });
  taxonomy
    .command('export')
    .description('print the taxonomy as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      const server = await findServer(dbPath);
      const t = server ? (await remote<{ taxonomy: Taxonomy }>(server, 'GET', '/taxonomy')).taxonomy : await withWarehouse(dbPath, true, loadTaxonomy);
      process.stdout.write(JSON.stringify(t, null, 2) + '\n');
    });
}
