// The HTTP API: one Hono app, one sub-app per resource. SvelteKit's server hook hands it
// every /api request (one process); tests call api.request(path) with no server at all.
import { Hono } from 'hono';
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
  const app = new Hono().basePath('/api');
  app.use('*', timing());
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
