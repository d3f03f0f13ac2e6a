// Who may call what: every API route and every page, with each role and signed out, against a
// table written here independently of auth/policy.ts. A route or page that is added without an
// entry in this table fails the first tests; one whose access changes fails the others.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../web/lib/server/api/index.ts';
import { ROLES, type Role } from '../web/lib/auth/roles.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { qaWarehouse } from './qa-fixture.ts';
import { addAccount, sessionCookie, signedIn, TEST_PASSWORD, type SignedIn } from './auth-fixture.ts';
import { browserAvailable, startServer, type RunningServer } from './e2e/harness.ts';

const ALL: Role[] = [...ROLES];
const DASHBOARDS: Role[] = ['admin', 'manager', 'analyst'];
const QA_READERS: Role[] = ['admin', 'manager', 'reviewer', 'analyst'];
const QA_WITH_AGENT: Role[] = ['admin', 'manager', 'reviewer', 'analyst', 'agent'];
const REVIEWERS: Role[] = ['admin', 'reviewer'];
const COMPLAINTS: Role[] = ['admin', 'manager', 'analyst', 'callback'];
const WORKBENCH: Role[] = ['admin', 'analyst'];
const ADMIN: Role[] = ['admin'];
type Expected = Role[] | 'public' | 'internal';

/** Every API route, as Hono lists it, and who may call it. */
const API: Record<string, Expected> = {
  'GET /api/health': 'public',
  'GET /api/health/live': 'public',
  'GET /api/openapi.json': ALL,
  'GET /api/session': 'public',
  'POST /api/session': 'public',
  'DELETE /api/session': 'public',
  'PUT /api/session/password': ALL,
  'POST /api/internal/sql': 'internal',
  'POST /api/internal/ingest': 'internal',
  'POST /api/internal/users': 'internal',
  'GET /api/users': ADMIN,
  'POST /api/users': ADMIN,
  'PATCH /api/users/:username': ADMIN,
  'PUT /api/users/:username/password': ADMIN,
  'GET /api/audit': ADMIN,
  'GET /api/metrics': DASHBOARDS,
  'GET /api/metrics/:name': DASHBOARDS,
  'GET /api/overview': DASHBOARDS,
  'GET /api/stars': ALL,
  'PUT /api/stars/weights': ['admin', 'manager'],
  'GET /api/targets': DASHBOARDS,
  'PUT /api/targets/calendar': ADMIN,
  'PUT /api/targets/:id': ADMIN,
  'GET /api/qa/scorecard': QA_READERS,
  'GET /api/qa/scorecards/:id/:version': QA_WITH_AGENT,
  'PUT /api/qa/scorecard': ADMIN,
  'GET /api/qa/reviewers': QA_READERS,
  'GET /api/qa/samples': QA_READERS,
  'POST /api/qa/samples': REVIEWERS,
  'GET /api/qa/samples/:id': QA_READERS,
  'GET /api/qa/queue': REVIEWERS,
  'GET /api/qa/calls/:id': QA_WITH_AGENT,
  'GET /api/qa/calls/:id/audio': ['admin', 'manager', 'reviewer'],
  'GET /api/qa/calls/:id/redactions/:seq/:span': ADMIN,
  'POST /api/qa/reviews': REVIEWERS,
  'GET /api/qa/reviews/:id': QA_WITH_AGENT,
  'POST /api/qa/reviews/:id/disputes': ['admin', 'agent'],
  'GET /api/qa/disputes': QA_WITH_AGENT,
  'POST /api/qa/disputes/:id/decision': ['admin', 'manager'],
  'POST /api/qa/auto/run': REVIEWERS,
  'GET /api/qa/agreement/auto': QA_READERS,
  'GET /api/qa/calibrations': REVIEWERS,
  'POST /api/qa/calibrations': REVIEWERS,
  'GET /api/qa/calibrations/:id': REVIEWERS,
  'POST /api/sql': WORKBENCH,
  'POST /api/sql/cancel': WORKBENCH,
  'POST /api/sql/export': WORKBENCH,
  'GET /api/sql/schema': WORKBENCH,
  'GET /api/sql/examples': WORKBENCH,
  'GET /api/sql/saved': WORKBENCH,
  'POST /api/sql/saved': WORKBENCH,
  'GET /api/sql/saved/:id': WORKBENCH,
  'DELETE /api/sql/saved/:id': WORKBENCH,
  'GET /api/complaints/taxonomy': COMPLAINTS,
  'PUT /api/complaints/taxonomy': ADMIN,
  'POST /api/complaints/classify': ADMIN,
  'GET /api/complaints/metrics': COMPLAINTS,
  'GET /api/complaints/metrics/:name': COMPLAINTS,
  'POST /api/complaints/:ticket/label': ['admin', 'manager', 'analyst'],
  'POST /api/complaints/:ticket/callback': ['admin', 'callback'],
  'GET /api/complaints/:ticket': COMPLAINTS
};

