// Runs every benchmark, one child process each, and joins their Markdown into bench/REPORT.md.
//   npm run bench               (all, 10 M calls for the load benchmark)
//   npm run bench -- --quick    (smaller sizes, to check the scripts work)
// Benchmarks are not tests: they measure this machine and never run in CI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription } from './measure.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const quick = process.argv.includes('--quick');

const benchmarks: { name: string; script: string; args: string[] }[] = [
  { name: 'ingest', script: 'bench/ingest.ts', args: quick ? ['--calls', '300000'] : [] },
  { name: 'transcribe', script: 'bench/transcribe.ts', args: quick ? ['--count', '2'] : [] }
];

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const version = (name: string) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  } catch {
    return 'not installed';
  }
};
const sections = [
  '# zhijian benchmark report',
  '',
  `Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`npm run bench${quick ? ' -- --quick' : ''}\`.`,
  '',
  `- Machine: ${machineDescription()}`,
  `- zhijian ${pkg.version}; @duckdb/node-api ${version('@duckdb/node-api')}; apache-arrow ${version('apache-arrow')}`,
  ''
];
let failures = 0;
for (const b of benchmarks) {
  process.stderr.write(`==> ${b.name}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', b.script, ...b.args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024
  });
  if (run.status === 0) sections.push(run.stdout.trim().replace(/^# /m, '## '), '');
  else {
    failures++;
    sections.push(`## ${b.name}`, '', `Failed (exit ${run.status}).`, '');
  }
}
fs.writeFileSync(path.join(benchDir, 'REPORT.md'), sections.join('\n'));
process.stderr.write(`wrote bench/REPORT.md${failures ? ` (${failures} benchmark(s) failed)` : ''}\n`);
process.exitCode = failures ? 1 : 0;
