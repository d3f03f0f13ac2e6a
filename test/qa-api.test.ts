// /api/qa over HTTP (no server: api.request), each request as a signed-in user: validation
// errors, the draw, the queue, the review form with auto-QA, reviews, disputes and the
// recording with byte ranges; who acts comes from the session, never from the request body.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../web/lib/server/api/index.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { DEFAULT_SCORECARD, scorecardItems } from '../web/lib/server/qa/scorecard.ts';
import { qaWarehouse } from './qa-fixture.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';
import { listAudit } from '../web/lib/server/auth/audit.ts';

let warehouse: Warehouse;
let dir: string;
let api: Api;
let admin: SignedIn, wangfang: SignedIn, liuyang: SignedIn, lead: SignedIn, agent1001: SignedIn, agent1002: SignedIn;
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
  await addAccount(warehouse, 'admin', { username: 'admin' });
  await addAccount(warehouse, 'reviewer', { username: 'wangfang', display_name: '王芳' });
  await addAccount(warehouse, 'reviewer', { username: 'liuyang', display_name: '刘洋' });
  await addAccount(warehouse, 'manager', { username: 'zuzhang', display_name: '组长' });
  await addAccount(warehouse, 'agent', { username: 'zhangwei', agent_id: '1001' });
  await addAccount(warehouse, 'agent', { username: 'lina', agent_id: '1002' });
  [admin, wangfang, liuyang, lead, agent1001, agent1002] = await Promise.all(
    ['admin', 'wangfang', 'liuyang', 'zuzhang', 'zhangwei', 'lina'].map((u) => signedIn(api, u))
  );
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
    const body = await (await wangfang.request('/api/qa/scorecard')).json();
    expect(body.scorecard).toMatchObject({ id: 'standard', version: 1 });
    const bad = structuredClone(body.scorecard.definition);
    bad.sections[0].items[0].scores = [10];
    const res = await admin.send('PUT', '/api/qa/scorecard', { definition: bad });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('at least two allowed scores');
  });

  it('a saved scorecard version names the administrator who saved it, in the table and the audit trail', async () => {
    const card = (await (await admin.request('/api/qa/scorecard')).json()).scorecard.definition;
    card.pass_mark = 85;
    const saved = await (await admin.send('PUT', '/api/qa/scorecard', { definition: card })).json();
    expect(saved.scorecard.version).toBe(2);
    const versions = (await (await admin.request('/api/qa/scorecard')).json()).versions;
    expect(versions.at(-1)).toMatchObject({ version: 2, created_by: 'admin' });
    const [record] = await listAudit(warehouse, { action: 'scorecard.save', actor: 'admin' });
    expect(record).toMatchObject({ target: 'scorecard:standard', before: { version: 1 }, after: { version: 2, definition: { pass_mark: 85 } } });
    expect((record.before as { definition: { pass_mark: number } }).definition.pass_mark).not.toBe(85);
  });
});

