// Sampling: reproducible from the seed, never the same call twice, quotas, exclusions,
// oversampling by stratum weight, balanced reviewer workload, and the per-agent interval.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { allocate, assignReviewers, drawSample, periodBounds, scoreInterval } from '../web/lib/server/qa/sampling.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-qa-sampling-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Week of Mon 6 – Sun 12 July 2026. Agent 1001: 12 consult + 4 complaint calls, all long enough.
 * Agent 1002: 3 eligible calls. Also: abandoned calls, a 10 s call, and calls the week before and after.
 */
async function fixture(name: string): Promise<Warehouse> {
  const w = await Warehouse.open(path.join(dir, `${name}.duckdb`));
  const rows: string[] = [];
  const call = (id: string, agent: string | null, queue: string, disposition: string, day: string, talk: number, survey: number | null, resolved = true) =>
    rows.push(`('${id}', 'inbound', '${disposition}', '${queue}', ${agent ? `'${agent}'` : 'NULL'}, '${day} 10:00:00+08', '${day} 10:10:00+08', 5, ${talk}, ${survey ?? 'NULL'}, ${resolved})`);
  for (let i = 0; i < 12; i++) call(`a-c${String(i).padStart(2, '0')}`, '1001', 'consult', 'answered', `2026-07-0${6 + (i % 4)}`, 60 + i * 10, i === 3 ? 1 : 5, i % 3 !== 0);
  for (let i = 0; i < 4; i++) call(`a-p${i}`, '1001', 'complaint', 'answered', `2026-07-${10 + (i % 3)}`, 200 + i * 30, 2);
  call('b-1', '1002', 'consult', 'answered', '2026-07-07', 90, 4);
  call('b-2', '1002', 'consult', 'transferred', '2026-07-08', 120, null);
  call('b-3', '1002', 'complaint', 'answered', '2026-07-12', 300, 1);
  call('b-short', '1002', 'consult', 'answered', '2026-07-08', 10, 5);
  call('x-abandon', null, 'consult', 'abandoned', '2026-07-08', 0, null);
  call('x-abandon2', '1002', 'consult', 'abandoned', '2026-07-09', 0, null);
  call('x-before', '1001', 'consult', 'answered', '2026-07-05', 100, 5);
  call('x-after', '1001', 'consult', 'answered', '2026-07-13', 100, 5);
  await w.run(`
    INSERT INTO agents (agent_id, name, team_id) VALUES ('1001', '张伟', 'T01'), ('1002', '李娜', 'T01');
    INSERT INTO queues (queue_id, name, kind) VALUES ('consult', '业务咨询', 'consultation'), ('complaint', '投诉建议', 'complaint');
    INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, enqueued_at, ended_at, wait_s, talk_s, survey_score, resolved) VALUES ${rows.join(',\n')};`);
  await w.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  return w;
}

let a: Warehouse;
let b: Warehouse;
beforeAll(async () => {
  a = await fixture('a');
  b = await fixture('b');
});
afterAll(() => {
  a.close();
  b.close();
});

const request = { period: 'week' as const, date: '2026-07-08', per_agent: 4, reviewers: ['王芳', '刘洋'] };
const ids = (calls: Array<{ call_id: string }>) => calls.map((c) => c.call_id).sort();

