// Bulk auto-QA: builds a warehouse of N scripted calls (the demo's dialogs, repeated), then times
// `runAutoQa` over all of them in one process and reports calls/s, utterances/s and peak memory.
//   npx tsx bench/qa-auto.ts [--calls 100000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { activeScorecard } from '../web/lib/server/qa/scorecard.ts';
import { runAutoQa } from '../web/lib/server/qa/auto/run.ts';
import { DIALOGS } from '../ingest/generate/dialogs.ts';
import { scriptCall } from '../ingest/generate/transcripts.ts';
import { Rng } from '../ingest/generate/random.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const calls = arg('--calls', 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-bench-qa-'));
const warehouse = await Warehouse.open(path.join(dir, 'bench.duckdb'));
try {
  // One scripted transcript per dialog, copied to `calls` calls with DuckDB.
  const rows = DIALOGS.flatMap((d, t) => scriptCall(d, `t${t}`, '1001', null, new Rng(t)).transcript.utterances.map((u, seq) => ({ t, seq, ...u })));
  const file = path.join(dir, 'templates.json');
  fs.writeFileSync(file, JSON.stringify(rows));
  await warehouse.run(
    `INSERT INTO utterances (call_id, seq, speaker, start_ms, end_ms, text, source)
     SELECT 'c' || lpad(i::VARCHAR, 9, '0'), u.seq, u.speaker, u.start_ms, u.end_ms, u.text, 'script'
     FROM range($n) r(i) JOIN read_json($file) u ON u.t = i % $templates`,
    { n: calls, file, templates: DIALOGS.length }
  );
  const utterances = (await warehouse.one<{ n: number }>(`SELECT count(*) AS n FROM utterances`))!.n;
  const card = await activeScorecard(warehouse);
  const started = process.hrtime.bigint();
  const summary = await runAutoQa(warehouse, card);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`## Auto-QA (bulk)\n`);
  console.log(`| calls | utterances | rule results | seconds | calls/s | utterances/s | peak RSS MiB |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|`);
  console.log(`| ${summary.calls} | ${utterances} | ${summary.results} | ${seconds.toFixed(1)} | ${Math.round(summary.calls / seconds)} | ${Math.round(utterances / seconds)} | ${Math.round(peak)} |`);
} finally {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
