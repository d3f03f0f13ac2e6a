// QA reports and the agent's page on hand-scored reviews: every figure below is worked out by hand.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { arbitrate, openDispute, saveReview } from '../web/lib/server/qa/reviews.ts';
import { DEFAULT_SCORECARD, scorecardItems } from '../web/lib/server/qa/scorecard.ts';
import { qaReport, reviewedRange } from '../web/lib/server/qa/reports.ts';
import { agentQa } from '../web/lib/server/qa/agent.ts';
import { qaWarehouse } from './qa-fixture.ts';

let warehouse: Warehouse;
let dir: string;
const items = (patch: Record<string, number> = {}) => scorecardItems(DEFAULT_SCORECARD).map((i) => ({ item_id: i.id, score: patch[i.id] ?? Math.max(...i.scores), na: false }));

beforeAll(async () => {
  ({ warehouse, dir } = await qaWarehouse());
  // q1's caller calls again 3 days later (a repeat contact); q3's only 10 days later (not within 7).
  await warehouse.run(`
    UPDATE calls SET caller_number = '13800000001' WHERE call_id = 'q1';
    UPDATE calls SET caller_number = '13900000002' WHERE call_id = 'q3';
    INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, caller_number, enqueued_at, ended_at, talk_s) VALUES
      ('later1', 'inbound', 'answered', 'consult', '1002', '13800000001', '2026-07-09 09:00:00+08', '2026-07-09 09:03:00+08', 180),
      ('later3', 'inbound', 'answered', 'complaint', '1001', '13900000002', '2026-07-17 09:00:00+08', '2026-07-17 09:03:00+08', 180);`);
  await warehouse.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  await saveReview(warehouse, { call_id: 'q1', items: items(), submit: true, advice: '保持' }, '王芳'); // 100
  await saveReview(warehouse, { call_id: 'q2', items: items({ hold: 0, no_forbidden: 0 }), submit: true, advice: '等待前说请稍等' }, '王芳'); // 85
  await saveReview(warehouse, { call_id: 'q3', items: items({ no_forbidden: 0, no_argue: 0 }), submit: true }, '刘洋'); // 90, red line
  await saveReview(warehouse, { call_id: 'q4', items: items(), submit: true }, '刘洋'); // 100
  const q5 = await saveReview(warehouse, { call_id: 'q5', items: items({ greeting: 0 }), submit: true }, '王芳'); // 90
  // Arbitration raises q5's greeting to 5: the reports use the new version (95).
  const d = await openDispute(warehouse, { review_id: q5.review_id, item_id: 'greeting', reason: 'I did greet' }, '1001');
  await arbitrate(warehouse, d.dispute_id, { accept: true, score: 5, reason: 'greeted, no agent number' }, '组长');
  // A draft does not count.
  await saveReview(warehouse, { call_id: 'later1', items: items({ accurate: 0 }) }, '王芳');
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('qaReport', () => {
  it('scores by agent, team and queue with intervals, the newest versions only', async () => {
    expect(await reviewedRange(warehouse)).toEqual({ from: '2026-07-06', to: '2026-07-08' });
    const r = await qaReport(warehouse, { from: '2026-07-01', to: '2026-07-31' });
    const g = (dim: string, key: string) => r.groups.find((x) => x.dimension === dim && x.key === key)!;
    // 1001: 100, 85, 95 → mean 93.33; sd = √(((6.67)² + (8.33)² + (1.67)²)/2) = 7.64; half = 4.303 × 7.64/√3 = 18.98.
    expect(g('agent', '1001')).toMatchObject({ name: '张伟', reviews: 3, critical_fails: 0 });
    expect(g('agent', '1001').interval).toEqual({ n: 3, mean: 93.33, low: 74.36, high: 100, not_enough_data: false });
    expect(g('agent', '1002')).toMatchObject({ reviews: 2, critical_fails: 1, interval: { n: 2, mean: 95, not_enough_data: true } });
    expect(g('team', 'T01')).toMatchObject({ name: '一组', reviews: 5 });
    expect(g('team', 'T01').interval.mean).toBe(94);
    expect(g('queue', 'consult').interval.mean).toBe(92.5);
    expect(g('queue', 'complaint').interval.mean).toBe(95);
    expect(r.weeks).toEqual([{ week: '2026-07-06', reviews: 5, critical_fails: 1, interval: expect.objectContaining({ n: 5, mean: 94 }) }]);
  });

  it('items that fail most, ranked by fail rate', async () => {
    const r = await qaReport(warehouse, { from: '2026-07-01', to: '2026-07-31' });
    expect(r.items.slice(0, 4).map((i) => [i.item_id, i.scored, i.failed, i.fail_rate])).toEqual([
      ['no_forbidden', 5, 2, 0.4],
      ['greeting', 5, 1, 0.2],
      ['hold', 5, 1, 0.2],
      ['no_argue', 5, 1, 0.2]
    ]);
    expect(r.items.find((i) => i.item_id === 'accurate')!.failed).toBe(0);
  });

  it('items against repeat contacts (7 days) and low survey scores', async () => {
    const r = await qaReport(warehouse, { from: '2026-07-01', to: '2026-07-31' });
    // no_forbidden failed on q2 (survey 2) and q3 (survey 1, caller back after 10 days); top score on q1 (caller back after 3 days), q4, q5.
    expect(r.outcomes.find((o) => o.item_id === 'no_forbidden')).toEqual({
      item_id: 'no_forbidden', failed_calls: 2, passed_calls: 3,
      repeat_rate_failed: 0, repeat_rate_passed: 1 / 3, low_survey_rate_failed: 1, low_survey_rate_passed: 0
    });
  });

  it('a range without reviews is empty', async () => {
    const r = await qaReport(warehouse, { from: '2026-08-01', to: '2026-08-31' });
    expect(r.groups).toEqual([]);
    expect(r.items).toEqual([]);
  });
});

describe("the agent's page", () => {
  it('own reviews (newest version), weekly scores, advice and disputes', async () => {
    const qa = await agentQa(warehouse, '1001');
    expect(qa.agent).toEqual({ agent_id: '1001', name: '张伟', team_name: '一组' });
    expect(qa.reviews.map((r) => [r.call_id, r.score, r.version, r.passed])).toEqual([
      ['q5', 95, 2, true],
      ['q2', 85, 1, true],
      ['q1', 100, 1, true]
    ]);
    expect(qa.reviews.find((r) => r.call_id === 'q2')!.advice).toBe('等待前说请稍等');
    expect(qa.weeks).toEqual([{ week: '2026-07-06', critical_fails: 0, interval: { n: 3, mean: 93.33, low: 74.36, high: 100, not_enough_data: false } }]);
    expect(qa.disputes).toHaveLength(1);
    expect(qa.disputes[0]).toMatchObject({ status: 'accepted', arbitrator: '组长', result_version: 2 });
  });
});
