// Complaint changes on the signed-in user, each with its audit record written in the same
// transaction: the taxonomy, a cause correction, and the callback specialist's 回访, whose
// "not satisfied" sends the complaint back to its department.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../web/lib/server/api/index.ts';
import { listAudit } from '../web/lib/server/auth/audit.ts';
import { LOCAL_SEQ_FROM, recordCallback, REOPEN_NOTE } from '../web/lib/server/complaints/callback.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { complaintRows } from '../web/lib/server/complaints/metrics.ts';
import { defaultTaxonomy, loadTaxonomy } from '../web/lib/server/complaints/taxonomy.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

let dir: string;
let warehouse: Warehouse;
let admin: SignedIn;
let analyst: SignedIn;
let callback: SignedIn;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-complaints-audit-'));
  warehouse = await Warehouse.open(path.join(dir, 'c.duckdb'));
  await warehouse.run(`
    INSERT INTO tickets (ticket_id, type, status, cause, department, opened_at, closed_at, summary) VALUES
      ('K1', 'complaint', 'in_progress', '品质', '生鲜部', '2026-07-01 09:00:00+08', NULL, '买的牛奶变质'),
      ('K2', 'complaint', 'in_progress', '工作人员态度不佳', NULL, '2026-07-01 10:00:00+08', NULL, '收银员态度差'),
      ('K3', 'complaint', 'closed', '价格', '采购部', '2026-07-01 11:00:00+08', '2026-07-03 11:00:00+08', '价格比别家贵'),
      ('Q1', 'inquiry', 'in_progress', NULL, '客户服务部', '2026-07-01 12:00:00+08', NULL, '营业时间');
    INSERT INTO ticket_events (ticket_id, seq, event, occurred_at, actor, department, result, note) VALUES
      ('K1', 1, 'intake', '2026-07-01 09:00:00+08', '1001', '客户服务部', NULL, NULL),
      ('K1', 2, 'judged', '2026-07-01 09:40:00+08', '2001', NULL, 'valid', '投诉成立'),
      ('K1', 3, 'implemented', '2026-07-02 15:00:00+08', NULL, '生鲜部', 'confirmed', '已退款'),
      ('K2', 1, 'intake', '2026-07-01 10:00:00+08', '1002', '客户服务部', NULL, NULL),
      ('K2', 2, 'implemented', '2026-07-02 10:00:00+08', NULL, '门店运营部', 'confirmed', '已道歉');
  `);
  await loadTaxonomy(warehouse); // seeds the default taxonomy (not audited: nobody changed it)
  const app = createApi({ warehouse });
  admin = await signedIn(app, (await addAccount(warehouse, 'admin')).username);
  analyst = await signedIn(app, (await addAccount(warehouse, 'analyst')).username);
  callback = await signedIn(app, (await addAccount(warehouse, 'callback', { username: 'huifang' })).username);
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const events = (id: string) =>
  warehouse.all<{ seq: number; event: string; actor: string | null; department: string | null; result: string | null; note: string | null }>(
    `SELECT seq, event, actor, department, result, note FROM ticket_events WHERE ticket_id = $id ORDER BY occurred_at, seq`,
    { id }
  );
const status = async (id: string) => (await warehouse.one<{ status: string }>(`SELECT status FROM tickets WHERE ticket_id = $id`, { id }))!.status;
const auditCount = async () => (await listAudit(warehouse, { limit: 500 })).length;

