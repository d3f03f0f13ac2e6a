// Service targets on hand-made tickets (queries/metrics/ticket_sla.sql, sla_compliance.sql,
// sla_tickets.sql): each rule met, breached or pending as worked out by hand, in calendar hours
// and in business hours of the working calendar (Mon–Fri 09:00–18:00 by default).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../web/lib/server/api/index.ts';
import { listAudit } from '../web/lib/server/auth/audit.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

let dir: string;
let warehouse: Warehouse;
let api: SignedIn; // an administrator
let manager: SignedIn;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-targets-'));
  warehouse = await Warehouse.open(path.join(dir, 't.duckdb'));
  // 1 March 2024 is a Friday; the latest event (T4's closing) is Sunday 10 March 10:00.
  await warehouse.run(`
    INSERT INTO tickets (ticket_id, type, status, opened_at, closed_at) VALUES
      ('T1', 'complaint', 'closed', '2024-03-01 16:00:00+08', '2024-03-08 17:00:00+08'),
      ('T2', 'complaint', 'closed', '2024-03-05 09:00:00+08', '2024-03-05 15:00:00+08'),
      ('T3', 'repair', 'in_progress', '2024-03-05 10:00:00+08', NULL),
      ('T4', 'inquiry', 'closed', '2024-03-10 09:00:00+08', '2024-03-10 10:00:00+08'),
      ('T5', 'complaint', 'open', '2024-03-10 08:00:00+08', NULL);
    INSERT INTO ticket_events (ticket_id, seq, event, occurred_at, result) VALUES
      ('T1', 1, 'intake', '2024-03-01 16:00:00+08', NULL),
      ('T1', 2, 'judged', '2024-03-01 17:30:00+08', 'valid'),
      ('T1', 3, 'investigated', '2024-03-02 10:00:00+08', NULL),
      ('T1', 4, 'solution', '2024-03-04 12:00:00+08', 'approved'),
      ('T1', 5, 'implemented', '2024-03-04 15:00:00+08', 'confirmed'),
      ('T1', 6, 'callback', '2024-03-06 15:00:00+08', 'unreachable'),
      ('T1', 7, 'callback', '2024-03-08 16:00:00+08', 'satisfied'),
      ('T1', 8, 'closed', '2024-03-08 17:00:00+08', NULL),
      ('T2', 1, 'intake', '2024-03-05 09:00:00+08', NULL),
      ('T2', 2, 'judged', '2024-03-05 13:00:00+08', 'invalid'),
      ('T2', 3, 'closed', '2024-03-05 15:00:00+08', NULL),
      ('T3', 1, 'intake', '2024-03-05 10:00:00+08', NULL),
      ('T3', 2, 'investigated', '2024-03-05 11:00:00+08', NULL),
      ('T3', 3, 'implemented', '2024-03-06 10:00:00+08', 'confirmed'),
      ('T4', 1, 'intake', '2024-03-10 09:00:00+08', NULL),
      ('T4', 2, 'callback', '2024-03-10 09:30:00+08', 'unreachable'),
      ('T4', 3, 'closed', '2024-03-10 10:00:00+08', NULL),
      ('T5', 1, 'intake', '2024-03-10 08:00:00+08', NULL);
    -- Callback requests: R1 called back after 4 minutes, R2 after 10, R3 (2 minutes before the
    -- latest event) not yet; O1 is the outbound call that answers R1, C2 the callback for R2.
    INSERT INTO calls (call_id, direction, disposition, caller_number, enqueued_at, ended_at) VALUES
      ('R1', 'inbound', 'callback', '1301', '2024-03-04 09:59:00+08', '2024-03-04 10:00:00+08'),
      ('O1', 'outbound', 'answered', '1301', '2024-03-04 10:04:00+08', '2024-03-04 10:06:00+08'),
      ('R2', 'inbound', 'callback', '1302', '2024-03-04 10:59:00+08', '2024-03-04 11:00:00+08'),
      ('C2', 'callback', 'answered', '1302', '2024-03-04 11:10:00+08', '2024-03-04 11:12:00+08'),
      ('R3', 'inbound', 'callback', '1303', '2024-03-10 09:57:00+08', '2024-03-10 09:58:00+08');
  `);
  await warehouse.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  const app = createApi({ warehouse });
  api = await signedIn(app, (await addAccount(warehouse, 'admin')).username);
  manager = await signedIn(app, (await addAccount(warehouse, 'manager')).username);
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const RANGE = 'from=2024-03-01&to=2024-03-31';

