// The monthly attendance table (考勤统计表) of queries/metrics/attendance_{days,monthly}.sql on the
// leap-day fixture (test/kpi-fixture.ts): punches matched to shifts, a night shift across
// midnight, leave versus absence on 29 February, lateness with a grace, weeks under 30 h.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn } from './auth-fixture.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { kpiApi } from './kpi-fixture.ts';

let warehouse: Warehouse;
let dir: string;
/** The API as a signed-in manager. */
let api: SignedIn;

beforeAll(async () => {
  ({ warehouse, dir, api } = await kpiApi());
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, number | string | boolean | null>;

async function rows(name: string, query: string): Promise<Row[]> {
  const res = await api.request(`/api/metrics/${name}?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()).rows;
}

const byAgent = (list: Row[]) => Object.fromEntries(list.map((r) => [r.agent_id as string, r]));

describe('attendance_days: each shift matched to its punches', () => {
  it('a night shift is matched to the clock-out after midnight, not to the next night', async () => {
    const feb = await rows('attendance_days', 'month=2024-02-01&agent=A3');
    expect(feb).toHaveLength(1);
    expect(feb[0]).toMatchObject({
      shift_date: '2024-02-29', starts_local: '2024-02-29 17:00', ends_local: '2024-03-01 01:00',
      clock_in_local: '2024-02-29 16:50', clock_out_local: '2024-03-01 01:05', status: 'present', late: false, left_early: false, missing_punch: false
    });
    expect(feb[0].worked_h).toBeCloseTo(8.25, 12);
    // The night of 1 March starts at 17:20 and has no clock-out: the 01:05 punch belongs to the night before.
    const [march] = await rows('attendance_days', 'month=2024-03-01&agent=A3');
    expect(march).toMatchObject({ clock_in_local: '2024-03-01 17:20', clock_out_local: null, late: true, late_min: 20, missing_punch: true, worked_h: 0 });
  });

  it('on the leap day: approved leave is leave, unapproved leave is absence; lateness past the grace', async () => {
    const feb = await rows('attendance_days', 'month=2024-02-01');
    const status = Object.fromEntries(feb.map((r) => [`${r.agent_id} ${r.shift_date}`, [r.status, r.late]]));
    expect(status).toEqual({
      'A1 2024-02-28': ['present', false],
      'A1 2024-02-29': ['present', true], // in at 08:12, grace 5 min
      'A2 2024-02-28': ['leave', false], // approved annual leave
      'A2 2024-02-29': ['absent', false], // personal leave not approved
      'A3 2024-02-29': ['present', false]
    });
    const lenient = await rows('attendance_days', 'month=2024-02-01&agent=A1&grace_min=15');
    expect(lenient.map((r) => r.late)).toEqual([false, false]);
  });
});

describe('attendance_monthly: the 考勤统计表', () => {
  it('February 2024, counted by hand', async () => {
    const feb = byAgent(await rows('attendance_monthly', 'month=2024-02-15'));
    expect(feb.A1).toMatchObject({ agent_name: '张伟', days_scheduled: 2, days_present: 2, days_late: 1, days_left_early: 0, days_absent: 0, days_on_leave: 0, late_minutes: 12 });
    expect(feb.A1.hours_worked).toBeCloseTo(9 + 7 / 60 + 8.8, 10); // 07:55–17:02 and 08:12–17:00
    expect(feb.A1.adherence).toBeCloseTo((9 + 8.8) / 18, 10);
    expect(feb.A2).toMatchObject({ days_scheduled: 2, days_present: 0, days_absent: 1, days_on_leave: 1, hours_worked: 0, adherence: 0 });
    expect(feb.A3).toMatchObject({ days_scheduled: 1, days_present: 1, hours_worked: 8.25, adherence: 1 });
  });

  it('the week of 26 Feb – 3 Mar belongs to February (its Thursday is the 29th) and counts all its shifts', async () => {
    const feb = byAgent(await rows('attendance_monthly', 'month=2024-02-01'));
    // A1 worked 9.12 + 8.8 + 8.45 = 26.37 h that week, under 30; A2 had leave that week; A3 8.25 h.
    expect([feb.A1.weeks_under_min, feb.A2.weeks_under_min, feb.A3.weeks_under_min]).toEqual([1, 0, 1]);
    const lower = byAgent(await rows('attendance_monthly', 'month=2024-02-01&min_week_hours=26'));
    expect(lower.A1.weeks_under_min).toBe(0);
    const march = byAgent(await rows('attendance_monthly', 'month=2024-03-01'));
    expect(march.A1).toMatchObject({ days_scheduled: 1, days_left_early: 1, weeks_under_min: 0 });
    expect(march.A3).toMatchObject({ days_late: 1, missing_punches: 1, hours_worked: 0 });
  });

  it('filters by team', async () => {
    const t1 = await rows('attendance_monthly', 'month=2024-02-01&team=T1');
    expect(t1.map((r) => r.agent_id)).toEqual(['A1', 'A2']);
  });
});
