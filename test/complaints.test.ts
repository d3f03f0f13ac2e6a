// Complaint root-cause analysis on a third-party complaint export loaded through a mapping file:
// the Pareto counts equal a direct count of the source file, the taxonomy is data (seeded,
// imported, checked), complaints without a cause are classified with confidence and evidence,
// reviewers' corrections are kept and train the next run, and the command and API answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { DuckDBInstance } from '@duckdb/node-api';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { createApi } from '../web/lib/server/api/index.ts';
import { complaintRows } from '../web/lib/server/complaints/metrics.ts';
import { classifyComplaints, correctCause } from '../web/lib/server/complaints/classify.ts';
import { defaultTaxonomy, loadTaxonomy, saveTaxonomy } from '../web/lib/server/complaints/taxonomy.ts';
import { registerComplaints } from '../web/lib/server/commands/complaints.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'data', 'fixtures', 'complaints');
const SOURCE = path.join(FIXTURES, 'kefu-complaints.csv');
const MAPPING = path.join(FIXTURES, 'kefu-complaints.map.json');
const mapping = JSON.parse(fs.readFileSync(MAPPING, 'utf8')) as { columns: { cause: { values: Record<string, string> } } };

let dir: string;
let dbPath: string;
let warehouse: Warehouse;
let api: SignedIn; // an administrator
let zhaomin: SignedIn; // an analyst who corrects causes

/** The source file counted directly, per its own category, translated by the mapping's value map. */
async function directCounts(): Promise<Map<string | null, number>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(`SELECT "投诉类别" AS category, count(*) AS n FROM read_csv($file, header = true, all_varchar = true) GROUP BY 1`, { file: SOURCE });
  const out = new Map<string | null, number>();
  for (const [category, n] of reader.getRows() as Array<[string, bigint]>) {
    const cause = mapping.columns.cause.values[category] ?? null;
    out.set(cause, (out.get(cause) ?? 0) + Number(n));
  }
  conn.closeSync();
  db.closeSync();
  return out;
}

async function paretoCounts(): Promise<Map<string | null, number>> {
  const rows = await complaintRows(warehouse, 'complaint_pareto', {});
  return new Map(rows.map((r) => [r.cause as string | null, r.complaints as number]));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-complaints-'));
  dbPath = path.join(dir, 'c.duckdb');
  warehouse = await Warehouse.open(dbPath);
  const summary = await ingestFiles(warehouse, [SOURCE], { map: MAPPING });
  expect(summary.files[0].rowsRejected, JSON.stringify(summary.files[0])).toBe(0);
  const app = createApi({ warehouse });
  api = await signedIn(app, (await addAccount(warehouse, 'admin')).username);
  zhaomin = await signedIn(app, (await addAccount(warehouse, 'analyst', { username: '赵敏' })).username);
}, 60_000);

afterAll(() => {
  warehouse?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a third-party export mapped onto the taxonomy', () => {
  it('shows on the Pareto the same count per category as a direct SQL count of the source file', async () => {
    const direct = await directCounts();
    expect(direct.get(null)).toBe(11); // the vendor's 其他 maps to no cause
    expect(await paretoCounts()).toEqual(direct);
  });

  it('orders the Pareto by count with the cumulative share reaching 100 %, unclassified last', async () => {
    const rows = await complaintRows(warehouse, 'complaint_pareto', {});
    const classified = rows.filter((r) => r.cause !== null);
    expect(classified.map((r) => r.complaints)).toEqual([...classified.map((r) => r.complaints as number)].sort((a, b) => b - a));
    const direct = [...(await directCounts())].filter(([c]) => c !== null).sort((a, b) => b[1] - a[1] || a[0]!.localeCompare(b[0]!));
    expect(rows[0]).toMatchObject({ rank: 1, cause: direct[0][0], complaints: direct[0][1] });
    expect(rows.at(-1)!.cause).toBeNull();
    expect(rows.at(-1)!.cumulative_share).toBeCloseTo(1, 10);
  });

  it('filters by group: the service causes alone', async () => {
    const rows = await complaintRows(warehouse, 'complaint_pareto', { cause_group: 'service' });
    expect(rows.map((r) => r.cause).sort()).toEqual(['工作人员态度不佳', '收银作业不当', '服务项目不足', '现有服务作业不当'].sort());
  });
});

