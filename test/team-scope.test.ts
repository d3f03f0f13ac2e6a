// Team scopes: a manager or reviewer given teams sees only those teams' agents — their calls and
// reviews in QA, and every figure that can be filtered by team.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../web/lib/server/api/index.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { setWarehouse } from '../web/lib/server/instance.ts';
import { qaWarehouse } from './qa-fixture.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

let warehouse: Warehouse;
let dir: string;
let manager: SignedIn;
let reviewer: SignedIn;

beforeAll(async () => {
  ({ warehouse, dir } = await qaWarehouse());
  // A second team with its own agent and call.
  await warehouse.run(`
    INSERT INTO teams VALUES ('T02', '二组', NULL);
    INSERT INTO agents (agent_id, name, team_id, role) VALUES ('2001', '王强', 'T02', 'agent');
    INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, enqueued_at, answered_at, ended_at, wait_s, talk_s, hold_s)
    VALUES ('t2', 'inbound', 'answered', 'consult', '2001', '2026-07-07 11:00:00+08', '2026-07-07 11:00:05+08', '2026-07-07 11:03:00+08', 5, 175, 0)`);
  await warehouse.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  await addAccount(warehouse, 'manager', { username: 'lead1', teams: ['T01'] });
  await addAccount(warehouse, 'reviewer', { username: 'qa1', teams: ['T01'] });
  const api = createApi({ warehouse });
  manager = await signedIn(api, 'lead1');
  reviewer = await signedIn(api, 'qa1');
  setWarehouse(warehouse); // for the server hook below
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('QA in a team scope', () => {
  it("another team's call is not found; their own team's is there", async () => {
    expect((await reviewer.request('/api/qa/calls/t2')).status).toBe(404);
    expect((await manager.request('/api/qa/calls/t2')).status).toBe(404);
    expect((await reviewer.request('/api/qa/calls/q1')).status).toBe(200);
  });
});

describe('dashboards in a team scope', () => {
  const range = 'from=2026-07-06&to=2026-07-08';
  it("figures with a team filter are the manager's team's; another team is refused", async () => {
    const mine = await (await manager.request(`/api/metrics/call_list?${range}`)).json();
    expect(mine.params.team).toBe('T01');
    expect(mine.rows.map((r: { call_id: string }) => r.call_id)).not.toContain('t2');
    const other = await manager.request(`/api/metrics/call_list?${range}&team=T02`);
    expect(other.status).toBe(403);
    expect((await other.json()).error.message).toContain('team T02 is not one of yours (T01)');
  });

  it("the headline figures are the team's too (t2, answered by the other team, is not counted)", async () => {
    const offered = await (await manager.request(`/api/metrics/calls_offered?${range}`)).json();
    expect(offered.rows[0].value).toBe(5);
    expect((await manager.request(`/api/metrics/calls_offered?${range}&team=T02`)).status).toBe(403);
  });

  it("the overview's headline figures are the team's, as its chart's are; another team is refused", async () => {
    const mine = await (await manager.request(`/api/overview?${range}`)).json();
    expect(mine).toMatchObject({ team: 'T01', teamName: '一组' });
    const figure = (name: string) => mine.figures.find((f: { metric: string }) => f.metric === name).row.value;
    const chart = await (await manager.request(`/api/metrics/calls_per_day?${range}`)).json();
    const charted = chart.rows.reduce((n: number, r: { offered: number }) => n + r.offered, 0);
    expect(figure('calls_offered')).toBe(5); // t2, answered by the other team, is not counted
    expect(charted).toBe(figure('calls_offered'));
    expect((await manager.request(`/api/overview?${range}&team=T02`)).status).toBe(403);
  });

  it('the dashboard pages put the team in the URL, and refuse another', async () => {
    const { handle } = await import('../web/hooks.server.ts');
    const call = async (path: string) => {
      const url = new URL(`http://x${path}`);
      const event = {
        url,
        route: { id: url.pathname },
        request: new Request(url),
        cookies: { get: (name: string) => (name === 'zhijian_session' ? manager.cookie.split('=')[1] : undefined) },
        locals: {},
        getClientAddress: () => '127.0.0.1'
      };
      try {
        return await handle({ event, resolve: async () => new Response('page') } as never);
      } catch (err) {
        return err as { status: number; location?: string };
      }
    };
    expect(await call('/dashboard?from=2026-07-06')).toMatchObject({ status: 303, location: '/dashboard?from=2026-07-06&team=T01' });
    expect(await call('/?from=2026-07-06')).toMatchObject({ status: 303, location: '/?from=2026-07-06&team=T01' });
    expect(await call('/?team=T02')).toMatchObject({ status: 403 });
    expect(await call('/dashboard?team=T02')).toMatchObject({ status: 403 });
    const own = (await call('/dashboard?team=T01')) as Response;
    expect(await own.text()).toBe('page');
  });
});