describe('draw, queue and review form', () => {
  it('refuses a draw without reviewers, or naming someone who is not a reviewer account', async () => {
    const res = await wangfang.send('POST', '/api/qa/samples', { period: 'week', per_agent: 2, reviewers: [] });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^reviewers:/);
    const stranger = await wangfang.send('POST', '/api/qa/samples', { period: 'week', per_agent: 2, reviewers: ['wangfang', 'nobody'] });
    expect(stranger.status).toBe(400);
    expect((await stranger.json()).error.message).toContain('not a reviewer account: nobody');
    // Who draws is the session's user: an "actor" field is not accepted.
    expect((await wangfang.send('POST', '/api/qa/samples', { period: 'week', per_agent: 2, reviewers: ['wangfang'], actor: 'x' })).status).toBe(400);
  });

  it("draws, auto-checks the drawn calls and fills each reviewer's own queue", async () => {
    const res = await wangfang.send('POST', '/api/qa/samples', { period: 'week', date: '2026-07-07', per_agent: 3, seed: 'api', reviewers: ['wangfang', 'liuyang'] });
    expect(res.status).toBe(200);
    const draw = await res.json();
    expect(draw.calls).toHaveLength(5);
    expect((await warehouse.one<{ n: number }>(`SELECT count(DISTINCT call_id) AS n FROM qa_auto_results`))!.n).toBe(5);
    const a = await (await wangfang.request('/api/qa/queue')).json();
    const b = await (await liuyang.request('/api/qa/queue')).json();
    expect(a.reviewer).toBe('wangfang');
    expect(a.progress.assigned + b.progress.assigned).toBe(5);
    // A reviewer works their own queue; an administrator may look at anyone's.
    expect((await wangfang.request('/api/qa/queue?reviewer=liuyang')).status).toBe(403);
    expect((await (await admin.request('/api/qa/queue?reviewer=liuyang')).json()).progress.assigned).toBe(b.progress.assigned);
    expect((await (await wangfang.request('/api/qa/reviewers')).json()).reviewers).toEqual([
      { username: 'liuyang', display_name: '刘洋' },
      { username: 'wangfang', display_name: '王芳' }
    ]);
    const summary = await (await wangfang.request(`/api/qa/samples/${draw.sample_id}`)).json();
    expect(summary.agents.map((x: { agent_id: string; drawn: number }) => [x.agent_id, x.drawn])).toEqual([['1001', 3], ['1002', 2]]);
    const [record] = await listAudit(warehouse, { action: 'qa.sample' });
    expect(record).toMatchObject({ actor: 'wangfang', target: `sample:${draw.sample_id}`, after: { calls: 5, reviewers: ['wangfang', 'liuyang'] } });
  });

  it('the review form carries call facts, the transcript with redactions and auto-QA evidence', async () => {
    const form = await (await wangfang.request('/api/qa/calls/q3')).json();
    expect(form.call).toMatchObject({ agent_name: '李娜', queue_name: '投诉建议', has_audio: false, tickets: [{ ticket_id: 'TK-9001', type: 'complaint' }] });
    expect(form.transcript[0]).toMatchObject({ seq: 0, speaker: 'agent', start_ms: expect.any(Number) });
    const forbidden = form.auto.find((r: { rule: string }) => r.rule === 'forbidden');
    expect(forbidden.passed).toBe(false);
    expect(forbidden.evidence.map((e: { note: string }) => e.note)).toContain('不行');
    expect(form.review).toBeNull();
    const phone = (await (await wangfang.request('/api/qa/calls/q1')).json()).transcript.find((u: { redactions: unknown[] }) => u.redactions.length);
    expect(phone.text.slice(phone.redactions[0].start, phone.redactions[0].end)).toBe('[手机号]');
  });

  it('a review is saved as the signed-in reviewer; a submitted one cannot be saved again (409); unknown calls are 404', async () => {
    const draft = await wangfang.send('POST', '/api/qa/reviews', { call_id: 'q3', items: full().slice(0, 3), advice: null });
    expect(draft.status).toBe(200);
    // Someone else's draft is their working copy: the agent and other reviewers do not see it.
    expect((await (await liuyang.request('/api/qa/calls/q3?reviewer=wangfang')).json()).review).toBeNull();
    const first = await wangfang.send('POST', '/api/qa/reviews', { call_id: 'q3', items: full(), submit: true, advice: '注意服务禁语' });
    expect(first.status).toBe(200);
    expect((await first.json()).review).toMatchObject({ reviewer: 'wangfang', status: 'submitted', score: 100 });
    const again = await wangfang.send('POST', '/api/qa/reviews', { call_id: 'q3', items: full(), submit: true });
    expect(again.status).toBe(409);
    expect((await wangfang.request('/api/qa/calls/nope')).status).toBe(404);
    // The body cannot name another reviewer.
    expect((await liuyang.send('POST', '/api/qa/reviews', { reviewer: 'wangfang', call_id: 'q4', items: full() })).status).toBe(400);
    const trail = await listAudit(warehouse, { target: 'review:' });
    expect(trail.map((r) => [r.actor, r.action])).toEqual([['wangfang', 'review.submit'], ['wangfang', 'review.save_draft']]);
    expect(trail[0].before).toMatchObject({ status: 'draft' });
    expect(trail[0].after).toMatchObject({ status: 'submitted', score: 100, advice: '注意服务禁语' });
  });

  it('disputes and arbitration over HTTP keep every version, and each step is in the audit trail', async () => {
    const review = (await (await agent1002.request('/api/qa/calls/q3?reviewer=wangfang')).json()).review;
    expect(review).toMatchObject({ reviewer: 'wangfang', status: 'submitted' });
    // Only the reviewed agent disputes: agent 1001 is told the review does not exist (not theirs).
    expect((await agent1001.request(`/api/qa/reviews/${review.review_id}`)).status).toBe(404);
    const wrong = await agent1001.send('POST', `/api/qa/reviews/${review.review_id}/disputes`, { item_id: 'closing', reason: 'x' });
    expect(wrong.status).toBe(403);
    const opened = await (await agent1002.send('POST', `/api/qa/reviews/${review.review_id}/disputes`, { item_id: 'ownership', reason: '已转投诉处理席跟进' })).json();
    expect(opened.dispute).toMatchObject({ agent_id: '1002', status: 'open' });
    // The reviewer cannot arbitrate their own review, nor can an agent.
    expect((await wangfang.send('POST', `/api/qa/disputes/${opened.dispute.dispute_id}/decision`, { accept: true, score: 5, reason: 'x' })).status).toBe(403);
    expect((await agent1002.send('POST', `/api/qa/disputes/${opened.dispute.dispute_id}/decision`, { accept: true, score: 5, reason: 'x' })).status).toBe(403);
    const decided = await lead.send('POST', `/api/qa/disputes/${opened.dispute.dispute_id}/decision`, { accept: true, score: 5, reason: '部分采纳' });
    expect(decided.status).toBe(200);
    const history = await (await agent1002.request(`/api/qa/reviews/${review.review_id}`)).json();
    expect(history.versions.map((v: { version: number; score: number }) => [v.version, v.score])).toEqual([[1, 100], [2, 95]]);
    expect(history.disputes[0]).toMatchObject({ status: 'accepted', result_version: 2, arbitrator: 'zuzhang' });
    expect((await (await lead.request('/api/qa/disputes?status=open')).json()).disputes).toEqual([]);
    // An agent's dispute list is theirs whatever they ask for.
    expect((await (await agent1001.request('/api/qa/disputes?agent=1002')).json()).disputes).toEqual([]);
    expect((await (await agent1002.request('/api/qa/disputes')).json()).disputes).toHaveLength(1);
    const trail = await listAudit(warehouse, { target: `dispute:${opened.dispute.dispute_id}` });
    expect(trail.map((r) => [r.actor, r.action])).toEqual([['zuzhang', 'dispute.accept'], ['lina', 'dispute.open']]);
    expect(trail[0].before).toMatchObject({ status: 'open', item_id: 'ownership', score: 10, review_score: 100 });
    expect(trail[0].after).toMatchObject({ status: 'accepted', score: 5, review_score: 95, review_version: 2 });
  });
});