describe('taxonomy', () => {
  it('is seeded from the default document the first time it is read', async () => {
    const t = await loadTaxonomy(warehouse);
    expect(t.groups.map((g) => g.code)).toEqual(['product', 'service', 'safety']);
    const stored = await warehouse.all<{ cause: string; department: string }>(`SELECT cause, department FROM complaint_causes ORDER BY sort`);
    expect(stored).toHaveLength(12);
    expect(stored.find((c) => c.cause === '收银作业不当')?.department).toBe('财务部');
  });

  it('is replaced by an import through the API, and a bad one is refused with the field named', async () => {
    const t = defaultTaxonomy();
    t.groups[1].causes.push({ zh: '网络故障', en: 'Network outage', department: '信息技术部', keywords: ['断网', '网络', 'outage'], subCauses: [] });
    let res = await api.request('/api/complaints/taxonomy', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ taxonomy: t }) });
    expect(res.status).toBe(200);
    expect((await loadTaxonomy(warehouse)).groups[1].causes.map((c) => c.zh)).toContain('网络故障');
    const bad = structuredClone(t);
    bad.groups[0].code = 'Product!';
    res = await api.request('/api/complaints/taxonomy', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ taxonomy: bad }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/groups\.0\.code/);
    await saveTaxonomy(warehouse, defaultTaxonomy(), 'test');
  });
});

describe('classification of complaints without a cause', () => {
  const expected: Record<string, string> = {
    收银员算错账: '收银作业不当',
    变质发臭: '品质',
    员工态度很差: '工作人员态度不佳',
    配送一直没送到: '服务项目不足',
    停车拥堵: '环境的影响'
  };

  it('labels every one with a cause, a confidence and the excerpt that triggered it; the Pareto total is unchanged', async () => {
    const before = [...(await paretoCounts()).values()].reduce((a, b) => a + b, 0);
    const result = await classifyComplaints(warehouse);
    expect(result.classified).toBe(11);
    expect(result.evaluation!.n).toBeGreaterThan(10);
    const labels = await warehouse.all<{ ticket_id: string; summary: string; cause: string; confidence: number; evidence: string; source: string }>(
      `SELECT l.ticket_id, t.summary, l.cause, l.confidence, l.evidence::VARCHAR AS evidence, l.source FROM complaint_labels l JOIN tickets t USING (ticket_id)`
    );
    expect(labels).toHaveLength(11);
    for (const l of labels) {
      const want = Object.entries(expected).find(([k]) => l.summary.includes(k))?.[1];
      expect(l.cause, l.summary).toBe(want);
      expect(l.source).toBe('auto');
      expect(l.confidence).toBeGreaterThan(0);
      expect(l.confidence).toBeLessThanOrEqual(1);
      const evidence = JSON.parse(l.evidence) as Array<{ source: string; text: string; terms: Array<{ term: string }> }>;
      expect(evidence[0]).toMatchObject({ source: 'summary', text: l.summary });
      expect(evidence[0].terms.length).toBeGreaterThan(0);
    }
    const after = await paretoCounts();
    expect(after.has(null)).toBe(false);
    expect([...after.values()].reduce((a, b) => a + b, 0)).toBe(before);
    const auto = (await complaintRows(warehouse, 'complaint_pareto', {})).reduce((a, r) => a + (r.auto_labelled as number), 0);
    expect(auto).toBe(11);
  });

  it('keeps a reviewer correction over the automatic label, records it, and trains on it next time', async () => {
    const target = (await warehouse.one<{ ticket_id: string; cause: string; confidence: number }>(
      `SELECT l.ticket_id, l.cause, l.confidence FROM complaint_labels l JOIN tickets t USING (ticket_id) WHERE t.summary LIKE '%停车拥堵%' ORDER BY 1 LIMIT 1`
    ))!;
    // The signed-in user is the reviewer of record.
    const res = await zhaomin.send('POST', `/api/complaints/${target.ticket_id}/label`, { cause: '环境的影响', sub_cause: '交通拥堵', note: '停车场出入口' });
    expect(res.status, await res.clone().text()).toBe(200);
    const fact = await warehouse.one<{ cause: string; sub_cause: string; cause_source: string }>(`SELECT cause, sub_cause, cause_source FROM complaint_facts WHERE ticket_id = $id`, { id: target.ticket_id });
    expect(fact).toEqual({ cause: '环境的影响', sub_cause: '交通拥堵', cause_source: 'reviewer' });
    const label = await warehouse.one<{ auto_cause: string; auto_confidence: number; reviewer: string }>(`SELECT auto_cause, auto_confidence, reviewer FROM complaint_labels WHERE ticket_id = $id`, { id: target.ticket_id });
    expect(label).toEqual({ auto_cause: target.cause, auto_confidence: target.confidence, reviewer: '赵敏' });
    const corrections = await warehouse.all(`SELECT from_cause, from_source, to_cause, reviewer FROM complaint_corrections WHERE ticket_id = $id`, { id: target.ticket_id });
    expect(corrections).toEqual([{ from_cause: target.cause, from_source: 'auto', to_cause: '环境的影响', reviewer: '赵敏' }]);

    const before = (await warehouse.one<{ n: number }>(`SELECT count(*) AS n FROM complaint_facts WHERE cause_source = 'source'`))!.n;
    const rerun = await classifyComplaints(warehouse);
    expect(rerun.labelled).toBe(before + 1); // the reviewer's label joined the training set
    expect(rerun.classified).toBe(10); // and that complaint is not relabelled
    expect((await warehouse.one<{ source: string }>(`SELECT source FROM complaint_labels WHERE ticket_id = $id`, { id: target.ticket_id }))!.source).toBe('reviewer');
  });

  it('refuses a cause that is not in the taxonomy', async () => {
    const id = (await warehouse.one<{ id: string }>(`SELECT ticket_id AS id FROM tickets LIMIT 1`))!.id;
    await expect(correctCause(warehouse, { ticket_id: id, cause: '天气' }, 'x')).rejects.toThrow('"天气" is not a cause of the taxonomy');
    const res = await zhaomin.send('POST', `/api/complaints/${id}/label`, { cause: '天气' });
    expect(res.status).toBe(400);
  });
});

