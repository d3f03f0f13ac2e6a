// /api/audit: the audit trail, newest first, for administrators. Read-only: nothing in the
// product edits or deletes a record.
import { Hono } from 'hono';
import type { ApiDeps } from './index.ts';
import type { ApiEnv } from './env.ts';
import { validate } from './validate.ts';
import { auditQuerySchema, listAudit } from '../auth/audit.ts';

export function auditRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>().get('/', validate('query', auditQuerySchema), async (c) => c.json({ records: await listAudit(deps.warehouse, c.req.valid('query')) }));
}