describe('the callback (回访)', () => {
  it('appends a satisfied callback as the next event (numbered apart from the imported ones), by the signed-in specialist, and audits it', async () => {
    const res = await callback.send('POST', '/api/complaints/K1/callback', { result: 'satisfied', note: '顾客表示满意' });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { callback: { seq: number; status: string }; complaint: { events: Array<{ event: string; result: string }> } };
    expect(body.callback).toEqual({ seq: LOCAL_SEQ_FROM, result: 'satisfied', status: 'in_progress' });
    expect(body.complaint.events.at(-1)).toMatchObject({ event: 'callback', result: 'satisfied', actor: 'huifang' });
    expect((await events('K1')).at(-1)).toEqual({ seq: LOCAL_SEQ_FROM, event: 'callback', actor: 'huifang', department: null, result: 'satisfied', note: '顾客表示满意' });
    const [record] = await listAudit(warehouse, { action: 'complaint.callback', target: 'ticket:K1' });
    expect(record).toMatchObject({
      actor: 'huifang',
      before: { status: 'in_progress' },
      after: { status: 'in_progress', seq: LOCAL_SEQ_FROM, result: 'satisfied', note: '顾客表示满意' }
    });
  });

  it('an unreachable customer is recorded and the complaint waits for the next try', async () => {
    expect((await callback.send('POST', '/api/complaints/K2/callback', { result: 'unreachable' })).status).toBe(201);
    expect((await events('K2')).map((e) => [e.seq, e.event, e.result])).toEqual([
      [1, 'intake', null],
      [2, 'implemented', 'confirmed'],
      [LOCAL_SEQ_FROM, 'callback', 'unreachable']
    ]);
    expect(await status('K2')).toBe('in_progress');
  });

  it('not satisfied loops back to the responsible department: a reopened event and the status reopened', async () => {
    const res = await callback.send('POST', '/api/complaints/K2/callback', { result: 'unsatisfied', note: '顾客仍不满意' });
    expect(res.status).toBe(201);
    expect((await events('K2')).slice(3)).toEqual([
      { seq: LOCAL_SEQ_FROM + 1, event: 'callback', actor: 'huifang', department: null, result: 'unsatisfied', note: '顾客仍不满意' },
      // K2 has no department of its own: the cause's default department (the taxonomy's) takes it back.
      { seq: LOCAL_SEQ_FROM + 2, event: 'reopened', actor: 'huifang', department: '门店运营部', result: null, note: REOPEN_NOTE }
    ]);
    expect(await status('K2')).toBe('reopened');
    const [record] = await listAudit(warehouse, { action: 'complaint.callback', target: 'ticket:K2' });
    expect(record).toMatchObject({ before: { status: 'in_progress' }, after: { status: 'reopened', seq: LOCAL_SEQ_FROM + 1, result: 'unsatisfied' } });
  });

  it('a later export of the ticketing system’s events loads beside the callbacks recorded here, in time order', async () => {
    // The system's own next events of K1 (numbered 4 and 5, as it numbers them) and its earlier ones again.
    const file = path.join(dir, 'ticket_events-later.jsonl');
    const rows = [
      { ticket_id: 'K1', seq: 1, event: 'intake', occurred_at: '2026-07-01 09:00:00', actor: '1001', department: '客户服务部', result: null, note: null },
      { ticket_id: 'K1', seq: 4, event: 'callback', occurred_at: '2099-01-01 10:00:00', actor: '3001', department: null, result: 'unsatisfied', note: '二次回访' },
      { ticket_id: 'K1', seq: 5, event: 'summary', occurred_at: '2099-01-01 11:00:00', actor: '3001', department: '生鲜部', result: null, note: '加强冷链检查' }
    ];
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const [summary] = (await ingestFiles(warehouse, [file])).files;
    expect(summary).toMatchObject({ kind: 'ticket_events', rowsLoaded: 2, rowsPresent: 1, rowsRejected: 0 });
    expect((await events('K1')).map((e) => [e.seq, e.event, e.result])).toEqual([
      [1, 'intake', null],
      [2, 'judged', 'valid'],
      [3, 'implemented', 'confirmed'],
      [LOCAL_SEQ_FROM, 'callback', 'satisfied'],
      [4, 'callback', 'unsatisfied'],
      [5, 'summary', null]
    ]);
    // The complaint's last callback is the latest in time, whatever its number: not satisfied.
    const byCause = await complaintRows(warehouse, 'complaint_callback', {});
    expect(byCause.find((r) => r.cause === '品质')).toMatchObject({ reached: 1, satisfied: 0, unsatisfied_rounds: 1 });
    const res = await callback.request('/api/complaints/K1');
    const body = (await res.json()) as { complaint: { events: Array<{ seq: number }> } };
    expect(body.complaint.events.map((e) => e.seq)).toEqual([1, 2, 3, LOCAL_SEQ_FROM, 4, 5]);
    // The next callback recorded here takes the next local number.
    expect((await recordCallback(warehouse, 'K1', { result: 'satisfied' }, 'huifang')).seq).toBe(LOCAL_SEQ_FROM + 1);
  });

  it('refuses a closed complaint, a ticket that is no complaint, a bad result and other roles — writing nothing', async () => {
    const n = await auditCount();
    const k3 = await events('K3');
    const closed = await callback.send('POST', '/api/complaints/K3/callback', { result: 'satisfied' });
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { error: { message: string } }).error.message).toMatch(/closed/);
    expect((await callback.send('POST', '/api/complaints/Q1/callback', { result: 'satisfied' })).status).toBe(404);
    expect((await callback.send('POST', '/api/complaints/K1/callback', { result: 'happy' })).status).toBe(400);
    // Analysts see complaints but do not call customers back.
    expect((await analyst.send('POST', '/api/complaints/K1/callback', { result: 'satisfied' })).status).toBe(403);
    await expect(recordCallback(warehouse, 'K3', { result: 'unsatisfied' }, 'huifang')).rejects.toThrow(/closed/);
    expect(await events('K3')).toEqual(k3);
    expect(await auditCount()).toBe(n);
  });
});

