// One process serves the pages and the API: requests under /api go to the Hono app, the rest
// to SvelteKit. The language of the server render comes from the "lang" cookie, else the
// browser's Accept-Language.
import type { Handle, ServerInit } from '@sveltejs/kit';
import { createApi, type Api, type IngestFiles } from '$lib/server/api/index.ts';
import { getWarehouse } from '$lib/server/instance.ts';
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

export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname === '/api' || event.url.pathname.startsWith('/api/')) {
    return (await getApi()).fetch(event.request);
  }
  const locale = pickLocale(event.cookies.get('lang'), event.request.headers.get('accept-language'));
  event.locals.locale = locale;
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
};
