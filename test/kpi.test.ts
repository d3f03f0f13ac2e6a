// The interval KPIs of queries/metrics/call_kpis.sql against values worked out by hand on the
// leap-day fixture (test/kpi-fixture.ts): each service-level variant, a night shift across
// midnight, the 29 February bucket and the first-contact window at a period's edge.
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

type Row = Record<string, number | string | null>;

async function kpis(query: string): Promise<Row[]> {
  const res = await api.request(`/api/metrics/call_kpis?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()).rows;
}

const LEAP = 'from=2024-02-28&to=2024-03-01';

describe('call_kpis over 28 Feb – 1 Mar 2024 (whole range)', () => {
  it('offered, answered, abandoned with short abandons apart', async () => {
    const [r] = await kpis(LEAP);
    // Inbound k1–k8 and k10; k9 is outbound.
    expect(r).toMatchObject({ bucket: '2024-02-28 00:00', offered: 9, answered: 5, abandoned: 3, short_abandoned: 1, short_abandon_s: 5 });
    expect(r.answer_rate).toBeCloseTo(5 / 9, 12);
    expect(r.abandon_rate).toBeCloseTo(3 / 9, 12);
    const [longer] = await kpis(`${LEAP}&short_abandon_s=10`);
    expect(longer.short_abandoned).toBe(2); // k3 (3 s) and k10 (8 s)
  });

  it('service level in each variant, 20 s itself counting as within', async () => {
    // Within 20 s: k1 (10), k5 (20), k6 (5), k8 (15); k2 waited 25. Abandoned within 20 s: k3, k10; short: k3.
    const expected = {
      answered_only: [4, 5],
      abandons_against: [4, 9],
      late_abandons_against: [4, 7],
      short_abandons_excluded: [4, 8]
    };
    for (const [variant, [within, denominator]] of Object.entries(expected)) {
      const [r] = await kpis(`${LEAP}&sl_variant=${variant}`);
      expect(r, variant).toMatchObject({ sl_variant: variant, sl_within: within, sl_denominator: denominator, threshold_s: 20 });
      expect(r.service_level, variant).toBeCloseTo(within / denominator, 12);
    }
    const [strict] = await kpis(`${LEAP}&threshold_s=10&sl_variant=answered_only`);
    expect(strict.service_level).toBeCloseTo(2 / 5, 12); // k1 and k6
  });

  it('ASA over answered calls, longest wait over all offered, AHT and transfer rate', async () => {
    const [r] = await kpis(LEAP);
    expect(r.asa_s).toBeCloseTo((10 + 25 + 20 + 5 + 15) / 5, 12);
    expect(r.longest_wait_s).toBe(60); // k7, a callback request
    expect(r.aht_s).toBeCloseTo((120 + 240 + 60 + 400 + 150) / 5, 12);
    expect(r.handle_s_total).toBe(970);
    expect(r.transfer_rate).toBeCloseTo(1 / 5, 12);
  });

  it('satisfaction: share of 4s and 5s and the mean, outbound surveys included', async () => {
    const [r] = await kpis(LEAP);
    expect(r).toMatchObject({ responses: 5, satisfied: 3, score_sum: 19 });
    expect(r.satisfaction).toBeCloseTo(3 / 5, 12);
    expect(r.mean_score).toBeCloseTo(3.8, 12);
  });

  it('occupancy: agents’ handle seconds over their scheduled seconds, night shifts cut at midnight', async () => {
    const [r] = await kpis(LEAP);
    // Five 9 h day shifts, A3's night of the 29th (8 h) and the first 7 h of the night of 1 March.
    expect(r.shift_s).toBe(5 * 32_400 + 28_800 + 25_200);
    expect(r.busy_s).toBe(120 + 240 + 50 + 60 + 400 + 150);
    expect(r.occupancy).toBeCloseTo(1020 / 216_000, 12);
    const [byQueue] = await kpis(`${LEAP}&queue=q2`);
    expect(byQueue.occupancy).toBeNull();
  });
});

describe('per interval', () => {
  it('the leap day is its own day; a call at 23:50 stays on it, one at 00:20 goes to 1 March', async () => {
    const rows = await kpis(`${LEAP}&interval=day`);
    expect(rows.map((r) => [r.bucket, r.offered, r.answered, r.abandoned])).toEqual([
      ['2024-02-28 00:00', 4, 2, 2],
      ['2024-02-29 00:00', 3, 2, 0],
      ['2024-03-01 00:00', 2, 1, 1]
    ]);
    const hours = await kpis('from=2024-02-29&to=2024-02-29&interval=hour');
    expect(hours).toHaveLength(24);
    expect(hours.find((r) => r.bucket === '2024-02-29 23:00')).toMatchObject({ offered: 1, answered: 1 });
    const quarters = await kpis('from=2024-02-28&to=2024-02-28&interval=15min');
    expect(quarters).toHaveLength(96);
    expect(quarters.filter((r) => Number(r.offered) > 0).map((r) => r.bucket)).toEqual([
      '2024-02-28 09:00', '2024-02-28 09:15', '2024-02-28 09:30', '2024-02-28 10:00'
    ]);
  });

  it('a night shift across midnight counts its hours on each day, per agent', async () => {
    const rows = await kpis(`${LEAP}&interval=day&group_by=agent&agent=A3`);
    const byDay = Object.fromEntries(rows.map((r) => [r.bucket, r]));
    expect(byDay['2024-02-29 00:00']).toMatchObject({ group_key: 'A3', group_name: '王芳', shift_s: 25_200, busy_s: 400 });
    expect(byDay['2024-03-01 00:00']).toMatchObject({ shift_s: 3_600 + 25_200, busy_s: 150 });
    expect(byDay['2024-03-01 00:00'].occupancy).toBeCloseTo(150 / 28_800, 12);
  });

  it('weeks start on Monday and months on the 1st, in the center’s zone', async () => {
    const weeks = await kpis('from=2024-02-28&to=2024-03-10&interval=week');
    expect(weeks.map((r) => [r.bucket, r.offered])).toEqual([
      ['2024-02-26 00:00', 10], // inbound k1–k8, k10, k11 (3 March is a Sunday)
      ['2024-03-04 00:00', 1] // k13
    ]);
    const months = await kpis('from=2024-02-01&to=2024-03-31&interval=month');
    expect(months.map((r) => [r.bucket, r.offered])).toEqual([
      ['2024-02-01 00:00', 7],
      ['2024-03-01 00:00', 5]
    ]);
  });
});

describe('per queue, team and agent', () => {
  it('filters and groups; unanswered calls belong to no team', async () => {
    const [q2] = await kpis(`${LEAP}&queue=q2`);
    expect(q2).toMatchObject({ offered: 3, answered: 2, abandoned: 1 });
    const teams = await kpis(`${LEAP}&group_by=team`);
    expect(teams.map((r) => [r.group_key, r.group_name, r.offered, r.answered])).toEqual([
      ['T1', '一组', 3, 3],
      ['T2', '二组', 2, 2],
      [null, null, 4, 0]
    ]);
    const [t2] = await kpis(`${LEAP}&team=T2`);
    expect(t2).toMatchObject({ offered: 2, busy_s: 550, shift_s: 28_800 + 25_200 });
  });
});

describe('first-contact resolution', () => {
  it('a repeat call within 7 days marks the first call unresolved, even across the period’s end', async () => {
    // Answered in February: k1 (1391 calls again on the 29th: repeat), k2 (next call from 1392 is
    // 7 days and 1 minute later: resolved), k5 (resolved), k6 on 29 Feb 23:50 (1395 calls again on 3 March: repeat).
    const [feb] = await kpis('from=2024-02-01&to=2024-02-29');
    expect(feb).toMatchObject({ fcr_judged: 4, fcr_resolved: 2, fcr_pending: 0, fcr_window_days: 7 });
    expect(feb.fcr).toBeCloseTo(2 / 4, 12);
    const [oneDay] = await kpis('from=2024-02-01&to=2024-02-29&fcr_window_days=1');
    expect(oneDay).toMatchObject({ fcr_judged: 4, fcr_resolved: 4 }); // k1's repeat came 1 day 5 minutes later
    const [eight] = await kpis('from=2024-02-01&to=2024-02-29&fcr_window_days=8');
    expect(eight).toMatchObject({ fcr_judged: 4, fcr_resolved: 1 }); // now k2's repeat falls inside
  });

  it('calls whose window has not ended by the latest call are pending, not counted', async () => {
    // k12 (20 March) is the warehouse's latest call: its window is still open.
    const [march] = await kpis('from=2024-03-20&to=2024-03-20');
    expect(march).toMatchObject({ fcr_judged: 0, fcr_resolved: 0, fcr_pending: 1 });
    expect(march.fcr).toBeNull();
    // k11 (3 March) was answered 17 days before it: judged and resolved.
    const [third] = await kpis('from=2024-03-03&to=2024-03-03');
    expect(third).toMatchObject({ fcr_judged: 1, fcr_resolved: 1, fcr_pending: 0 });
  });
});

describe('the summary and the sum of its interval series agree', () => {
  const additive = [
    'offered', 'answered', 'abandoned', 'short_abandoned', 'sl_within', 'sl_denominator', 'answered_wait_s',
    'talk_s_total', 'hold_s_total', 'wrap_s_total', 'handle_s_total', 'transferred', 'fcr_judged', 'fcr_resolved',
    'fcr_pending', 'busy_s', 'shift_s', 'responses', 'satisfied', 'score_sum'
  ];
  const range = 'from=2024-02-01&to=2024-03-31';

  for (const variant of ['abandons_against', 'late_abandons_against', 'short_abandons_excluded']) {
    it(`for every additive metric and interval (${variant})`, async () => {
      const [total] = await kpis(`${range}&sl_variant=${variant}`);
      expect(total.offered).toBe(12);
      for (const interval of ['15min', 'hour', 'day', 'week', 'month']) {
        for (const groupBy of ['none', 'team', 'agent']) {
          const rows = await kpis(`${range}&interval=${interval}&group_by=${groupBy}&sl_variant=${variant}`);
          for (const key of additive) {
            const sum = rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
            expect(sum, `${key} by ${interval}, grouped by ${groupBy}`).toBeCloseTo(Number(total[key]), 6);
          }
        }
      }
    });
  }

  it('and the longest wait is the longest of the intervals’ longest waits', async () => {
    const [total] = await kpis(range);
    const days = await kpis(`${range}&interval=day`);
    expect(Math.max(...days.map((r) => Number(r.longest_wait_s ?? 0)))).toBe(total.longest_wait_s);
  });
});

describe('the published single-value metrics read the same definition', () => {
  it('calls_offered, service_level and satisfaction equal call_kpis’ columns', async () => {
    const [k] = await kpis(`${LEAP}&sl_variant=late_abandons_against`);
    const get = async (name: string, q = LEAP) => (await (await api.request(`/api/metrics/${name}?${q}`)).json()).rows[0];
    expect((await get('calls_offered')).value).toBe(k.offered);
    expect((await get('service_level', `${LEAP}&sl_variant=late_abandons_against`)).value).toBe(k.service_level);
    expect((await get('satisfaction')).value).toBe(k.satisfaction);
    expect((await get('average_speed_of_answer')).value).toBe(k.asa_s);
  });

  it('refuses an interval or variant that is not one of its choices', async () => {
    for (const q of ['interval=fortnight', 'sl_variant=lenient', 'group_by=reviewer']) {
      const res = await api.request(`/api/metrics/call_kpis?${LEAP}&${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.message).toMatch(/expected one of/);
    }
    const list = await (await api.request('/api/metrics')).json();
    const def = list.metrics.find((m: { name: string }) => m.name === 'call_kpis');
    expect(def.parameters).toContainEqual({ name: 'interval', type: 'choice', required: false, default: 'total', choices: ['15min', 'hour', 'day', 'week', 'month', 'total'] });
    expect(def.formula.en).toMatch(/late_abandons_against/);
  });
});