async function get(pathAndQuery: string) {
  const res = await api.request(pathAndQuery);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

async function compliance(): Promise<Record<string, Record<string, unknown>>> {
  const body = await get(`/api/metrics/sla_compliance?${RANGE}`);
  return Object.fromEntries(body.rows.map((r: { target_id: string }) => [r.target_id, r]));
}

async function outcomes(target: string): Promise<Record<string, [string, number | null]>> {
  const body = await get(`/api/metrics/ticket_sla?${RANGE}`);
  return Object.fromEntries(
    body.rows.filter((r: { target_id: string }) => r.target_id === target).map((r: { ticket_id: string; outcome: string; hours_taken: number | null }) => [r.ticket_id, [r.outcome, r.hours_taken]])
  );
}

describe('service targets in calendar hours', () => {
  it('each rule’s outcome per ticket, counted by hand', async () => {
    expect(await outcomes('complaint_received')).toEqual({ T1: ['met', 1.5], T2: ['breached', 4], T5: ['pending', 2] });
    // T2 was judged invalid: no department contact, solution or callback owed.
    expect(await outcomes('department_contact')).toEqual({ T1: ['met', 18], T5: ['pending', 2] });
    expect(await outcomes('solution')).toEqual({ T1: ['breached', 68], T5: ['pending', 2] });
    // T1: implemented Monday 15:00, first callback that reached the customer Friday 16:00 (97 h);
    // T3: implemented 6 March 10:00, no callback by 10 March 10:00 — 96 h, already overdue.
    expect(await outcomes('callback_3d')).toEqual({ T1: ['breached', 97], T3: ['breached', 96] });
    expect(await outcomes('complaint_cycle')).toEqual({ T1: ['breached', 169], T2: ['met', 6], T5: ['pending', 2] });
    // Closed with a callback: T1, T4 (an unreachable attempt counts); T3 and T5 not closed yet.
    expect(await outcomes('callback_rate')).toEqual({ T1: ['met', null], T3: ['pending', null], T4: ['met', null], T5: ['pending', null] });
  });

  it('call back within 5 minutes of a callback request', async () => {
    const got = await outcomes('callback_5min');
    expect(Object.keys(got)).toEqual(['R1', 'R2', 'R3']);
    expect(got.R1[0]).toBe('met');
    expect(got.R1[1]).toBeCloseTo(4 / 60, 10);
    expect(got.R2[0]).toBe('breached');
    expect(got.R2[1]).toBeCloseTo(10 / 60, 10);
    expect(got.R3[0]).toBe('pending');
    expect(got.R3[1]).toBeCloseTo(2 / 60, 10);
  });

  it('compliance leaves pending tickets out and is compared with the goal', async () => {
    const c = await compliance();
    expect(c.complaint_received).toMatchObject({ met: 1, breached: 1, pending: 1, compliance: 0.5, goal: 0.98, goal_reached: false, limit_hours: 3 });
    expect(c.callback_rate).toMatchObject({ met: 2, breached: 0, pending: 2, compliance: 1, goal: 1, goal_reached: true });
    expect(c.department_contact).toMatchObject({ met: 1, pending: 1, compliance: 1, goal_reached: true });
  });

  it('lists the breaching tickets of a target', async () => {
    const body = await get(`/api/metrics/sla_tickets?${RANGE}&target=callback_3d`);
    expect(body.rows.map((r: { ticket_id: string }) => r.ticket_id)).toEqual(['T1', 'T3']);
    expect(body.rows[0]).toMatchObject({ start_local: '2024-03-04 15:00', stop_local: '2024-03-08 16:00', limit_hours: 72 });
  });
});

describe('business hours and editing', () => {
  it('a business clock counts only the working calendar’s hours, and targets are editable', async () => {
    const put = await api.request('/api/targets/solution', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limit_hours: 16, goal: 0.95, clock: 'business' })
    });
    expect(put.status, await put.clone().text()).toBe(200);
    // T1's solution: Friday 16:00–18:00, the weekend not at all, Monday 09:00–12:00 = 5 working hours.
    expect((await outcomes('solution')).T1).toEqual(['met', 5]);
    await api.request('/api/targets/complaint_received', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit_hours: 3, goal: 0.98, clock: 'business' }) });
    // T5 opened on a Sunday: no working hour has passed yet.
    expect((await outcomes('complaint_received')).T5).toEqual(['pending', 0]);
    // With Saturday a working day (09:00–12:00) T1's solution took 8 hours.
    const { calendar } = await get('/api/targets');
    const days = calendar.map((d: { weekday: number }) => (d.weekday === 6 ? { ...d, working: true, starts: '09:00', ends: '12:00' } : d));
    const cal = await api.request('/api/targets/calendar', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(days) });
    expect(cal.status, await cal.clone().text()).toBe(200);
    expect((await outcomes('solution')).T1).toEqual(['met', 8]);
    const c = await compliance();
    expect(c.solution).toMatchObject({ clock: 'business', limit_hours: 16, goal: 0.95 });
  });

  it('refuses a time rule without a limit and an unknown target', async () => {
    const bad = await api.request('/api/targets/solution', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit_hours: null, goal: 0.9, clock: 'calendar' }) });
    expect(bad.status).toBe(400);
    const unknown = await api.request('/api/targets/nonsense', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ goal: 0.9, clock: 'calendar' }) });
    expect(unknown.status).toBe(400);
  });
});

