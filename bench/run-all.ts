// Runs every benchmark, one child process each, and joins their Markdown into bench/REPORT.md.
//   npm run bench                       (all, 10 M calls for the load benchmark)
//   npm run bench -- --quick            (smaller sizes, to check the scripts work)
//   npm run bench -- --only load,faults (rerun some; the others keep their last section)
// Each benchmark's last output is kept in bench/out/<name>.md, so the report always holds the
// latest figure of every benchmark with the time it was measured.
// Benchmarks are not tests: they measure this machine and never run in CI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription } from './measure.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1]?.split(',')) : null;
const outDir = path.join(benchDir, 'out');

const benchmarks: { name: string; script: string; args: string[] }[] = [
  { name: 'ingest', script: 'bench/ingest.ts', args: quick ? ['--calls', '300000'] : [] },
  { name: 'transcribe', script: 'bench/transcribe.ts', args: quick ? ['--count', '2'] : [] },
  { name: 'overview', script: 'bench/overview.ts', args: quick ? ['--quick'] : [] },
  { name: 'load', script: 'bench/load.ts', args: quick ? ['--seconds', '15'] : [] },
  // The same 50 users pausing 1–5 s after each action, as people reading a page do.
  { name: 'load-people', script: 'bench/load.ts', args: [...(quick ? ['--seconds', '15'] : []), '--think', '1000-5000'] },
  // Those people all clicking first within the same half second: the burst, then the steady state.
  { name: 'load-people-together', script: 'bench/load.ts', args: [...(quick ? ['--seconds', '15'] : []), '--think', '1000-5000', '--arrival', '500'] },
  { name: 'faults', script: 'bench/faults.ts', args: quick ? ['--runs', '3', '--transcribe-runs', '1'] : [] },
  { name: 'complaints-classifier', script: 'bench/complaints-classifier.ts', args: [] },
  { name: 'qa-auto', script: 'bench/qa-auto.ts', args: quick ? ['--calls', '20000'] : [] },
  { name: 'arrow-vs-json', script: 'bench/arrow-vs-json.ts', args: [] }
];

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const version = (name: string) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  } catch {
    return 'not installed';
  }
};
const header = [
  '# zhijian benchmark report',
  '',
  `Assembled ${stamp()} by \`npm run bench\`; each section says when it was measured.`,
  '',
  `- Machine: ${machineDescription()}`,
  `- zhijian ${pkg.version}; @duckdb/node-api ${version('@duckdb/node-api')}; apache-arrow ${version('apache-arrow')}`,
  '- The machine has 2 cores; figures measured while other work ran on it say so.',
  ''
];
fs.mkdirSync(outDir, { recursive: true });
let failures = 0;
for (const b of benchmarks) {
  if (only && !only.has(b.name)) continue;
  process.stderr.write(`==> ${b.name}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', b.script, ...b.args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024
  });
  const measured = `_Measured ${stamp()} with \`${['npx tsx', b.script, ...b.args].join(' ')}\`._`;
  // A benchmark that missed its target or found a mismatch exits non-zero but still reports: keep it.
  const printed = run.stdout.trim();
  const body = printed
    ? printed.replace(/^# (.*)$/m, `## $1\n\n${measured}`) + (run.status === 0 ? '' : `\n\n(exit ${run.status})`)
    : `## ${b.name}\n\n${measured}\n\nFailed (exit ${run.status}) before printing anything.`;
  if (run.status !== 0) failures++;
  fs.writeFileSync(path.join(outDir, `${b.name}.md`), body + '\n');
}
const sections = benchmarks
  .map((b) => path.join(outDir, `${b.name}.md`))
  .filter((f) => fs.existsSync(f))
  .map((f) => fs.readFileSync(f, 'utf8').trim());
fs.writeFileSync(path.join(benchDir, 'REPORT.md'), [...header, ...sections.flatMap((s) => [s, ''])].join('\n'));
process.stderr.write(`wrote bench/REPORT.md${failures ? ` (${failures} benchmark(s) failed)` : ''}\n`);
process.exitCode = failures ? 1 : 0;

function stamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
