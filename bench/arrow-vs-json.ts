// Arrow vs JSON for a workbench result of 100 000 rows: bytes on the wire (and gzipped, for a
// proxy that compresses), the server's time (Server-Timing) and the decode time in Chromium.
// Needs the built app (npm run build) and Debian's chromium. Prints Markdown.
//   npx tsx bench/arrow-vs-json.ts [--rows 100000] [--runs 5]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { browserAvailable, launchBrowser, repoRoot, startServer } from '../test/e2e/harness.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 100_000);
const RUNS = arg('runs', 5);

if (!browserAvailable()) {
  console.error('needs the built app (npm run build) and chromium');
  process.exit(1);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-bench-arrow-'));
const dbPath = path.join(dir, 'bench.duckdb');
const warehouse = await Warehouse.open(dbPath);
// Calls shaped like the demo's: ids, enumerations, Chinese queue names, timestamps, integers, nulls.
await warehouse.run(`
  INSERT INTO queues (queue_id, name, kind) VALUES ('consult', '业务咨询', 'consultation'), ('complaint', '投诉建议', 'complaint'), ('repair', '报修', 'repair');
  INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, caller_number, enqueued_at, answered_at, ended_at, wait_s, talk_s, hold_s, wrap_s, survey_score)
  SELECT 'C' || lpad(i::VARCHAR, 9, '0'), 'inbound', CASE WHEN i % 9 = 0 THEN 'abandoned' ELSE 'answered' END,
         ['consult', 'complaint', 'repair'][1 + i % 3], NULL, '138' || lpad((i * 7919 % 100000000)::VARCHAR, 8, '0'),
         TIMESTAMPTZ '2026-07-01 08:00:00+08' + i * INTERVAL 13 SECOND,
         CASE WHEN i % 9 = 0 THEN NULL ELSE TIMESTAMPTZ '2026-07-01 08:00:00+08' + i * INTERVAL 13 SECOND + (i % 40) * INTERVAL 1 SECOND END,
         TIMESTAMPTZ '2026-07-01 08:00:00+08' + i * INTERVAL 13 SECOND + (60 + i % 400) * INTERVAL 1 SECOND,
         i % 40, CASE WHEN i % 9 = 0 THEN 0 ELSE 60 + i % 400 END, i % 5, i % 30, CASE WHEN i % 4 = 0 THEN 1 + i % 5 END
  FROM range(${ROWS}) t(i);
  CHECKPOINT;
`);
warehouse.close();

const sql = `SELECT c.call_id, c.disposition, q.name AS queue, c.caller_number, c.enqueued_at, c.answered_at, c.wait_s, c.talk_s, c.survey_score
FROM calls c JOIN queues q USING (queue_id) ORDER BY c.enqueued_at`;

const server = await startServer(dbPath);
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/api/health`);
  await page.addScriptTag({ path: path.join(repoRoot, 'node_modules', 'apache-arrow', 'Arrow.es2015.min.js') });

  // Server side: bytes and Server-Timing, from Node.
  const wire: Record<string, { bytes: number; gzip: number; serverMs: string }> = {};
  for (const [form, accept] of [
    ['json', 'application/json'],
    ['arrow', 'application/vnd.apache.arrow.stream']
  ] as const) {
    const res = await fetch(`${server.url}/api/sql`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ sql }) });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.headers.get('x-zhijian-row-count') !== String(ROWS)) throw new Error(`expected ${ROWS} rows, got ${res.headers.get('x-zhijian-row-count')}`);
    wire[form] = { bytes: body.length, gzip: zlib.gzipSync(body).length, serverMs: res.headers.get('server-timing') ?? '' };
  }

  // Browser side: fetch, then decode; "read every cell" touches all values so that Arrow's lazy
  // columns and JSON's parsed objects do the same work.
  const timings = await page.evaluate(
    async ({ sql, runs }) => {
      const Arrow = (globalThis as unknown as { Arrow: typeof import('apache-arrow') }).Arrow;
      const out: { form: string; fetchMs: number; decodeMs: number; readMs: number }[] = [];
      for (let r = 0; r < runs; r++) {
        for (const form of ['json', 'arrow']) {
          const t0 = performance.now();
          const res = await fetch('/api/sql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: form === 'arrow' ? 'application/vnd.apache.arrow.stream' : 'application/json' },
            body: JSON.stringify({ sql })
          });
          const buf = await res.arrayBuffer();
          const t1 = performance.now();
          let cells = 0;
          let t2: number;
          if (form === 'json') {
            const body = JSON.parse(new TextDecoder().decode(buf)) as { rows: unknown[][] };
            t2 = performance.now();
            for (const row of body.rows) for (const v of row) if (v !== null) cells++;
          } else {
            const table = Arrow.tableFromIPC(new Uint8Array(buf));
            t2 = performance.now();
            for (let c = 0; c < table.numCols; c++) {
              const vector = table.getChildAt(c)!;
              for (let i = 0; i < table.numRows; i++) if (vector.get(i) !== null) cells++;
            }
          }
          const t3 = performance.now();
          if (cells === 0) throw new Error('no cells read');
          out.push({ form, fetchMs: t1 - t0, decodeMs: t2 - t1, readMs: t3 - t1 });
        }
      }
      return out;
    },
    { sql, runs: RUNS }
  );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (form: 'json' | 'arrow') => {
    const t = timings.filter((x) => x.form === form);
    const w = wire[form];
    return `| ${form === 'json' ? 'JSON' : 'Arrow IPC'} | ${(w.bytes / 1024 / 1024).toFixed(2)} MiB | ${(w.gzip / 1024 / 1024).toFixed(2)} MiB | ${median(t.map((x) => x.fetchMs)).toFixed(0)} ms | ${median(t.map((x) => x.decodeMs)).toFixed(1)} ms | ${median(t.map((x) => x.readMs)).toFixed(1)} ms | \`${w.serverMs}\` |`;
  };
  console.log(
    [
      '# Arrow vs JSON for a workbench result',
      '',
      `POST /api/sql of ${ROWS.toLocaleString('en')} rows × 9 columns (ids, enumerations, Chinese names, phone numbers, two TIMESTAMPTZ, integers with nulls) on a local \`zhijian serve\`; browser times in headless Chromium, median of ${RUNS} runs. "Decode" is JSON.parse or tableFromIPC; "decode + read" also reads every cell.`,
      '',
      '| form | bytes on the wire | gzipped | fetch (server + transfer) | decode | decode + read every cell | Server-Timing |',
      '|---|---|---|---|---|---|---|',
      row('json'),
      row('arrow'),
      ''
    ].join('\n')
  );
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
