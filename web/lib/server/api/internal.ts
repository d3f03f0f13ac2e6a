// Work the CLI hands to a running server, which owns the warehouse file (DuckDB: one writer
// or many readers). Only callers holding the token from <db>.server.json get in.
import { Hono, type MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { ApiError, errorBody } from './errors.ts';
import { validate } from './validate.ts';
import { runSql } from '../sql.ts';
import { sameToken, TOKEN_HEADER } from '../handoff.ts';
import { accountGuard } from './users.ts';
import { userCommandSchema, runUserCommand } from '../auth/user-commands.ts';

export const ingestBody = z.object({
  inputs: z.array(z.string().min(1).refine((p) => p.startsWith('/'), 'paths must be absolute')).min(1),
  // The loader's IngestOptions; paths must be absolute since the server's working folder is not the caller's.
  options: z
    .strictObject({
      kind: z.string().min(1).optional(),
      map: z.string().refine((p) => p.startsWith('/'), 'the mapping file path must be absolute').optional(),
      timeZone: z.string().min(1).optional(),
      tmpDir: z.string().refine((p) => p.startsWith('/'), 'tmpDir must be absolute').optional()
    })
    .default({})
});

export const sqlBody = z.object({
  sql: z.string().min(1).max(1_000_000),
  format: z.enum(['table', 'csv', 'json']).default('table'),
  // `zhijian sql --unsafe`: the token holder (the server's owner) skips the workbench rules.
  unsafe: z.boolean().default(false)
});

export function internalRoutes(deps: ApiDeps) {
  const requireToken: MiddlewareHandler = async (c, next) => {
    // Without a token (e.g. `node build` started by hand) the internal endpoints do not exist.
    if (!deps.internalToken) throw new ApiError(404, 'not_found', 'internal endpoints are only open under "zhijian serve"');
    if (!sameToken(c.req.header(TOKEN_HEADER), deps.internalToken)) throw new ApiError(401, 'unauthorized', 'missing or wrong server token');
    await next();
  };

  return new Hono()
    .use('*', requireToken)
    .post('/sql', validate('json', sqlBody), async (c) => {
      const { sql, unsafe } = c.req.valid('json');
      try {
        return c.json(await runSql(deps.warehouse, sql, { unsafe }));
      } catch (err) {
        throw new ApiError(400, 'sql_error', (err as Error).message.split('\n')[0]);
      }
    })
    // `zhijian user …` while the server owns the file.
    .post('/users', validate('json', userCommandSchema), async (c) => c.json(await accountGuard(() => runUserCommand(deps.warehouse, c.req.valid('json')))))
    .post('/ingest', validate('json', ingestBody), async (c) => {
      const ingest = deps.ingest;
      if (!ingest) throw new ApiError(503, 'unavailable', 'this server was built without the loader');
      const { inputs, options } = c.req.valid('json');
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      // NDJSON: one {"progress": ...} line per event, then {"summary": ...} or {"error": ...} last.
      return stream(c, async (out) => {
        const pending: Promise<unknown>[] = [];
        try {
          const summary = await ingest(deps.warehouse, inputs, options, (event) => {
            pending.push(out.writeln(JSON.stringify({ progress: event })));
          });
          await Promise.all(pending);
          await out.writeln(JSON.stringify({ summary }));
        } catch (err) {
          await Promise.all(pending);
          const message = (err as Error).message ?? String(err);
          await out.writeln(JSON.stringify(errorBody('bad_request', message)));
        }
      });
    });
}
