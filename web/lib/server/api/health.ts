import path from 'node:path';
import { Hono } from 'hono';
import type { ApiDeps } from './index.ts';

/**
 * GET /api/health: version, warehouse file name (never the full path), row counts.
 * GET /api/health/live: the process answers, without touching the warehouse — what the CLI asks
 * before handing work over, so a server busy with heavy queries is not taken for a dead one.
 */
export function healthRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/', async (c) => c.json({ version: deps.version, db: path.basename(deps.warehouse.path), rows: await deps.warehouse.rowCounts() }))
    .get('/live', (c) => c.json({ version: deps.version, db: path.basename(deps.warehouse.path) }));
}
