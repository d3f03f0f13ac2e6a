// GET /api/overview?from=&to=&queue=&team=: the first page's headline figures (a team-scoped
// user's are their team's, as every figure with a team filter: auth/scope.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import type { ApiEnv } from './env.ts';
import { scopedTeam } from '../auth/scope.ts';
import { validate } from './validate.ts';
import { overview } from '../overview.ts';

const date = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });

export const overviewQuery = z
  .strictObject({
    from: date.optional(),
    to: date.optional(),
    queue: z.string().min(1).max(200).optional(),
    team: z.string().min(1).max(200).optional()
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });

export function overviewRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>().get('/', validate('query', overviewQuery), async (c) => {
    const query = c.req.valid('query');
    const user = c.get('user');
    const team = user ? scopedTeam(user, query.team ?? null) : (query.team ?? null);
    return c.json(await overview(deps.warehouse, { ...query, team }));
  });
}