describe('recordings', () => {
  it('serves the file with byte ranges for seeking, and records each listening (not each seek)', async () => {
    const before = (await listAudit(warehouse, { action: 'recording.listen' })).length;
    const whole = await wangfang.request('/api/qa/calls/q1/audio');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    const part = await wangfang.request('/api/qa/calls/q1/audio', { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect([...new Uint8Array(await part.arrayBuffer())].slice(0, 3)).toEqual([100, 101, 102]);
    expect((await wangfang.request('/api/qa/calls/q1/audio', { headers: { range: 'bytes=5000-' } })).status).toBe(416);
    const records = await listAudit(warehouse, { action: 'recording.listen' });
    expect(records.length - before).toBe(1);
    expect(records[0]).toMatchObject({ actor: 'wangfang', target: 'call:q1', after: { recording: 'q1.wav' } });
  });
  it('a call without a file, or naming a file outside the recordings folder, has no audio', async () => {
    expect((await wangfang.request('/api/qa/calls/q3/audio')).status).toBe(404);
    expect((await wangfang.request('/api/qa/calls/q2/audio')).status).toBe(404);
  });
  it('listening is its own permission: an agent may not play even their own call', async () => {
    expect((await agent1001.request('/api/qa/calls/q1/audio')).status).toBe(403);
    expect((await agent1001.request('/api/qa/calls/q1')).status).toBe(200);
  });
});
