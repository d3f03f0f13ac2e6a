import path from 'node:path';
import { Hono } from 'hono';
import type { ApiDeps } from './index.ts';

/** GET /api/health: version, warehouse file name (never the full path), row counts. */
export function healthRoutes(deps: ApiDeps) {
  return new Hono().get('/', async (c) =>
    c.json({ version: deps.version, db: path.basename(deps.warehouse.path), rows: await deps.warehouse.rowCounts() })
  );
}
