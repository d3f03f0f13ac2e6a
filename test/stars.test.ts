// The star list (明星榜): empirical-Bayes shrinkage keeps three lucky calls from topping three
// hundred good ones; the named SQL components and the weights stored per month.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, rankAgents, shrink, type AgentInput, type Weights } from '../web/lib/stars/ranking.ts';
import { createApi } from '../web/lib/server/api/index.ts';
import { listAudit } from '../web/lib/server/auth/audit.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { kpiWarehouse } from './kpi-fixture.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

function agent(id: string, team: string, calls: number, rates: { sat: number; fcr: number; qa: number; aht: number }): AgentInput {
  const responses = Math.round(calls * 0.5) || calls;
  const reviews = Math.max(1, Math.round(calls / 20));
  return {
    agent_id: id, agent_name: id, team_id: team, team_name: team,
    answered: calls,
    handle_s_total: rates.aht * calls,
    // Handle times spread ±60 s around the mean.
    handle_s_sq_total: calls * (rates.aht ** 2 + 3600),
    responses, satisfied: Math.round(responses * rates.sat),
    fcr_judged: calls, fcr_resolved: Math.round(calls * rates.fcr),
    qa_reviews: reviews, qa_score_sum: rates.qa * reviews, qa_score_sq_sum: reviews * (rates.qa ** 2 + (rates.qa === 100 ? 0 : 25)),
    complaints: 0,
    days_due: 20, days_present: 20
  };
}

const noVolume: Weights = { ...DEFAULT_WEIGHTS, volume: 0 };

describe('rankAgents', () => {
  const team = [
    agent('lucky', 'T1', 3, { sat: 1, fcr: 1, qa: 100, aht: 240 }),
    agent('steady', 'T1', 300, { sat: 0.93, fcr: 0.9, qa: 94, aht: 250 }),
    agent('avg1', 'T1', 200, { sat: 0.8, fcr: 0.75, qa: 85, aht: 300 }),
    agent('avg2', 'T1', 150, { sat: 0.78, fcr: 0.8, qa: 82, aht: 320 }),
    agent('avg3', 'T1', 250, { sat: 0.85, fcr: 0.7, qa: 88, aht: 280 }),
    agent('weak', 'T1', 180, { sat: 0.65, fcr: 0.6, qa: 75, aht: 360 })
  ];

  it('an agent with 3 perfect calls does not top one with 300 very good ones, volume weighing nothing', () => {
    // Unshrunk, "lucky" is best on every component.
    expect(team[0].satisfied / team[0].responses).toBeGreaterThan(team[1].satisfied / team[1].responses);
    const ranked = rankAgents(team, noVolume);
    const rank = Object.fromEntries(ranked.map((r) => [r.agent_id, r]));
    expect(ranked[0].agent_id).toBe('steady');
    expect(rank.lucky.rank).toBeGreaterThan(rank.steady.rank);
    // The few calls show as a wide interval and a value pulled toward the team.
    expect(rank.lucky.high - rank.lucky.low).toBeGreaterThan(rank.steady.high - rank.steady.low);
    expect(rank.lucky.components.satisfaction.value).toBeLessThan(0.95);
    expect(rank.lucky.components.satisfaction.raw).toBe(1);
    expect(rank.weak.rank).toBe(6);
  });

  it('shrinkage: large samples keep their own mean, small ones move to the team mean', () => {
    const est = shrink(
      [
        { n: 3, sum: 3, sumSq: 3 },
        { n: 1000, sum: 900, sumSq: 900 },
        { n: 1000, sum: 700, sumSq: 700 },
        { n: 1000, sum: 800, sumSq: 800 }
      ],
      ['T', 'T', 'T', 'T']
    );
    expect(est[1].value).toBeCloseTo(0.9, 2);
    expect(est[0].value).toBeLessThan(0.95);
    expect(est[0].value).toBeGreaterThan(0.8);
    expect(est[0].low).toBeLessThan(est[0].value);
  });

  it('weights change the order: all weight on handle time puts the fastest first', () => {
    const fast = rankAgents(team, { qa: 0, satisfaction: 0, fcr: 0, handle_time: 1, volume: 0, complaints: 0, attendance: 0 });
    expect(fast[0].agent_id).toBe('steady'); // 250 s over 300 calls beats 240 s over 3
    expect(fast.at(-1)!.agent_id).toBe('weak');
    const volume = rankAgents(team, { qa: 0, satisfaction: 0, fcr: 0, handle_time: 0, volume: 1, complaints: 0, attendance: 0 });
    expect(volume.map((r) => r.agent_id)).toEqual(['steady', 'avg3', 'avg1', 'weak', 'avg2', 'lucky']);
  });
});