/** Every page (SvelteKit route id) and who may open it; params filled from the fixture. */
const PAGES: Record<string, Exclude<Expected, 'internal'>> = {
  '/login': 'public',
  '/account': ALL,
  '/': DASHBOARDS,
  '/dashboard': DASHBOARDS,
  '/dashboard/calls': DASHBOARDS,
  '/targets': DASHBOARDS,
  '/targets/tickets': DASHBOARDS,
  '/attendance': DASHBOARDS,
  '/stars': DASHBOARDS,
  '/stars/poster': ALL,
  '/qa': REVIEWERS,
  '/qa/review/[call]': QA_WITH_AGENT,
  '/qa/agent': QA_WITH_AGENT,
  '/qa/disputes': QA_READERS,
  '/qa/calibration': REVIEWERS,
  '/qa/reports': QA_READERS,
  '/qa/scorecard': QA_READERS,
  '/complaints': COMPLAINTS,
  '/complaints/list': COMPLAINTS,
  '/complaints/monthly': COMPLAINTS,
  '/complaints/taxonomy': COMPLAINTS,
  '/complaints/[ticket]': COMPLAINTS,
  '/sql': WORKBENCH,
  '/admin': ADMIN,
  '/admin/audit': ADMIN
};

const PARAMS: Record<string, string> = { id: 'q1', name: 'calls_offered', username: 'nobody', version: '1', seq: '0', span: '0', ticket: 'TK-9001', call: 'q1' };
/** Pages that need a query to render. */
const PAGE_QUERY: Record<string, string> = { '/targets/tickets': '?target=solution&from=2026-07-01&to=2026-07-31' };
const fill = (pattern: string) => pattern.replace(/:(\w+)|\[(\w+)\]/g, (_, a, b) => encodeURIComponent(PARAMS[a ?? b]));

let warehouse: Warehouse;
let dir: string;
let dbPath: string;
let api: Api;
const TOKEN = 'internal-test-token';
const sessions = new Map<Role, SignedIn>();

beforeAll(async () => {
  ({ warehouse, dir, dbPath } = await qaWarehouse());
  for (const role of ROLES) await addAccount(warehouse, role, role === 'agent' ? { agent_id: '1001' } : {});
  api = createApi({ warehouse, internalToken: TOKEN });
  for (const role of ROLES) sessions.set(role, await signedIn(api, `test-${role}`));
});

afterAll(() => {
  warehouse?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function apiRoutes(app: Api): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}

function pageRoutes(): string[] {
  const root = path.join(import.meta.dirname, '..', 'web', 'routes');
  const ids: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name === '+page.svelte') ids.push('/' + path.relative(root, d).split(path.sep).join('/'));
    }
  };
  walk(root);
  return ids.map((id) => (id === '/' ? id : id.replace(/\/$/, ''))).sort();
}

/** Refused by the access check itself (not by the route's own rules, e.g. "only the reviewed agent"). */
async function refusedByPolicy(res: Response): Promise<boolean> {
  if (res.status !== 401 && res.status !== 403) return false;
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return res.status === 401 || /is not open to/.test(body?.error?.message ?? '');
}

