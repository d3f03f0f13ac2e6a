// /api/complaints: complaint root-cause analysis — the cause taxonomy (read, replace), the
// classifier (run; figures on a held-out part), reviewers' corrections, callback results (回访),
// the named SQL of queries/complaints/ (JSON, CSV or Arrow) and one complaint with its timeline
// and call. Changes are the signed-in user's and audited with them as the actor.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { ApiError } from './errors.ts';
import { validate } from './validate.ts';
import { currentUser, type ApiEnv } from './env.ts';
import { describeMetric } from './metrics.ts';
import { UserError } from '../errors.ts';
import { ARROW_STREAM, resultToArrowIPC } from '../metrics/arrow.ts';
import { jsonRows } from '../query.ts';
import { toCsv } from '../../csv.ts';
import { complaintRegistry, complaintTable, FilterError } from '../complaints/metrics.ts';
import { loadTaxonomy, parseTaxonomy, saveTaxonomy } from '../complaints/taxonomy.ts';
import { classifyComplaints, correctCause } from '../complaints/classify.ts';
import { complaintDetail } from '../complaints/detail.ts';
import { CallbackError, callbackSchema, recordCallback } from '../complaints/callback.ts';

/** Domain errors (bad taxonomy, unknown cause, bad filter) become 400s with their message. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError || err instanceof FilterError) throw new ApiError(400, 'bad_request', err.message);
    throw err;
  }
}

const correctionSchema = z.object({
  cause: z.string().trim().min(1),
  sub_cause: z.string().trim().min(1).nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional()
});

export function complaintRoutes(deps: ApiDeps) {
  const w = deps.warehouse;
  return new Hono<ApiEnv>()
    .get('/taxonomy', async (c) => c.json({ taxonomy: await loadTaxonomy(w) }))
    .put('/taxonomy', validate('json', z.object({ taxonomy: z.unknown() })), async (c) => {
      const taxonomy = await guard(async () => parseTaxonomy(c.req.valid('json').taxonomy));
      await saveTaxonomy(w, taxonomy, currentUser(c).username);
      return c.json({ taxonomy: await loadTaxonomy(w) });
    })
    .post('/classify', validate('json', z.object({ hold_out_every: z.number().int().min(2).max(100).optional(), dry_run: z.boolean().optional() })), async (c) => {
      const body = c.req.valid('json');
      return c.json(await guard(() => classifyComplaints(w, { holdOutEvery: body.hold_out_every, dryRun: body.dry_run })));
    })
    .get('/metrics', (c) => c.json({ metrics: complaintRegistry().list().map(describeMetric) }))
    .get('/metrics/:name', async (c) => {
      const name = c.req.param('name');
      const metric = complaintRegistry().get(name);
      if (!metric) throw new ApiError(404, 'not_found', `no complaint metric named "${name}" (GET /api/complaints/metrics lists them)`);
      const { format, ...raw } = c.req.query();
      const result = await guard(() => complaintTable(w, name, raw));
      if (format === 'csv') {
        return c.body(toCsv(result.columns.map((col) => col.name), jsonRows(result)), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}.csv"`
        });
      }
      if ((c.req.header('accept') ?? '').includes(ARROW_STREAM)) {
        return c.body(resultToArrowIPC(result) as Uint8Array<ArrayBuffer>, 200, { 'content-type': ARROW_STREAM });
      }
      return c.json({ metric: name, columns: result.columns, rows: jsonRows(result) });
    })
    .post('/:ticket/label', validate('json', correctionSchema), async (c) => {
      const ticket = c.req.param('ticket');
      const body = c.req.valid('json');
      await guard(() => correctCause(w, { ticket_id: ticket, ...body }, currentUser(c).username));
      return c.json({ complaint: await complaintDetail(w, ticket) });
    })
    .post('/:ticket/callback', validate('json', callbackSchema), async (c) => {
      const ticket = c.req.param('ticket');
      try {
        const callback = await recordCallback(w, ticket, c.req.valid('json'), currentUser(c).username);
        return c.json({ callback, complaint: await complaintDetail(w, ticket) }, 201);
      } catch (err) {
        if (err instanceof CallbackError) throw new ApiError(err.status, err.status === 404 ? 'not_found' : 'conflict', err.message);
        throw err;
      }
    })
    .get('/:ticket', async (c) => {
      const detail = await complaintDetail(w, c.req.param('ticket'));
      if (!detail) throw new ApiError(404, 'not_found', `no complaint ${c.req.param('ticket')}`);
      return c.json({ complaint: detail });
    });
}
