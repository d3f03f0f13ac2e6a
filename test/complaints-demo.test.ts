// Complaint analysis on a generated demo center (three weeks of tickets and their life cycles):
// the growing cause is found, drill-downs list exactly the complaints a chart counts, and
// complaints stripped of their cause are classified back.
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { useGeneratedWarehouse } from './generated-fixture.ts';
import { complaintRows } from '../web/lib/server/complaints/metrics.ts';
import { classifyComplaints } from '../web/lib/server/complaints/classify.ts';

let warehouse: Warehouse;
useGeneratedWarehouse({ seed: 4, agents: 12, days: 42, start: '2026-06-01' }, (w) => (warehouse = w));

const sum = (rows: Record<string, unknown>[], key: string) => rows.reduce((a, r) => a + (r[key] as number), 0);

describe('on demo data', () => {
  it('names the cause the demo makes grow (late delivery under 服务项目不足) as the fastest-growing one', async () => {
    const rows = await complaintRows(warehouse, 'complaint_trend', {});
    const growth = new Map(rows.map((r) => [r.cause as string, r.growth as number]));
    const ranked = [...growth].sort((a, b) => b[1] - a[1]);
    expect(ranked[0][0]).toBe('服务项目不足');
    expect(ranked[0][1]).toBeGreaterThan(0.02);
  });

  it('sends each cause to its responsible department', async () => {
    const rows = await complaintRows(warehouse, 'complaint_department', {});
    const delivery = rows.filter((r) => r.cause === '服务项目不足');
    expect(delivery).toHaveLength(1);
    expect(delivery[0]).toMatchObject({ department: '物流配送部', share_of_cause: 1 });
  });

  it('the funnel starts with every valid complaint and its stalled counts are the drill-down lists', async () => {
    const funnel = await complaintRows(warehouse, 'complaint_funnel', {});
    expect(funnel.map((r) => r.stage)).toEqual(['intake', 'judged', 'investigated', 'solution', 'implemented', 'callback', 'closed']);
    const valid = (await warehouse.one<{ n: number }>(
      `SELECT count(*) AS n FROM complaint_facts f WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = f.ticket_id AND e.event = 'judged' AND e.result = 'invalid')`
    ))!.n;
    expect(funnel[0].reached).toBe(valid);
    for (let i = 1; i < funnel.length; i++) expect(funnel[i].reached as number).toBeLessThanOrEqual(funnel[i - 1].reached as number);
    const stalled = funnel.filter((r) => r.stage !== 'closed' && (r.stalled as number) > 0);
    expect(stalled.length).toBeGreaterThan(0);
    for (const r of stalled) {
      const list = await complaintRows(warehouse, 'complaint_list', { stalled_at: r.stage, limit: 100000 });
      expect(list.length, r.stage as string).toBe(r.stalled);
    }
  });

  it('a mark of the trend, department and severity charts drills down to exactly the complaints it counts', async () => {
    const list = (q: Record<string, unknown>) => complaintRows(warehouse, 'complaint_list', { ...q, limit: 100000 });
    const trend = (await complaintRows(warehouse, 'complaint_trend', { interval: 'week' })).filter((r) => r.cause === '服务项目不足');
    for (const r of [trend[1], trend.at(-2)!]) expect((await list({ cause: r.cause, interval: 'week', bucket: r.bucket })).length).toBe(r.complaints);
    const monthly = await complaintRows(warehouse, 'complaint_trend', { interval: 'month' });
    const m = monthly.find((r) => r.cause === '品质')!;
    expect((await list({ cause: '品质', interval: 'month', bucket: m.bucket })).length).toBe(m.complaints);
    const cell = (await complaintRows(warehouse, 'complaint_department', {})).find((r) => r.cause === '品质')!;
    expect((await list({ cause: '品质', department: cell.department })).length).toBe(cell.complaints);
    const sev = (await complaintRows(warehouse, 'complaint_severity', {})).find((r) => r.cause === '品质' && r.severity === 2)!;
    expect((await list({ cause: '品质', severity: 2 })).length).toBe(sev.complaints);
  });

  it('severity, callback and SLA figures cover the complaints they should', async () => {
    const total = sum(await complaintRows(warehouse, 'complaint_pareto', {}), 'complaints');
    expect(sum(await complaintRows(warehouse, 'complaint_severity', {}), 'complaints')).toBe(total);
    const callback = await complaintRows(warehouse, 'complaint_callback', {});
    expect(callback.every((r) => (r.satisfaction as number) > 0.5 && (r.satisfaction as number) <= 1)).toBe(true);
    const sla = await complaintRows(warehouse, 'complaint_sla', {});
    const received = sla.filter((r) => r.target === 'received');
    // Every complaint has a 3-hour receipt deadline; all but those still pending are judged.
    expect(sum(received, 'met') + sum(received, 'breached')).toBeGreaterThan(total * 0.95);
    expect(sla.every((r) => r.compliance === null || ((r.compliance as number) >= 0 && (r.compliance as number) <= 1))).toBe(true);
  });

  it('a month of the classification table adds up to the Pareto of the same month', async () => {
    const monthly = await complaintRows(warehouse, 'complaint_monthly', { month: '2026-06-01' });
    const pareto = await complaintRows(warehouse, 'complaint_pareto', { from: '2026-06-01', to: '2026-06-30' });
    expect(sum(monthly, 'complaints')).toBe(sum(pareto, 'complaints'));
    expect(monthly.filter((r) => r.actions).length).toBeGreaterThan(5);
  });

  it('classifies complaints stripped of their cause back to it', async () => {
    const truth = await warehouse.all<{ ticket_id: string; cause: string }>(
      `SELECT ticket_id, cause FROM tickets WHERE type = 'complaint' AND hash(ticket_id) % 10 = 0`
    );
    expect(truth.length).toBeGreaterThan(30);
    await warehouse.run(`UPDATE tickets SET cause = NULL, cause_group = NULL, sub_cause = NULL WHERE type = 'complaint' AND hash(ticket_id) % 10 = 0`);
    const result = await classifyComplaints(warehouse);
    expect(result.classified).toBe(truth.length);
    const labels = new Map((await warehouse.all<{ ticket_id: string; cause: string }>(`SELECT ticket_id, cause FROM complaint_labels`)).map((r) => [r.ticket_id, r.cause]));
    const right = truth.filter((t) => labels.get(t.ticket_id) === t.cause).length;
    expect(right / truth.length).toBeGreaterThan(0.95);
    expect(result.evaluation!.macro.recall!).toBeGreaterThan(0.9);
  });
});
