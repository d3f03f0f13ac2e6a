// An agent sees their own calls and reviews and nobody else's, through any route: every GET API
// route is asked about the other agent's call, review and dispute, the workbench and the
// exports are refused, and the QA pages' loads give only the agent's own data.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../web/lib/server/api/index.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { DEFAULT_SCORECARD, scorecardItems } from '../web/lib/server/qa/scorecard.ts';
import { saveReview, openDispute } from '../web/lib/server/qa/reviews.ts';
import { getUser, type User } from '../web/lib/server/auth/users.ts';
import { setWarehouse } from '../web/lib/server/instance.ts';
import { qaWarehouse } from './qa-fixture.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

let warehouse: Warehouse;
let dir: string;
let api: Api;
let zhangwei: SignedIn; // agent 1001
let user1001: User;
let otherReview: number;
let ownReview: number;
let otherDispute: number;

const full = () => scorecardItems(DEFAULT_SCORECARD).map((i) => ({ item_id: i.id, score: Math.max(...i.scores), na: false }));

beforeAll(async () => {
  ({ warehouse, dir } = await qaWarehouse());
  await addAccount(warehouse, 'agent', { username: 'zhangwei', agent_id: '1001' });
  await addAccount(warehouse, 'agent', { username: 'lina', agent_id: '1002' });
  // 1002's call q3 and 1001's call q1 are reviewed; 1002 disputes theirs.
  otherReview = (await saveReview(warehouse, { call_id: 'q3', items: full(), submit: true, advice: '李娜的评语' }, 'wangfang')).review_id;
  ownReview = (await saveReview(warehouse, { call_id: 'q1', items: full(), submit: true, advice: '张伟的评语' }, 'wangfang')).review_id;
  otherDispute = (await openDispute(warehouse, { review_id: otherReview, item_id: 'closing', reason: '李娜的申诉理由' }, '1002', 'lina')).dispute_id;
  api = createApi({ warehouse });
  setWarehouse(warehouse); // the page loads below ask the process for its warehouse
  zhangwei = await signedIn(api, 'zhangwei');
  user1001 = (await getUser(warehouse, 'zhangwei'))!;
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What would show that 1002's data leaked: their call, their name, their review's advice, their dispute. */
const LEAKS = ['q3', '李娜', '李娜的评语', '李娜的申诉理由', '"1002"'];
/** A refusal may repeat what was asked for ("no call q3"), never more. */
const LEAKS_IN_REFUSALS = ['李娜', '李娜的评语', '李娜的申诉理由'];

describe("an agent reading another agent's data through the API", () => {
  it('gets nothing of it from any GET route, whatever the parameters name', async () => {
    const params: Record<string, string> = { id: 'q3', name: 'call_list', version: '1', seq: '0', span: '0', ticket: 'TK-9001', username: 'lina' };
    const gets = [...new Set(api.routes.filter((r) => r.method === 'GET').map((r) => r.path))];
    expect(gets.length).toBeGreaterThan(25);
    for (const pattern of gets) {
      const paths = [pattern.replace('/scorecards/:id/', '/scorecards/standard/').replace(/:(\w+)/g, (_, p) => params[p])];
      if (pattern === '/api/qa/reviews/:id') paths.push(`/api/qa/reviews/${otherReview}`);
      if (pattern.includes(':name')) paths.push(pattern.replace(':name', 'call_list') + '?agent=1002&format=csv');
      if (pattern === '/api/qa/disputes') paths.push('/api/qa/disputes?agent=1002', '/api/qa/disputes?status=open');
      if (pattern === '/api/qa/queue') paths.push('/api/qa/queue?reviewer=wangfang');
      if (pattern === '/api/qa/calls/:id') paths.push('/api/qa/calls/q3?reviewer=wangfang');
      for (const p of paths) {
        const res = await zhangwei.request(p);
        const body = await res.text();
        for (const leak of res.ok ? LEAKS : LEAKS_IN_REFUSALS) expect({ path: p, status: res.status, leaked: body.includes(leak) ? leak : null }).toMatchObject({ path: p, leaked: null });
      }
    }
  });

  it('their own call and review are there', async () => {
    const form = await (await zhangwei.request('/api/qa/calls/q1?reviewer=wangfang')).json();
    expect(form.review).toMatchObject({ review_id: ownReview, agent_id: '1001', advice: '张伟的评语' });
    expect((await zhangwei.request(`/api/qa/reviews/${ownReview}`)).status).toBe(200);
  });

  it('the SQL workbench and its exports are refused to agents (analysts only)', async () => {
    const sql = "SELECT * FROM qa_reviews WHERE agent_id = '1002'";
    for (const [path, body] of [['/api/sql', { sql }], ['/api/sql/export', { sql, format: 'csv' }], ['/api/sql/saved', { name: 'x', sql }]] as const) {
      const res = await zhangwei.send('POST', path, body);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    expect((await zhangwei.request('/api/metrics/call_list?agent=1002&format=csv')).status).toBe(403);
  });

  it('cannot dispute the other agent’s review', async () => {
    const res = await zhangwei.send('POST', `/api/qa/reviews/${otherReview}/disputes`, { item_id: 'closing', reason: 'x' });
    expect(res.status).toBe(403);
    expect(otherDispute).toBeGreaterThan(0);
  });
});

describe("an agent's QA pages (their server loads)", () => {
  it("/qa/agent shows their own reviews whatever ?agent= asks for", async () => {
    const { load } = await import('../web/routes/qa/agent/+page.server.ts');
    const data = (await load({ url: new URL('http://x/qa/agent?agent=1002'), locals: { user: user1001 } } as never)) as { agentId: string; agents: unknown[]; qa: { reviews: Array<{ call_id: string }> } };
    expect(data.agentId).toBe('1001');
    expect(data.agents).toEqual([]);
    expect(data.qa.reviews.map((r) => r.call_id)).toEqual(['q1']);
    expect(JSON.stringify(data)).not.toContain('李娜');
  });

  it("/qa/review/[call] of another agent's call is not found", async () => {
    const { load } = await import('../web/routes/qa/review/[call]/+page.server.ts');
    const event = (call: string) => ({ params: { call }, url: new URL(`http://x/qa/review/${call}?reviewer=wangfang`), locals: { user: user1001 } }) as never;
    await expect(load(event('q3'))).rejects.toMatchObject({ status: 404 });
    const own = (await load(event('q1'))) as { editable: boolean; canListen: boolean; form: { review: { agent_id: string } } };
    expect(own).toMatchObject({ editable: false, canListen: false, form: { review: { agent_id: '1001' } } });
  });
});
