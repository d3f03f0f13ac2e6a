// The HTTP API on a hand-made warehouse: every headline figure equals the computation on paper.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { createApi } from '../web/lib/server/api/index.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { fixtureWarehouse } from './api-fixture.ts';

let warehouse: Warehouse;
let dir: string;
/** The API as a signed-in analyst (what each role may call is test/access.test.ts's subject). */
let api: SignedIn;
const RANGE = 'from=2026-07-01&to=2026-07-03';

beforeAll(async () => {
  ({ warehouse, dir } = await fixtureWarehouse());
  await addAccount(warehouse, 'analyst');
  api = await signedIn(createApi({ warehouse, version: '9.9.9' }), 'test-analyst');
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function metric(name: string, query = RANGE) {
  const res = await api.request(`/api/metrics/${name}?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { rows: Record<string, unknown>[]; params: Record<string, unknown> };
}

describe('GET /api/health', () => {
  it('names the warehouse file (not its path) and counts rows', async () => {
    const res = await api.request('/api/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.version).toBe('9.9.9');
    expect(body.db).toBe('test.duckdb');
    expect(body.rows).toMatchObject({ calls: 8, agents: 2, queues: 2, teams: 1, tickets: 0 });
  });

  it('answers liveness without counting rows (what the CLI asks before handing work over)', async () => {
    const body = await (await api.request('/api/health/live')).json();
    expect(body).toEqual({ version: '9.9.9', db: 'test.duckdb' });
  });
});

describe('GET /api/metrics', () => {
  it('lists every named SQL metric with its description, formula and parameters', async () => {
    const body = await (await api.request('/api/metrics')).json();
    const names = body.metrics.map((m: { name: string }) => m.name);
    expect(names).toEqual(
      expect.arrayContaining(['calls_offered', 'calls_answered', 'calls_abandoned', 'service_level', 'average_speed_of_answer', 'average_handle_time', 'satisfaction', 'calls_per_day'])
    );
    const sl = body.metrics.find((m: { name: string }) => m.name === 'service_level');
    expect(sl.formula.zh).toContain('放弃');
    expect(sl.formula.en).toContain('abandoned');
    expect(sl.parameters).toContainEqual({ name: 'threshold_s', type: 'integer', required: false, default: 20 });
    expect(sl.parameters).toContainEqual({ name: 'from', type: 'date', required: true, default: null });
  });
});

describe('headline metrics on the fixture (1–3 July 2026, Asia/Shanghai)', () => {
  it('offered counts inbound calls by local day, whatever their outcome', async () => {
    // c1–c6; c6 entered at 00:30 on 3 July local (16:30 UTC on the 2nd); c7 is outbound, c8 is in June.
    expect((await metric('calls_offered')).rows[0].value).toBe(6);
    expect((await metric('calls_offered', 'from=2026-07-01&to=2026-07-02')).rows[0].value).toBe(5);
    expect((await metric('calls_offered', `${RANGE}&queue=complaint`)).rows[0].value).toBe(2);
  });

  it('answered includes transferred calls; abandoned and the abandon rate', async () => {
    const answered = (await metric('calls_answered')).rows[0];
    expect(answered.value).toBe(3);
    expect(answered.answer_rate).toBeCloseTo(3 / 6, 10);
    const abandoned = (await metric('calls_abandoned')).rows[0];
    expect(abandoned.value).toBe(2);
    expect(abandoned.abandon_rate).toBeCloseTo(2 / 6, 10);
  });

  it('service level: answered within 20 s (20 s itself included) over all offered, abandons in the denominator', async () => {
    const row = (await metric('service_level')).rows[0];
    expect(row).toMatchObject({ answered_within: 2, offered: 6, abandoned: 2, threshold_s: 20 });
    expect(row.value).toBeCloseTo(2 / 6, 10);
    const strict = (await metric('service_level', `${RANGE}&threshold_s=15`)).rows[0];
    expect(strict.value).toBeCloseTo(1 / 6, 10);
  });

  it('average speed of answer over answered calls only', async () => {
    const row = (await metric('average_speed_of_answer')).rows[0];
    expect(row.value).toBeCloseTo((10 + 30 + 20) / 3, 10);
    expect(row.answered).toBe(3);
  });

  it('average handle time is talk + hold + wrap-up per answered call', async () => {
    const row = (await metric('average_handle_time')).rows[0];
    expect(row.value).toBeCloseTo((150 + 240 + 60) / 3, 10);
    expect(row.hold_s).toBeCloseTo(10, 10);
  });

  it('satisfaction is the share of 4s and 5s among responses, with the mean and the count', async () => {
    const row = (await metric('satisfaction')).rows[0];
    // Scores 5, 4, 2 (inbound) and 3 (outbound call's survey); c8's 1 is in June.
    expect(row.value).toBeCloseTo(2 / 4, 10);
    expect(row.mean_score).toBeCloseTo(3.5, 10);
    expect(row.responses).toBe(4);
  });

  it('an empty range gives zero counts and no rates rather than an error', async () => {
    const q = 'from=2025-01-01&to=2025-01-31';
    expect((await metric('calls_offered', q)).rows[0].value).toBe(0);
    expect((await metric('service_level', q)).rows[0].value).toBeNull();
    expect((await metric('satisfaction', q)).rows[0].value).toBeNull();
  });

  it('without from/to a metric covers the 30 days ending on the last day with calls', async () => {
    const body = await metric('calls_offered', '');
    expect(body.params).toMatchObject({ from: '2026-06-04', to: '2026-07-03' });
    expect(body.rows[0].value).toBe(7);
  });
});

describe('calls per day', () => {
  const expected = [
    { day: '2026-07-01', offered: 3, answered: 2, abandoned: 1 },
    { day: '2026-07-02', offered: 2, answered: 1, abandoned: 1 },
    { day: '2026-07-03', offered: 1, answered: 0, abandoned: 0 },
    { day: '2026-07-04', offered: 0, answered: 0, abandoned: 0 }
  ];

  it('returns one row per local day, days without calls as zero', async () => {
    expect((await metric('calls_per_day', 'from=2026-07-01&to=2026-07-04')).rows).toEqual(expected);
  });

  it('as an Arrow IPC stream decodes to the same values as JSON', async () => {
    const res = await api.request('/api/metrics/calls_per_day?from=2026-07-01&to=2026-07-04', {
      headers: { accept: 'application/vnd.apache.arrow.stream' }
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expect(res.headers.get('server-timing')).toMatch(/sql/);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['day', 'offered', 'answered', 'abandoned']);
    const rows = table.toArray().map((r) => {
      const o = r.toJSON();
      return { ...o, day: new Date(o.day as number).toISOString().slice(0, 10) };
    });
    expect(rows).toEqual(expected);
  });
});

describe('errors share one JSON shape', () => {
  it('bad parameters → 400', async () => {
    for (const q of ['from=2026-13-01&to=2026-07-03', 'from=2026-07-03&to=2026-07-01', `${RANGE}&threshold_s=abc`, `${RANGE}&nonsense=1`]) {
      const res = await api.request(`/api/metrics/service_level?${q}`);
      expect(res.status, q).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toMatch(/\S/);
    }
  });

  it('unknown metric and unknown route → 404', async () => {
    const res = await api.request('/api/metrics/no_such_metric');
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('no_such_metric') });
    const other = await api.request('/api/nothing-here');
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('not_found');
  });

  it('the overview validates its query too', async () => {
    const res = await api.request('/api/overview?from=yesterday');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
  });
});

describe('GET /api/overview', () => {
  it('gives every headline figure with its formula for the range', async () => {
    const body = await (await api.request(`/api/overview?${RANGE}`)).json();
    expect(body.range).toEqual({ from: '2026-07-01', to: '2026-07-03' });
    const byName = Object.fromEntries(body.figures.map((f: { metric: string; row: { value: number } }) => [f.metric, f]));
    expect(byName.calls_offered.row.value).toBe(6);
    expect(byName.service_level.row.value).toBeCloseTo(2 / 6, 10);
    expect(byName.satisfaction.formula.en).toMatch(/4 or 5/);
  });
});
