// GET /api/targets: the service targets and the working calendar. PUT /api/targets/calendar and
// PUT /api/targets/:id edit them. Compliance and breaching tickets are the named SQL
// sla_compliance and sla_tickets under /api/metrics. Edits are the signed-in user's, audited.
import { Hono } from 'hono';
import type { ApiDeps } from './index.ts';
import { currentUser, type ApiEnv } from './env.ts';
import { validate } from './validate.ts';
import { ApiError } from './errors.ts';
import { calendarSchema, listTargets, saveCalendar, targetUpdateSchema, TargetError, updateTarget, workCalendar } from '../targets/service.ts';

export function targetRoutes(deps: ApiDeps) {
  const { warehouse } = deps;
  return new Hono<ApiEnv>()
    .get('/', async (c) => c.json({ targets: await listTargets(warehouse), calendar: await workCalendar(warehouse) }))
    .put('/calendar', validate('json', calendarSchema), async (c) => {
      await saveCalendar(warehouse, c.req.valid('json'), currentUser(c).username);
      return c.json({ calendar: await workCalendar(warehouse) });
    })
    .put('/:id', validate('json', targetUpdateSchema), async (c) => {
      try {
        return c.json({ target: await updateTarget(warehouse, c.req.param('id'), c.req.valid('json'), currentUser(c).username) });
      } catch (err) {
        if (err instanceof TargetError) throw new ApiError(400, 'bad_request', err.message);
        throw err;
      }
    });
}