describe('drill-down: call_list returns exactly the calls behind a figure', () => {
  const measures: [string, string][] = [
    ['offered', 'offered'], ['answered', 'answered'], ['abandoned', 'abandoned'], ['short_abandoned', 'short_abandoned'],
    ['sl_within', 'sl_within'], ['transferred', 'transferred'], ['fcr_resolved', 'fcr_resolved'], ['fcr_pending', 'fcr_pending'],
    ['surveyed', 'responses']
  ];
  it('for every interval bucket and count, with the same filters', async () => {
    const range = 'from=2024-02-01&to=2024-03-31&sl_variant=late_abandons_against';
    for (const filter of ['', '&queue=q1', '&team=T1']) {
      const days = await kpis(`${range}&interval=day${filter}`);
      for (const day of days.filter((d) => Number(d.offered) > 0 || Number(d.responses) > 0)) {
        for (const [measure, column] of measures) {
          const res = await api.request(`/api/metrics/call_list?${range}&interval=day${filter}&bucket=${encodeURIComponent(String(day.bucket))}&measure=${measure}`);
          const rows = (await res.json()).rows;
          expect(rows.length, `${measure} on ${day.bucket}${filter}`).toBe(day[column]);
        }
        const missed = await api.request(`/api/metrics/call_list?${range}&interval=day${filter}&bucket=${encodeURIComponent(String(day.bucket))}&measure=sl_missed`);
        expect((await missed.json()).rows.length).toBe(Number(day.sl_denominator) - Number(day.sl_within));
      }
    }
  });

  it('lists the leap-day abandons and service-level misses by name', async () => {
    const res = await api.request(`/api/metrics/call_list?${LEAP}&measure=sl_missed`);
    const rows = (await res.json()).rows;
    // abandons_against: k2 waited 25 s, k3/k4/k10 abandoned, k7 left a callback request.
    expect(rows.map((r: { call_id: string }) => r.call_id)).toEqual(['k2', 'k3', 'k4', 'k7', 'k10']);
    expect(rows[0]).toMatchObject({ enqueued_local: '2024-02-28 09:20:00', queue_name: '业务咨询', agent_name: '李娜', wait_s: 25 });
  });
});
