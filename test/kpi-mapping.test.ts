// A third-party call export loaded through a mapping file (the vendor format of
// data/fixtures/ingest/foreign/calls-zh.map.json: Chinese headers, date and time apart, HH:MM:SS
// durations, Y/N answered, agent and queue names): the dashboard's answered share, ASA and mean
// satisfaction equal a direct SQL computation over the source file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { dashboard } from '../web/lib/server/dashboard.ts';
import { repoRoot } from '../web/lib/server/config.ts';

let dir: string;
let warehouse: Warehouse;
let csv: string;

const hms = (s: number) => [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');

/** A deterministic vendor export of 3 days: about 300 calls with varied waits, outcomes and scores. */
function writeExport(file: string) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const agents = ['李娜', '赵敏', '张伟', '王芳'];
  const queues = ['业务咨询', '投诉建议', '售后'];
  const lines = ['通话编号,日期,时间,坐席姓名,队列名称,主叫号码,是否接通,等待时长,通话时长,挂机时间,满意度,是否解决'];
  for (let i = 0; i < 300; i++) {
    const day = 1 + (i % 3);
    const start = Date.UTC(2026, 6, day, 0, 0, 0) + Math.floor(rand() * 86_400) * 1000; // local wall time carried as UTC
    const answered = rand() < 0.85;
    const wait = Math.floor(rand() * (answered ? 60 : 120));
    const talk = answered ? 30 + Math.floor(rand() * 600) : 0;
    const end = new Date(start + (wait + talk) * 1000);
    const at = new Date(start);
    const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');
    const score = answered && rand() < 0.5 ? String(1 + Math.floor(rand() * 5)) : '';
    lines.push(
      [
        `HX-${10000 + i}`, stamp(at).slice(0, 10), stamp(at).slice(11), answered ? agents[i % 4] : '', queues[i % 3], `1380013${String(i).padStart(4, '0')}`,
        answered ? 'Y' : 'N', hms(wait), hms(talk), stamp(end), score, answered ? (rand() < 0.7 ? '是' : '否') : ''
      ].join(',')
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-kpi-map-'));
  csv = path.join(dir, 'hx-calls-2026-07.csv');
  writeExport(csv);
  warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
  await warehouse.run(`INSERT INTO queues (queue_id, name, kind) VALUES ('consult', '业务咨询', 'consultation'), ('complaint', '投诉建议', 'complaint'), ('after', '售后', 'repair')`);
  const summary = await ingestFiles(warehouse, [csv], { map: path.join(repoRoot, 'data/fixtures/ingest/foreign/calls-zh.map.json') });
  expect(summary.files[0]).toMatchObject({ rowsLoaded: 300, rowsRejected: 0 });
});
afterAll(() => {
  warehouse?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a vendor export through a mapping file', () => {
  it('answered share, ASA and mean satisfaction on the dashboard equal SQL over the source', async () => {
    const direct = await warehouse.one<{ answered_share: number; asa: number; mean: number; offered: number }>(
      `SELECT count(*) FILTER (WHERE 是否接通 = 'Y') / count(*) AS answered_share,
              avg(epoch(CAST(等待时长 AS INTERVAL))) FILTER (WHERE 是否接通 = 'Y') AS asa,
              avg(CAST(满意度 AS INTEGER)) AS mean,
              count(*) AS offered
       FROM read_csv($file, all_varchar = true)`,
      { file: csv }
    );
    const view = await dashboard(warehouse, new URL('http://local/dashboard?from=2026-07-01&to=2026-07-03'));
    const s = view.summary!;
    expect(s.offered).toBe(direct!.offered);
    expect(s.answer_rate).toBeCloseTo(direct!.answered_share, 12);
    expect(s.asa_s).toBeCloseTo(direct!.asa, 9);
    expect(s.mean_score).toBeCloseTo(direct!.mean, 12);
    // The daily series adds up to the same, per queue looked up by name too.
    expect(view.series.reduce((t, r) => t + Number(r.offered), 0)).toBe(300);
    const consult = await dashboard(warehouse, new URL('http://local/dashboard?from=2026-07-01&to=2026-07-03&queue=consult'));
    const directConsult = await warehouse.one<{ n: number }>(`SELECT count(*) AS n FROM read_csv($file, all_varchar = true) WHERE 队列名称 = '业务咨询'`, { file: csv });
    expect(consult.summary!.offered).toBe(directConsult!.n);
  });
});