describe('the star list on the warehouse', () => {
  let warehouse: Warehouse;
  let dir: string;
  let api: SignedIn; // a manager: publishes the star list
  let agent: SignedIn;
  beforeAll(async () => {
    ({ warehouse, dir } = await kpiWarehouse());
    const app = createApi({ warehouse });
    api = await signedIn(app, (await addAccount(warehouse, 'manager')).username);
    agent = await signedIn(app, (await addAccount(warehouse, 'agent', { agent_id: 'A1' })).username);
  });
  afterAll(() => {
    warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('star_components per agent from the same definitions as the KPIs', async () => {
    const res = await api.request('/api/metrics/star_components?from=2024-02-01&to=2024-02-29');
    const rows = (await res.json()).rows;
    // February: A1 answered k1, k5; A2 k2; A3 k6 (k9 is outbound).
    expect(rows.map((r: Record<string, unknown>) => [r.agent_id, r.answered, r.responses, r.satisfied, r.fcr_judged, r.fcr_resolved])).toEqual([
      ['A1', 2, 2, 1, 2, 1],
      ['A2', 1, 2, 2, 1, 1],
      ['A3', 1, 0, 0, 1, 0]
    ]);
  });

  it('ranks a month, and weights saved for a month apply from it on, earlier months keeping theirs', async () => {
    const feb = await (await api.request('/api/stars?month=2024-02')).json();
    expect(feb.agents.map((a: { agent_id: string }) => a.agent_id).sort()).toEqual(['A1', 'A2', 'A3']);
    expect(feb.weights).toEqual(DEFAULT_WEIGHTS);
    const a2 = feb.agents.find((a: { agent_id: string }) => a.agent_id === 'A2');
    expect(a2.components.attendance).toMatchObject({ raw: 0, n: 1 }); // one day due (the other on leave), absent
    const weights = { ...DEFAULT_WEIGHTS, qa: 0, volume: 40 };
    const put = await api.request('/api/stars/weights', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ month: '2024-03', weights }) });
    expect(put.status, await put.clone().text()).toBe(200);
    expect((await (await api.request('/api/stars?month=2024-04')).json()).weights).toEqual(weights);
    expect((await (await api.request('/api/stars?month=2024-02')).json()).weights).toEqual(DEFAULT_WEIGHTS);
    const bad = await api.request('/api/stars/weights', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ month: '2024-03', weights: { ...weights, qa: -1 } }) });
    expect(bad.status).toBe(400);
  });

  it('records who saved weights, with the month’s weights before and after; a refused change records nothing', async () => {
    const first = { ...DEFAULT_WEIGHTS, qa: 10 };
    expect((await api.send('PUT', '/api/stars/weights', { month: '2024-05', weights: first })).status).toBe(200);
    const second = { ...first, volume: 5 };
    expect((await api.send('PUT', '/api/stars/weights', { month: '2024-05', weights: second })).status).toBe(200);
    const records = await listAudit(warehouse, { action: 'stars.weights', target: 'stars:2024-05' });
    expect(records.map((r) => [r.actor, r.before, r.after])).toEqual([
      ['test-manager', first, second], // newest first
      ['test-manager', null, first]
    ]);
    const n = (await listAudit(warehouse, { action: 'stars.weights' })).length;
    expect((await agent.send('PUT', '/api/stars/weights', { month: '2024-05', weights: DEFAULT_WEIGHTS })).status).toBe(403);
    expect((await api.send('PUT', '/api/stars/weights', { month: '2024-05', weights: { ...first, qa: -1 } })).status).toBe(400);
    expect((await listAudit(warehouse, { action: 'stars.weights' })).length).toBe(n);
  });
});