describe('zhijian complaints classify', () => {
  it('prints precision and recall per cause, micro and macro, on the held-out part, and what it labelled', async () => {
    warehouse.close();
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
    try {
      const program = new Command().exitOverride().option('--db <path>');
      registerComplaints(program);
      await program.parseAsync(['--db', dbPath, 'complaints', 'classify', '--hold-out', '4'], { from: 'user' });
    } finally {
      process.stdout.write = write;
      warehouse = await Warehouse.open(dbPath);
      api = await signedIn(createApi({ warehouse }), 'test-admin');
    }
    expect(out).toMatch(/held-out figures: trained on \d+ labelled complaints, measured on the other \d+ \(one in 4/);
    expect(out).toMatch(/品质 Quality\s+\d+\s+[\d.]+%\s+[\d.]+%/);
    expect(out).toMatch(/micro \(all \d+ held out\)\s+\d+\s+[\d.]+%\s+[\d.]+%/);
    expect(out).toMatch(/macro \(mean of causes\)\s+[\d.]+%\s+[\d.]+%/);
    expect(out).toMatch(/labelled 10 complaints without a cause/);
  });
});

describe('API', () => {
  it('serves every complaint metric as JSON and as CSV', async () => {
    const list = (await (await api.request('/api/complaints/metrics')).json()) as { metrics: Array<{ name: string }> };
    expect(list.metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining(['complaint_pareto', 'complaint_list', 'complaint_trend', 'complaint_department', 'complaint_severity', 'complaint_sla', 'complaint_funnel', 'complaint_callback', 'complaint_repeat', 'complaint_monthly'])
    );
    for (const m of list.metrics) {
      const q = m.name === 'complaint_monthly' ? 'month=2026-07-01' : 'from=2026-07-01&to=2026-07-31';
      const res = await api.request(`/api/complaints/metrics/${m.name}?${q}`);
      expect(res.status, `${m.name}: ${await res.clone().text()}`).toBe(200);
    }
    const csv = await api.request('/api/complaints/metrics/complaint_pareto?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split(/\r?\n/)[0]).toBe('rank,cause,name_en,cause_group,complaints,auto_labelled,share,cumulative_share');
  });

  it('drills from a cause to its complaints, and the monthly table adds up to the Pareto', async () => {
    const pareto = await complaintRows(warehouse, 'complaint_pareto', {});
    const top = pareto[0];
    const list = await complaintRows(warehouse, 'complaint_list', { cause: top.cause });
    expect(list).toHaveLength(top.complaints as number);
    expect(list.every((r) => r.cause === top.cause)).toBe(true);
    const monthly = await complaintRows(warehouse, 'complaint_monthly', { month: '2026-07-01' });
    expect(monthly.reduce((a, r) => a + (r.complaints as number), 0)).toBe(pareto.reduce((a, r) => a + (r.complaints as number), 0));
    expect(monthly.find((r) => r.cause === top.cause)!.complaints).toBe(top.complaints);
  });

  it('answers a bad parameter with 400 and the reason', async () => {
    const res = await api.request('/api/complaints/metrics/complaint_list?stalled_at=lost');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/stalled_at/);
  });
});
