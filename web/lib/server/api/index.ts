// The HTTP API: one Hono app, one sub-app per resource. SvelteKit's server hook hands it
// every /api request (one process); tests call api.request(path) with no server at all.
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import { timing } from 'hono/timing';
import type { Warehouse } from '../warehouse.ts';
import { metricRegistry, type MetricRegistry } from '../metrics/registry.ts';
import { errorBody, onError } from './errors.ts';
import { healthRoutes } from './health.ts';
import { metricRoutes } from './metrics.ts';
import { overviewRoutes } from './overview.ts';
import { internalRoutes } from './internal.ts';
import { starRoutes } from './stars.ts';
import { targetRoutes } from './targets.ts';
import { qaRoutes } from './qa.ts';
import { sqlRoutes } from './sql.ts';
import { complaintRoutes } from './complaints.ts';
import { sessionRoutes } from './session.ts';
import { userRoutes } from './users.ts';
import { auditRoutes } from './audit.ts';
import { ApiError } from './errors.ts';
import type { ApiEnv } from './env.ts';
import { API_POLICY, decide } from '../../auth/policy.ts';
import { SESSION_COOKIE, sessionUser } from '../auth/sessions.ts';
import type { User } from '../auth/users.ts';
import { ACTOR_HEADER, sameToken, TOKEN_HEADER } from '../handoff.ts';

/** The loader's entry point (ingest/load/index.ts), passed in so that the API builds without it. */
export type IngestFiles = typeof import('../../../../ingest/load/index.ts').ingestFiles;

export interface ApiDeps {
  warehouse: Warehouse;
  version: string;
  registry: MetricRegistry;
  /** Token that opens /api/internal/*; null or undefined closes it. */
  internalToken?: string | null;
  ingest?: IngestFiles;
}

export interface CreateApiOptions extends Partial<ApiDeps> {
  warehouse: Warehouse;
}

export function createApi(options: CreateApiOptions) {
  const deps: ApiDeps = { version: '0.0.0', registry: metricRegistry(), ...options };
  const app = new Hono<ApiEnv>().basePath('/api');
  app.use('*', timing());
  // Cross-site requests: the session cookie is SameSite=Lax (not sent on another site's posts),
  // SvelteKit refuses cross-origin form posts before they reach this app (kit.csrf), and JSON
  // from another origin needs CORS, which this API never grants.
  app.use('*', async (c, next) => {
    // The route this request will reach decides who may call it (auth/policy.ts); unknown paths fall through to 404.
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL');
    if (!route) return next();
    const key = `${route.method} ${route.path}`;
    const user = deps.internalToken && sameToken(c.req.header(TOKEN_HEADER), deps.internalToken)
      ? commandLineUser(c.req.header(ACTOR_HEADER))
      : await sessionUser(deps.warehouse, getCookie(c, SESSION_COOKIE));
    c.set('user', user);
    const decision = decide(API_POLICY[key], user?.role ?? null);
    if (decision === 'sign-in') throw new ApiError(401, 'unauthorized', 'sign in first (POST /api/session with {"username", "password"})');
    if (decision === 'forbidden') throw new ApiError(403, 'forbidden', `${key} is not open to ${user ? `the ${user.role} role` : 'anyone'}`);
    if (user?.must_change_password && API_POLICY[key] !== 'public' && !key.startsWith('PUT /api/session/')) {
      throw new ApiError(403, 'forbidden', 'change your password first (PUT /api/session/password)');
    }
    return next(); // 'allow', or 'internal' (those routes check the CLI's token themselves)
  });
  app.route('/session', sessionRoutes(deps));
  app.route('/users', userRoutes(deps));
  app.route('/audit', auditRoutes(deps));
  app.route('/health', healthRoutes(deps));
  app.route('/metrics', metricRoutes(deps));
  app.route('/overview', overviewRoutes(deps));
  app.route('/internal', internalRoutes(deps));
  app.route('/stars', starRoutes(deps));
  app.route('/targets', targetRoutes(deps));
  app.route('/qa', qaRoutes(deps));
  app.route('/', sqlRoutes(deps)); // /api/sql/* and /api/openapi.json
  app.route('/complaints', complaintRoutes(deps));
  app.notFound((c) => c.json(errorBody('not_found', `no API route ${c.req.method} ${new URL(c.req.url).pathname}`), 404));
  app.onError(onError);
  return app;
}

export type Api = ReturnType<typeof createApi>;

/**
 * The command line, holding the server's token (<db>.server.json, readable by the server's owner
 * only), acts as an administrator under its operating-system user's name: `zhijian qa sample`,
 * `zhijian complaints classify` and the like while the server owns the file.
 */
function commandLineUser(actor: string | undefined): User {
  const name = /^cli:[\w.@-]{1,60}$/.test(actor ?? '') ? actor! : 'cli';
  return { username: name, display_name: name, role: 'admin', agent_id: null, teams: null, must_change_password: false, disabled: false };
}
