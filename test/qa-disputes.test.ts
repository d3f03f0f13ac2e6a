// Reviews and disputes: a submitted review is frozen; a dispute changes a score only through
// arbitration, which writes a new version; every version stays readable.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { arbitrate, disputesOf, openDispute, reviewVersions, saveReview, type ReviewInput } from '../web/lib/server/qa/reviews.ts';
import { DEFAULT_SCORECARD, scorecardItems } from '../web/lib/server/qa/scorecard.ts';
import { qaWarehouse } from './qa-fixture.ts';

let warehouse: Warehouse;
let dir: string;
beforeAll(async () => ({ warehouse, dir } = await qaWarehouse()));
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const fullItems = () => scorecardItems(DEFAULT_SCORECARD).map((i) => ({ item_id: i.id, score: Math.max(...i.scores), na: false, comment: null }));
const withScore = (id: string, score: number | null, na = false) => fullItems().map((i) => (i.item_id === id ? { ...i, score, na } : i));

describe('reviews', () => {
  it('a draft can be saved again; it keeps one review id and version 1', async () => {
    const draft = await saveReview(warehouse, { call_id: 'q2', items: withScore('hold', 0).slice(0, 4), advice: null }, '王芳');
    expect(draft).toMatchObject({ status: 'draft', version: 1, agent_id: '1001', scorecard_version: 1 });
    const again = await saveReview(warehouse, { call_id: 'q2', items: withScore('hold', 0).slice(0, 6), advice: '注意等待礼仪' }, '王芳');
    expect(again.review_id).toBe(draft.review_id);
    expect(again.items).toHaveLength(6);
  });

  it('refuses to submit with items missing, then submits with every item', async () => {
    await expect(saveReview(warehouse, { call_id: 'q2', items: fullItems().slice(1), submit: true }, '王芳')).rejects.toThrow(/missing: greeting/);
    const input: ReviewInput = { call_id: 'q2', items: withScore('hold', 0), advice: '静音等待前请说“请稍等”。', submit: true };
    const done = await saveReview(warehouse, input, '王芳');
    // hold 0 of 5 (weight 5) → 95.
    expect(done).toMatchObject({ status: 'submitted', score: 95, outcome: 'pass', advice: '静音等待前请说“请稍等”。' });
    expect(done.submitted_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const stored = await warehouse.all(`SELECT item_id FROM qa_review_items WHERE review_id = $id`, { id: done.review_id });
    expect(stored).toHaveLength(scorecardItems(DEFAULT_SCORECARD).length);
  });

  it('keeps each item as given: its score, N/A, auto mark and comment, Chinese and quotes included', async () => {
    const items = fullItems().map((i, n) => (n === 0 ? { ...i, score: 5, comment: '开场白缺少"您好"，\'工号\'未报' } : i));
    const na = items.findIndex((i) => i.item_id === 'hold');
    items[na] = { ...items[na], score: 4, na: true, comment: null };
    const saved = await saveReview(warehouse, { call_id: 'q3', items: items.map((i, n) => ({ ...i, auto: n === 1 })), advice: null }, '王芳');
    const stored = await warehouse.all<{ item_id: string; score: number | null; na: boolean; auto: boolean; comment: string | null }>(
      `SELECT item_id, score, na, auto, comment FROM qa_review_items WHERE review_id = $id ORDER BY item_id`,
      { id: saved.review_id }
    );
    const want = items.map((i, n) => ({ item_id: i.item_id, score: i.na ? null : i.score, na: i.na, auto: n === 1, comment: i.comment })).sort((a, b) => (a.item_id < b.item_id ? -1 : 1));
    expect(stored).toEqual(want);
  });

  it('a submitted review cannot be edited by saving again', async () => {
    await expect(saveReview(warehouse, { call_id: 'q2', items: fullItems(), submit: true }, '王芳')).rejects.toThrow(/only through a dispute/);
  });
});

describe('disputes (申诉)', () => {
  let reviewId: number;

  beforeAll(async () => {
    const r = await saveReview(warehouse, { call_id: 'q1', items: withScore('greeting', 0).map((i) => (i.item_id === 'hold' ? { ...i, score: 5 } : i)), advice: '开场白要报工号', submit: true }, '王芳');
    reviewId = r.review_id;
    expect(r.score).toBe(90);
  });

  it('only the reviewed agent can dispute, with a reason, one open dispute per item', async () => {
    await expect(openDispute(warehouse, { review_id: reviewId, item_id: 'greeting', reason: '我报了工号' }, '1002')).rejects.toThrow(/only the reviewed agent/);
    await expect(openDispute(warehouse, { review_id: reviewId, item_id: 'greeting', reason: '  ' }, '1001')).rejects.toThrow(/reason/);
    const d = await openDispute(warehouse, { review_id: reviewId, item_id: 'greeting', reason: '录音第一句就报了工号，请复核。' }, '1001');
    expect(d).toMatchObject({ status: 'open', review_version: 1, item_id: 'greeting', agent_id: '1001' });
    await expect(openDispute(warehouse, { review_id: reviewId, item_id: 'greeting', reason: '再次申诉' }, '1001')).rejects.toThrow(/already has an open dispute/);
    // Opening a dispute changes no score.
    const versions = await reviewVersions(warehouse, reviewId);
    expect(versions.map((v) => [v.version, v.score])).toEqual([[1, 90]]);
  });

  it('neither the agent nor the reviewer may arbitrate; acceptance writes version 2 with the new score', async () => {
    const [open] = await disputesOf(warehouse, reviewId);
    await expect(arbitrate(warehouse, open.dispute_id, { accept: true, reason: 'ok', score: 10 }, '王芳')).rejects.toThrow(/neither the agent nor the reviewer/);
    await expect(arbitrate(warehouse, open.dispute_id, { accept: true, reason: 'ok', score: 7 }, '质检组长')).rejects.toThrow(/allows the scores/);
    const { dispute, review } = await arbitrate(warehouse, open.dispute_id, { accept: true, reason: '复听录音，开场已报工号。', score: 10 }, '质检组长');
    expect(dispute).toMatchObject({ status: 'accepted', arbitrator: '质检组长', new_score: 10, result_version: 2 });
    expect(review).toMatchObject({ version: 2, status: 'arbitrated', score: 100, reviewer: '王芳' });
    expect(review.reason).toContain('复听录音');
  });

  it('every version remains readable, with its own items', async () => {
    const versions = await reviewVersions(warehouse, reviewId);
    expect(versions.map((v) => [v.version, v.status, v.score])).toEqual([
      [1, 'submitted', 90],
      [2, 'arbitrated', 100]
    ]);
    expect(versions[0].items.find((i) => i.item_id === 'greeting')!.score).toBe(0);
    expect(versions[1].items.find((i) => i.item_id === 'greeting')!.score).toBe(10);
    expect(versions[1].advice).toBe('开场白要报工号');
  });

  it('a rejected dispute keeps the score and records the reason; a decided dispute cannot be decided again', async () => {
    const d = await openDispute(warehouse, { review_id: reviewId, item_id: 'closing', reason: '我说了再见' }, '1001');
    expect(d.review_version).toBe(2);
    const { dispute, review } = await arbitrate(warehouse, d.dispute_id, { accept: false, reason: '录音中没有道别。' }, '质检组长');
    expect(dispute).toMatchObject({ status: 'rejected', decision_reason: '录音中没有道别。', result_version: null });
    expect(review.version).toBe(2);
    expect((await reviewVersions(warehouse, reviewId)).length).toBe(2);
    await expect(arbitrate(warehouse, d.dispute_id, { accept: true, reason: 'x', score: 5 }, '质检组长')).rejects.toThrow(/already rejected/);
    expect((await disputesOf(warehouse, reviewId)).map((x) => x.status)).toEqual(['accepted', 'rejected']);
  });
});