describe('the access table covers everything', () => {
  it('lists every API route (a new route without an entry fails here)', () => {
    expect(apiRoutes(api)).toEqual(Object.keys(API).sort());
  });
  it('lists every page (a new page without an entry fails here)', () => {
    expect(pageRoutes()).toEqual(Object.keys(PAGES).sort());
  });
});

describe('every API route with every role', () => {
  // Writes go with a malformed JSON body: an allowed caller gets the validator's 400 before
  // anything changes; a refused one is stopped before that.
  const request = async (who: SignedIn | null, key: string, extra: HeadersInit = {}) => {
    const [method, pattern] = key.split(' ');
    const init: RequestInit = { method, headers: { ...extra, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) } };
    if (method !== 'GET' && method !== 'DELETE') init.body = '{not json';
    return who ? who.request(fill(pattern), init) : api.request(fill(pattern), init);
  };

  for (const [key, expected] of Object.entries(API)) {
    if (key === 'DELETE /api/session') continue; // signing out would end the shared sessions: below
    it(key, async () => {
      for (const role of [null, ...ROLES]) {
        const res = await request(role ? sessions.get(role)! : null, key);
        if (expected === 'internal') {
          // Sessions do not open the CLI's endpoints; only the server's token does.
          expect({ role, status: res.status }).toEqual({ role, status: 401 });
          continue;
        }
        const allowed = expected === 'public' || (role !== null && expected.includes(role));
        expect({ role, refused: await refusedByPolicy(res) }).toEqual({ role, refused: !allowed });
        if (!allowed) expect({ role, status: res.status }).toEqual({ role, status: role ? 403 : 401 });
      }
      if (expected === 'internal') {
        const res = await request(null, key, { 'x-zhijian-token': TOKEN });
        expect(res.status).toBe(400); // let in: the malformed body is what it refuses
      }
    });
  }

  it('DELETE /api/session signs anyone out (public), and the session then opens nothing', async () => {
    for (const role of ROLES) {
      const own = await signedIn(api, `test-${role}`, TEST_PASSWORD);
      expect((await own.request('/api/session', { method: 'DELETE' })).status).toBe(200);
      expect((await own.request('/api/openapi.json')).status).toBe(401);
    }
    expect((await api.request('/api/session', { method: 'DELETE' })).status).toBe(200);
  });
});

describe.skipIf(!browserAvailable())('every page with every role (the built app)', () => {
  let server: RunningServer;
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    warehouse.close(); // the server takes the file
    server = await startServer(dbPath);
    for (const role of ROLES) {
      cookies.set(role, await sessionCookie(server.url, `test-${role}`));
    }
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (const [id, expected] of Object.entries(PAGES)) {
    it(id, async () => {
      const asked = fill(id) + (PAGE_QUERY[id] ?? '');
      const url = `${server.url}${asked}`;
      for (const role of [null, ...ROLES]) {
        const res = await fetch(url, { redirect: 'manual', headers: role ? { cookie: cookies.get(role)! } : {} });
        const allowed = expected === 'public' || (role !== null && expected.includes(role));
        const where = res.headers.get('location');
        if (allowed) {
          // /login sends a signed-in visitor on to their home page; everything else renders.
          if (id === '/login' && role) expect({ role, status: res.status }).toEqual({ role, status: 303 });
          else expect({ role, status: res.status }).toEqual({ role, status: 200 });
        } else if (!role) {
          expect({ status: res.status, where }).toEqual({ status: 303, where: `/login?next=${encodeURIComponent(asked)}` });
        } else if (id === '/') {
          // Everyone starts at the home page: those who may not see it go to theirs.
          expect({ role, status: res.status }).toEqual({ role, status: 303 });
          expect(where).not.toBe('/');
        } else {
          expect({ role, status: res.status }).toEqual({ role, status: 403 });
        }
        // Data requests (client-side navigation) are checked the same way.
        const data = await fetch(`${server.url}${fill(id).replace(/\/$/, '')}/__data.json${PAGE_QUERY[id] ?? ''}`, { redirect: 'manual', headers: role ? { cookie: cookies.get(role)! } : {} });
        if (!allowed && role && id !== '/') expect({ role, data: data.status }).toEqual({ role, data: 403 });
      }
    });
  }
});
