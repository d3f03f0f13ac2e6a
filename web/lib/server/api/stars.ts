// GET /api/stars?month=YYYY-MM&team=: the month's star list. PUT /api/stars/weights: save the
// weights from a month on (earlier months keep theirs).
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { validate } from './validate.ts';
import { currentUser, type ApiEnv } from './env.ts';
import { monthSchema, saveWeights, starList, weightsSchema } from '../stars/service.ts';
import { COMPONENTS } from '../../stars/ranking.ts';
import { toCsv } from '../../csv.ts';

export const starsQuery = z.strictObject({ month: monthSchema, team: z.string().min(1).max(200).optional(), format: z.enum(['json', 'csv']).optional() });

export function starRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>()
    .get('/', validate('query', starsQuery), async (c) => {
      const q = c.req.valid('query');
      const list = await starList(deps.warehouse, q.month, { team: q.team });
      if (q.format === 'csv') {
        const rows = list.agents.map((a) => ({
          rank: a.rank, agent_id: a.agent_id, agent_name: a.agent_name, team_id: a.team_id, score: a.score, low: a.low, high: a.high,
          ...Object.fromEntries(COMPONENTS.flatMap((k) => [[`${k}_raw`, a.components[k].raw], [`${k}_n`, a.components[k].n], [`${k}_shrunk`, a.components[k].value]]))
        }));
        return c.body(toCsv(Object.keys(rows[0] ?? { rank: 0 }), rows), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="stars-${q.month}.csv"`
        });
      }
      return c.json(list);
    })
    .put('/weights', validate('json', z.strictObject({ month: monthSchema, weights: weightsSchema })), async (c) => {
      const body = c.req.valid('json');
      await saveWeights(deps.warehouse, body.month, body.weights, currentUser(c).username);
      return c.json({ month: body.month, weights: body.weights });
    });
}