describe('periods', () => {
  it('a week runs Monday to Sunday, a month its calendar days', () => {
    expect(periodBounds('week', '2026-07-08')).toEqual({ start: '2026-07-06', end: '2026-07-12' });
    expect(periodBounds('week', '2026-07-12')).toEqual({ start: '2026-07-06', end: '2026-07-12' });
    expect(periodBounds('month', '2026-02-14')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
  });
});

describe('drawSample', () => {
  let first: Awaited<ReturnType<typeof drawSample>>;

  it('is reproducible: the same seed on the same data draws the same calls and reviewers', async () => {
    first = await drawSample(a, { ...request, seed: 'july-w28' }, 'admin');
    const again = await drawSample(b, { ...request, seed: 'july-w28' }, 'admin');
    expect(ids(again.calls)).toEqual(ids(first.calls));
    expect(again.calls.map((c) => [c.call_id, c.reviewer]).sort()).toEqual(first.calls.map((c) => [c.call_id, c.reviewer]).sort());
    const stored = await a.one<{ seed: string; per_agent: number }>(`SELECT seed, per_agent FROM qa_samples WHERE sample_id = $id`, { id: first.sample_id });
    expect(stored).toEqual({ seed: 'july-w28', per_agent: 4 });
  });

  it('meets the quota per agent and says when an agent has too few calls', () => {
    expect(first.agents).toEqual([
      { agent_id: '1001', eligible: 16, drawn: 4, short: false },
      { agent_id: '1002', eligible: 3, drawn: 3, short: true }
    ]);
  });

  it('excludes abandoned and short calls and calls outside the period', () => {
    const drawn = ids(first.calls);
    for (const excluded of ['b-short', 'x-abandon', 'x-abandon2', 'x-before', 'x-after']) expect(drawn).not.toContain(excluded);
    expect(drawn).toEqual(expect.arrayContaining(['b-1', 'b-2', 'b-3']));
  });

  it('oversamples complaints: 4 of 16 calls are complaints, yet they take half of the stratified draw', () => {
    // Weights: 12 consult calls × 1 (one with survey 1: × 3) = 14; 4 complaints × 3 (queue) × 3 (survey 2) = 36.
    const agent = first.calls.filter((c) => c.agent_id === '1001');
    const complaints = agent.filter((c) => c.queue_id === 'complaint').length;
    expect(complaints).toBeGreaterThanOrEqual(2);
    expect(agent.find((c) => c.queue_id === 'complaint')!.weight).toBe(9);
  });

  it('never draws a call twice: a second draw of the same week takes other calls, then runs dry', async () => {
    const second = await drawSample(a, { ...request, seed: 'july-w28' }, 'admin');
    expect(ids(second.calls).filter((id) => ids(first.calls).includes(id))).toEqual([]);
    expect(second.agents.find((x) => x.agent_id === '1002')).toEqual({ agent_id: '1002', eligible: 0, drawn: 0, short: true });
    const third = await drawSample(a, { ...request, per_agent: 100, seed: 'more' }, 'admin');
    expect(third.agents.find((x) => x.agent_id === '1001')!.drawn).toBe(16 - 8);
    const dup = await a.one<{ n: number }>(`SELECT count(*) - count(DISTINCT call_id) AS n FROM qa_sample_calls`);
    expect(dup!.n).toBe(0);
  });

  it('a different seed draws a different set', async () => {
    const c = await fixture('c');
    try {
      const other = await drawSample(c, { ...request, seed: 'another-seed' }, 'admin');
      expect(ids(other.calls.filter((x) => x.agent_id === '1001'))).not.toEqual(ids(first.calls.filter((x) => x.agent_id === '1001')));
    } finally {
      c.close();
    }
  });
});

describe('allocation over strata', () => {
  it('is proportional to stratum weight with largest remainders, capped by stratum size', () => {
    const strata = [
      { stratum: 'consult/resolved', size: 10, weight: 10 },
      { stratum: 'complaint/resolved', size: 2, weight: 18 },
      { stratum: 'consult/unresolved', size: 5, weight: 5 }
    ];
    // 6 seats: exact shares 1.82, 3.27 (capped at 2), 0.91 → complaint 2, the rest shared by consult strata.
    const out = allocate(strata, 6);
    expect(out.get('complaint/resolved')).toBe(2);
    expect([...out.values()].reduce((x, y) => x + y, 0)).toBe(6);
    expect(out.get('consult/resolved')).toBe(3);
    expect(out.get('consult/unresolved')).toBe(1);
  });
});

describe('balanced assignment', () => {
  it('spreads listening time: no reviewer ends more than the longest call above another', () => {
    const calls = [600, 540, 420, 400, 300, 240, 200, 180, 120, 90, 60].map((talk_s, i) => ({ call_id: `c${i}`, talk_s }));
    const assigned = assignReviewers(calls, ['甲', '乙', '丙']);
    const load = (r: string) => assigned.filter((c) => c.reviewer === r).reduce((s, c) => s + c.talk_s, 0);
    const loads = ['甲', '乙', '丙'].map(load);
    expect(loads.reduce((x, y) => x + y, 0)).toBe(3150);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(600);
    // Longest first, each to the least loaded: 1020 / 1050 / 1080 s here.
    expect([...loads].sort()).toEqual([1020, 1050, 1080]);
  });
});

describe('score interval', () => {
  it('95 % t interval computed by hand: 80, 90, 100 → mean 90, sd 10, half-width 4.303 × 10 / √3 = 24.84', () => {
    expect(scoreInterval([80, 90, 100])).toEqual({ n: 3, mean: 90, low: 65.16, high: 100, not_enough_data: false });
    expect(scoreInterval([70, 74, 78, 82])).toEqual({ n: 4, mean: 76, low: 67.78, high: 84.22, not_enough_data: false });
  });
  it('says "not enough data" under three reviews', () => {
    expect(scoreInterval([95, 60])).toMatchObject({ n: 2, not_enough_data: true, low: null });
    expect(scoreInterval([])).toMatchObject({ n: 0, mean: null, not_enough_data: true });
  });
});
