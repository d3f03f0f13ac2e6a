// `zhijian ingest <files or folders>`: loads exports into the warehouse and prints what happened.
import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { Warehouse } from '../../web/lib/server/warehouse.ts';
import { resolveDbPath } from '../../web/lib/server/config.ts';
import { findServer, remoteIngest } from '../../web/lib/server/handoff.ts';
import { UserError } from '../../web/lib/server/errors.ts';
import { ingestFiles, type FileSummary, type IngestSummary, type Progress } from './index.ts';
import { KINDS } from './kinds.ts';

interface IngestCliOptions {
  kind?: string;
  map?: string;
  tz?: string;
  progress?: boolean;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load call, ticket, attendance, leave, shift, agent, queue and transcript files into the warehouse')
    .argument('<paths...>', 'files or folders (folders are read recursively, in sorted order)')
    .option('--kind <kind>', `read the files as this kind (${Object.keys(KINDS).join(', ')}) instead of detecting it`)
    .option('--map <file>', 'mapping file (JSON) from the source columns to the warehouse (see ingest/load/README.md)')
    .option('--tz <zone>', 'time zone of local timestamps when the mapping names none (default: the warehouse\'s)')
    .option('--no-progress', 'no progress bar')
    .action(async (paths: string[], opts: IngestCliOptions, cmd: Command) => {
      const dbPath = resolveDbPath(cmd.optsWithGlobals().db);
      const bar = opts.progress !== false && process.stderr.isTTY ? progressBar() : undefined;
      // Without a terminal (logs, scripts), one line per file as it commits instead of a bar.
      const onFile = bar ? undefined : (f: FileSummary): void => void process.stderr.write(`${fileLine(f)}\n`);
      let summary: IngestSummary;
      try {
        // DuckDB allows one writer: while `zhijian serve` owns the warehouse, it does the load.
        const server = await findServer(dbPath);
        if (server) {
          process.stderr.write(`zhijian: handing the load to the server at ${server.url}\n`);
          const inputs = paths.map((p) => path.resolve(p));
          const options = { kind: opts.kind, map: opts.map && path.resolve(opts.map), timeZone: opts.tz };
          summary = await remoteIngest(server, inputs, options, bar?.update);
          if (onFile) summary.files.forEach(onFile);
        } else {
          const warehouse = await Warehouse.open(dbPath);
          try {
            summary = await ingestFiles(warehouse, paths, { kind: opts.kind, map: opts.map, timeZone: opts.tz, onFile }, bar?.update);
          } finally {
            warehouse.close();
          }
        }
      } finally {
        bar?.stop();
      }
      process.stdout.write(formatSummary(summary));
      if (summary.failed > 0) process.exitCode = 1;
    });
}

/** Rows per second over the file being loaded, on stderr; the count comes from DuckDB's query progress. */
function progressBar(): { update: Progress; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{file} [{bar}] {value}/{total} rows · {rate} rows/s', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic
  );
  let current = '';
  let started = Date.now();
  return {
    update: ({ file, rowsDone, rowsTotal }) => {
      if (file !== current) {
        if (current) bar.stop();
        current = file;
        started = Date.now();
        bar.start(rowsTotal ?? rowsDone, 0, { file: path.basename(file), rate: 0 });
      }
      if (rowsTotal) bar.setTotal(rowsTotal);
      const seconds = (Date.now() - started) / 1000;
      bar.update(rowsDone, { rate: seconds > 0 ? Math.round(rowsDone / seconds) : 0 });
    },
    stop: () => bar.stop()
  };
}

function fileLine(f: FileSummary): string {
  if (f.error) return `${f.file}: failed: ${f.error.split('\n')[0]}`;
  if (f.skipped) return `${f.file}: skipped (already loaded)`;
  return `${f.file}: ${f.kind} loaded ${f.rowsLoaded}, rejected ${f.rowsRejected}, already present ${f.rowsPresent}`;
}

export function formatSummary(summary: IngestSummary): string {
  const header = ['file', 'kind', 'profile', 'read', 'loaded', 'rejected', 'present', 'status'];
  const rows = summary.files.map((f) => [
    f.file,
    f.kind ?? '?',
    f.profile ?? '',
    String(f.rowsRead),
    String(f.rowsLoaded),
    String(f.rowsRejected),
    String(f.rowsPresent),
    f.error ? 'FAILED' : f.skipped ? 'skipped (already loaded)' : 'ok'
  ]);
  const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u1100-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const numeric = new Set([3, 4, 5, 6]);
  const line = (cells: string[]): string =>
    cells.map((c, i) => (numeric.has(i) ? ' '.repeat(widths[i] - width(c)) + c : c + ' '.repeat(widths[i] - width(c)))).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const f of summary.files) if (f.error) out.push(`${f.file}: ${f.error}`);
  const rejected = summary.files.reduce((n, f) => n + f.rowsRejected, 0);
  if (rejected > 0) out.push(`${rejected} row(s) rejected: see the rejects table (zhijian sql "SELECT * FROM rejects")`);
  return out.join('\n') + '\n';
}
