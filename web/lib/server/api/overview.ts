// GET /api/overview?from=&to=&queue=: the first page's headline figures.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { validate } from './validate.ts';
import { overview } from '../overview.ts';

const date = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });

export const overviewQuery = z
  .strictObject({
    from: date.optional(),
    to: date.optional(),
    queue: z.string().min(1).max(200).optional()
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });

export function overviewRoutes(deps: ApiDeps) {
  return new Hono().get('/', validate('query', overviewQuery), async (c) => c.json(await overview(deps.warehouse, c.req.valid('query'))));
}