describe('cause corrections and the taxonomy', () => {
  it('a correction is the signed-in user’s, audited with the cause before and after', async () => {
    const res = await analyst.send('POST', '/api/complaints/K1/label', { cause: '残缺', note: '包装破损' });
    expect(res.status, await res.clone().text()).toBe(200);
    const label = await warehouse.one(`SELECT reviewer, cause FROM complaint_labels WHERE ticket_id = 'K1'`);
    expect(label).toEqual({ reviewer: 'test-analyst', cause: '残缺' });
    const [record] = await listAudit(warehouse, { action: 'complaint.label', target: 'ticket:K1' });
    expect(record).toMatchObject({
      actor: 'test-analyst',
      before: { cause: '品质', sub_cause: null, cause_source: 'source' },
      after: { cause: '残缺', sub_cause: null, cause_source: 'reviewer', note: '包装破损' }
    });
    // The callback specialist may read the complaint but not relabel it.
    expect((await callback.request('/api/complaints/K1')).status).toBe(200);
    expect((await callback.send('POST', '/api/complaints/K1/label', { cause: '品质' })).status).toBe(403);
  });

  it('a taxonomy save records the whole taxonomy before and after; a refused one records nothing', async () => {
    const t = defaultTaxonomy();
    t.groups[0].causes.push({ zh: '配送延误', en: 'Late delivery', department: '物流部', keywords: ['配送', '延误'], subCauses: [] });
    expect((await admin.send('PUT', '/api/complaints/taxonomy', { taxonomy: t })).status).toBe(200);
    const [record] = await listAudit(warehouse, { action: 'taxonomy.save' });
    expect(record.actor).toBe('test-admin');
    const causes = (x: unknown) => (x as typeof t).groups.flatMap((g) => g.causes.map((c) => c.zh));
    expect(causes(record.before)).not.toContain('配送延误');
    expect(causes(record.after)).toContain('配送延误');
    expect(causes(record.after)).toHaveLength(causes(record.before).length + 1);

    const n = await auditCount();
    const bad = structuredClone(t);
    bad.groups[0].code = 'Bad Code';
    expect((await admin.send('PUT', '/api/complaints/taxonomy', { taxonomy: bad })).status).toBe(400);
    expect((await analyst.send('PUT', '/api/complaints/taxonomy', { taxonomy: t })).status).toBe(403);
    expect(await auditCount()).toBe(n);
  });
});
