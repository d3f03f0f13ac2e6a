// One process serves the pages and the API: requests under /api go to the Hono app, the rest
// to SvelteKit. Every page and its data are checked against auth/policy.ts here, before any
// load function runs; the API checks its own routes (api/index.ts). The language of the server
// render comes from the "lang" cookie, else the browser's Accept-Language.
import { error, redirect, type Handle, type ServerInit } from '@sveltejs/kit';
import { createApi, type Api, type IngestFiles } from '$lib/server/api/index.ts';
import { getWarehouse } from '$lib/server/instance.ts';
import { decide, PAGE_POLICY } from '$lib/auth/policy.ts';
import { homeOf } from '$lib/auth/roles.ts';
import { SESSION_COOKIE, sessionUser } from '$lib/server/auth/sessions.ts';
import { scopedTeam, ScopeError } from '$lib/server/auth/scope.ts';
import { pickLocale } from '$lib/i18n/locales.ts';
import pkg from '../package.json' with { type: 'json' };

// The loader is optional at build time: a glob finds it when ingest/load/index.ts exists.
const loaders = import.meta.glob<{ ingestFiles: IngestFiles }>('/ingest/load/index.ts');
const loadLoader = loaders['/ingest/load/index.ts'];
const ingest: IngestFiles | undefined = loadLoader
  ? async (...args) => (await loadLoader()).ingestFiles(...args)
  : undefined;

let api: Promise<Api> | undefined;

function getApi(): Promise<Api> {
  api ??= getWarehouse().then((warehouse) =>
    createApi({ warehouse, version: pkg.version, internalToken: process.env.ZHIJIAN_SERVER_TOKEN ?? null, ingest })
  );
  api.catch(() => (api = undefined));
  return api;
}

/** Open the warehouse when the server starts, so a locked or unreadable file shows at once. */
export const init: ServerInit = async () => {
  await getApi();
};

/** Pages whose figures take a team filter: team-scoped users see theirs (auth/scope.ts). */
const TEAM_FILTERED_PAGES = new Set(['/', '/dashboard', '/dashboard/calls', '/attendance']);

/** Headers for every answer: no framing, no MIME sniffing, no referrer to other sites. (The CSP is kit.csp in svelte.config.js.) */
function secure(response: Response): Response {
  const headers = response.headers;
  headers.set('x-content-type-options', 'nosniff');
  headers.set('x-frame-options', 'DENY');
  headers.set('referrer-policy', 'same-origin');
  headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  headers.set('cross-origin-opener-policy', 'same-origin');
  return response;
}

export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname === '/api' || event.url.pathname.startsWith('/api/')) {
    const response = await (await getApi()).fetch(event.request, { clientAddress: event.getClientAddress() });
    // Hono's streamed and file answers may have immutable headers: copy them into a new Response.
    return secure(new Response(response.body, response));
  }
  const locale = pickLocale(event.cookies.get('lang'), event.request.headers.get('accept-language'));
  event.locals.locale = locale;
  const user = await sessionUser(await getWarehouse(), event.cookies.get(SESSION_COOKIE));
  event.locals.user = user;
  const routeId = event.route.id;
  if (routeId) {
    const decision = decide(PAGE_POLICY[routeId], user?.role ?? null);
    if (decision === 'sign-in') redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
    if (decision !== 'allow') {
      // The home page is everyone's first stop: send them to theirs instead of refusing.
      if (routeId === '/' && user) redirect(303, homeOf(user.role));
      error(403, user ? `${event.url.pathname} is not open to the ${user.role} role` : `${event.url.pathname} is not open`);
    }
    if (user?.must_change_password && routeId !== '/account' && routeId !== '/login') redirect(303, '/account');
    // A team-scoped manager's dashboards show one of their teams (the filter in the URL says which).
    if (user?.teams && TEAM_FILTERED_PAGES.has(routeId)) {
      const asked = event.url.searchParams.get('team');
      let team: string | null;
      try {
        team = scopedTeam(user, asked);
      } catch (err) {
        if (err instanceof ScopeError) error(403, err.message);
        throw err;
      }
      if (team !== asked) {
        const to = new URL(event.url);
        to.searchParams.set('team', team!);
        redirect(303, `${to.pathname.replace(/\/__data\.json$/, '')}${to.search}`);
      }
    }
  }
  return secure(await resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) }));
};
