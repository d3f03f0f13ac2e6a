// /api/qa over HTTP (no server: api.request): validation errors, the draw, the queue, the review
// form with auto-QA, reviews, disputes and the recording with byte ranges.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../web/lib/server/api/index.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { DEFAULT_SCORECARD, scorecardItems } from '../web/lib/server/qa/scorecard.ts';
import { qaWarehouse } from './qa-fixture.ts';

let warehouse: Warehouse;
let dir: string;
let api: Api;
const savedEnv = process.env.ZHIJIAN_RECORDINGS;

beforeAll(async () => {
  ({ warehouse, dir } = await qaWarehouse());
  const recordings = path.join(dir, 'recordings');
  fs.mkdirSync(recordings);
  fs.writeFileSync(path.join(recordings, 'q1.wav'), Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)));
  fs.writeFileSync(path.join(dir, 'secret.wav'), 'not a recording');
  process.env.ZHIJIAN_RECORDINGS = recordings;
  await warehouse.run(`UPDATE calls SET recording = '../secret.wav' WHERE call_id = 'q2'`);
  api = createApi({ warehouse });
});
afterAll(() => {
  process.env.ZHIJIAN_RECORDINGS = savedEnv;
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const full = () => scorecardItems(DEFAULT_SCORECARD).map((i) => ({ item_id: i.id, score: Math.max(...i.scores), na: false }));

describe('scorecards', () => {
  it('serves the default scorecard and refuses a broken edit with the reason', async () => {
    const body = await (await api.request('/api/qa/scorecard')).json();
    expect(body.scorecard).toMatchObject({ id: 'standard', version: 1 });
    const bad = structuredClone(body.scorecard.definition);
    bad.sections[0].items[0].scores = [10];
    const res = await api.request('/api/qa/scorecard', json('PUT', { actor: '管理员', definition: bad }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('at least two allowed scores');
  });
});

describe('draw, queue and review form', () => {
  it('refuses a draw without reviewers', async () => {
    const res = await api.request('/api/qa/samples', json('POST', { period: 'week', per_agent: 2, reviewers: [], actor: 'x' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^reviewers:/);
  });

  it('draws, auto-checks the drawn calls and fills the reviewers\' queues', async () => {
    const res = await api.request('/api/qa/samples', json('POST', { period: 'week', date: '2026-07-07', per_agent: 3, seed: 'api', reviewers: ['王芳', '刘洋'], actor: '组长' }));
    expect(res.status).toBe(200);
    const draw = await res.json();
    expect(draw.calls).toHaveLength(5);
    expect((await warehouse.one<{ n: number }>(`SELECT count(DISTINCT call_id) AS n FROM qa_auto_results`))!.n).toBe(5);
    const a = await (await api.request(`/api/qa/queue?reviewer=${encodeURIComponent('王芳')}`)).json();
    const b = await (await api.request(`/api/qa/queue?reviewer=${encodeURIComponent('刘洋')}`)).json();
    expect(a.progress.assigned + b.progress.assigned).toBe(5);
    expect((await (await api.request('/api/qa/reviewers')).json()).reviewers).toEqual(['刘洋', '王芳']);
    const summary = await (await api.request(`/api/qa/samples/${draw.sample_id}`)).json();
    expect(summary.agents.map((x: { agent_id: string; drawn: number }) => [x.agent_id, x.drawn])).toEqual([['1001', 3], ['1002', 2]]);
  });

  it('the review form carries call facts, the transcript with redactions and auto-QA evidence', async () => {
    const form = await (await api.request('/api/qa/calls/q3?reviewer=' + encodeURIComponent('王芳'))).json();
    expect(form.call).toMatchObject({ agent_name: '李娜', queue_name: '投诉建议', has_audio: false, tickets: [{ ticket_id: 'TK-9001', type: 'complaint' }] });
    expect(form.transcript[0]).toMatchObject({ seq: 0, speaker: 'agent', start_ms: expect.any(Number) });
    const forbidden = form.auto.find((r: { rule: string }) => r.rule === 'forbidden');
    expect(forbidden.passed).toBe(false);
    expect(forbidden.evidence.map((e: { note: string }) => e.note)).toContain('不行');
    expect(form.review).toBeNull();
    const phone = (await (await api.request('/api/qa/calls/q1')).json()).transcript.find((u: { redactions: unknown[] }) => u.redactions.length);
    expect(phone.text.slice(phone.redactions[0].start, phone.redactions[0].end)).toBe('[手机号]');
  });

  it('a submitted review cannot be saved again (409); unknown calls are 404', async () => {
    const first = await api.request('/api/qa/reviews', json('POST', { reviewer: '王芳', call_id: 'q3', items: full(), submit: true, advice: '注意服务禁语' }));
    expect(first.status).toBe(200);
    const again = await api.request('/api/qa/reviews', json('POST', { reviewer: '王芳', call_id: 'q3', items: full(), submit: true }));
    expect(again.status).toBe(409);
    expect((await api.request('/api/qa/calls/nope')).status).toBe(404);
  });

  it('disputes and arbitration over HTTP keep every version', async () => {
    const review = (await (await api.request('/api/qa/calls/q3?reviewer=' + encodeURIComponent('王芳'))).json()).review;
    const wrong = await api.request(`/api/qa/reviews/${review.review_id}/disputes`, json('POST', { agent: '1001', item_id: 'closing', reason: 'x' }));
    expect(wrong.status).toBe(403);
    const opened = await (await api.request(`/api/qa/reviews/${review.review_id}/disputes`, json('POST', { agent: '1002', item_id: 'ownership', reason: '已转投诉处理席跟进' }))).json();
    const decided = await api.request(`/api/qa/disputes/${opened.dispute.dispute_id}/decision`, json('POST', { arbitrator: '组长', accept: true, score: 5, reason: '部分采纳' }));
    expect(decided.status).toBe(200);
    const history = await (await api.request(`/api/qa/reviews/${review.review_id}`)).json();
    expect(history.versions.map((v: { version: number; score: number }) => [v.version, v.score])).toEqual([[1, 100], [2, 95]]);
    expect(history.disputes[0]).toMatchObject({ status: 'accepted', result_version: 2 });
    expect((await (await api.request('/api/qa/disputes?status=open')).json()).disputes).toEqual([]);
  });
});

describe('recordings', () => {
  it('serves the file with byte ranges for seeking', async () => {
    const whole = await api.request('/api/qa/calls/q1/audio');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    const part = await api.request('/api/qa/calls/q1/audio', { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect([...new Uint8Array(await part.arrayBuffer())].slice(0, 3)).toEqual([100, 101, 102]);
    expect((await api.request('/api/qa/calls/q1/audio', { headers: { range: 'bytes=5000-' } })).status).toBe(416);
  });
  it('a call without a file, or naming a file outside the recordings folder, has no audio', async () => {
    expect((await api.request('/api/qa/calls/q3/audio')).status).toBe(404);
    expect((await api.request('/api/qa/calls/q2/audio')).status).toBe(404);
  });
});