describe('the audit trail of target changes', () => {
  it('records who changed a target and the calendar, with before and after', async () => {
    const { targets } = await get('/api/targets');
    const before = targets.find((t: { target_id: string }) => t.target_id === 'callback_3d');
    const put = await api.send('PUT', '/api/targets/callback_3d', { limit_hours: 48, goal: 0.9, clock: 'calendar' });
    expect(put.status, await put.clone().text()).toBe(200);
    const [record] = await listAudit(warehouse, { action: 'target.update', target: 'target:callback_3d' });
    expect(record).toMatchObject({ actor: 'test-admin', before: { target_id: 'callback_3d', limit_hours: before.limit_hours, goal: before.goal, clock: before.clock } });
    expect(record.after).toMatchObject({ target_id: 'callback_3d', limit_hours: 48, goal: 0.9, clock: 'calendar' });

    const { calendar } = await get('/api/targets');
    const sundayOpen = calendar.map((d: { weekday: number }) => (d.weekday === 7 ? { ...d, working: true, starts: '10:00', ends: '16:00' } : d));
    expect((await api.send('PUT', '/api/targets/calendar', sundayOpen)).status).toBe(200);
    const [cal] = await listAudit(warehouse, { action: 'calendar.update' });
    expect(cal.actor).toBe('test-admin');
    expect((cal.before as Array<{ weekday: number }>).find((d) => d.weekday === 7)).toEqual(calendar.find((d: { weekday: number }) => d.weekday === 7));
    expect((cal.after as Array<{ weekday: number }>).find((d) => d.weekday === 7)).toEqual({ weekday: 7, working: true, starts: '10:00', ends: '16:00' });
  });

  it('a refused or failing change writes no record', async () => {
    const count = async () => (await listAudit(warehouse, { target: 'target:' })).length;
    const n = await count();
    // A manager reads targets but may not edit them.
    expect((await manager.request('/api/targets')).status).toBe(200);
    expect((await manager.send('PUT', '/api/targets/solution', { limit_hours: 10, goal: 0.9, clock: 'calendar' })).status).toBe(403);
    expect((await api.send('PUT', '/api/targets/solution', { limit_hours: null, goal: 0.9, clock: 'calendar' })).status).toBe(400);
    expect(await count()).toBe(n);
  });
});
