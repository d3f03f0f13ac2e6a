// The SQL workbench's HTTP API: POST /api/sql runs one guarded, read-only query (see
// workbench/guard.ts) and answers JSON, or an Apache Arrow IPC stream when the request accepts
// it; cancel, export (CSV, Parquet, Arrow), the schema with comments, example and saved queries,
// and the OpenAPI description of the API at /api/openapi.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { setMetric } from 'hono/timing';
import { tableToIPC } from 'apache-arrow';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { ApiError } from './errors.ts';
import { validate } from './validate.ts';
import { ARROW_STREAM } from '../metrics/arrow.ts';
import { plainResult } from '../sql.ts';
import { resultToArrowTable } from '../workbench/arrow.ts';
import { toCsv } from '../../csv.ts';
import { WorkbenchError } from '../workbench/guard.ts';
import { cancel, exportParquet, runWorkbenchQuery, DEFAULT_LIMITS, type WorkbenchResult } from '../workbench/run.ts';
import { examples, warehouseSchema } from '../workbench/catalog.ts';
import { deleteQuery, getQuery, listQueries, saveQuery } from '../workbench/saved.ts';
import { openApiDocument } from './openapi.ts';

export const ARROW_FILE = 'application/vnd.apache.arrow.file';

const runId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8 to 64 letters, digits, _ or -');

export const sqlRequest = z.strictObject({
  sql: z.string().min(1, 'the query is empty').max(100_000, 'the query is longer than 100 000 characters'),
  id: runId.optional().describe('names the run so that POST /api/sql/cancel can stop it'),
  maxRows: z.number().int().min(1).max(DEFAULT_LIMITS.maxRows).optional().describe(`rows returned at most (default and maximum ${DEFAULT_LIMITS.maxRows})`),
  timeoutMs: z.number().int().min(100).max(DEFAULT_LIMITS.timeoutMs).optional().describe(`milliseconds before the query is stopped (default and maximum ${DEFAULT_LIMITS.timeoutMs})`)
});

export const cancelRequest = z.strictObject({ id: runId });

export const exportRequest = z.strictObject({
  sql: sqlRequest.shape.sql,
  format: z.enum(['csv', 'parquet', 'arrow']),
  name: z.string().regex(/^[\p{L}\p{N}_ -]{1,80}$/u).optional().describe('file name without extension (default "query")')
});

export const saveRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  sql: sqlRequest.shape.sql
});

/** HTTP status and error code of each workbench failure (the body is {error: {code, message, position?}}). */
const FAILURE: Record<WorkbenchError['code'], { status: 400 | 403 | 408 | 409 | 413 | 503; code: string }> = {
  syntax: { status: 400, code: 'sql_error' },
  sql: { status: 400, code: 'sql_error' },
  refused: { status: 403, code: 'sql_refused' },
  timeout: { status: 408, code: 'sql_timeout' },
  cancelled: { status: 409, code: 'sql_cancelled' },
  too_large: { status: 413, code: 'result_too_large' },
  busy: { status: 503, code: 'busy' }
};

function failure(c: Context, err: WorkbenchError) {
  const { status, code } = FAILURE[err.code];
  return c.json({ error: { code, message: err.message, ...(err.position !== undefined ? { position: err.position } : {}) } }, status);
}

function withHeaders(c: Context, result: WorkbenchResult) {
  setMetric(c, 'check', result.timing.checkMs, 'guard');
  setMetric(c, 'run', result.timing.runMs, 'DuckDB');
  c.header('x-zhijian-row-count', String(result.rows.length));
  c.header('x-zhijian-truncated', String(result.truncated));
  // DuckDB's own type names (Arrow's say less: TIMESTAMPTZ and TIMESTAMP look alike), URI-encoded for non-ASCII names.
  c.header('x-zhijian-columns', encodeURIComponent(JSON.stringify(result.columns)));
}

export function sqlRoutes(deps: ApiDeps) {
  const { warehouse } = deps;

  const run = async (c: Context, sql: string, limits: { maxRows?: number; timeoutMs?: number }, id?: string) => {
    try {
      return await runWorkbenchQuery(warehouse, sql, { id, limits: { ...(limits.maxRows ? { maxRows: limits.maxRows } : {}), ...(limits.timeoutMs ? { timeoutMs: limits.timeoutMs } : {}) } });
    } catch (err) {
      if (err instanceof WorkbenchError) return failure(c, err);
      throw err;
    }
  };

  return new Hono()
    .get('/openapi.json', (c) => c.json(openApiDocument(deps.version)))
    .post('/sql', validate('json', sqlRequest), async (c) => {
      const { sql, id, maxRows, timeoutMs } = c.req.valid('json');
      const result = await run(c, sql, { maxRows, timeoutMs }, id);
      if (result instanceof Response) return result;
      withHeaders(c, result);
      const t = performance.now();
      if ((c.req.header('accept') ?? '').includes(ARROW_STREAM)) {
        const bytes = tableToIPC(resultToArrowTable(result.columns, result.rows), 'stream');
        setMetric(c, 'encode', performance.now() - t, 'Arrow IPC');
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': ARROW_STREAM, 'x-zhijian-time-zone': warehouse.timeZone });
      }
      const plain = plainResult(result.columns, result.rows, warehouse.timeZone);
      setMetric(c, 'encode', performance.now() - t, 'JSON values');
      return c.json({
        columns: plain.columns,
        rows: plain.rows,
        rowCount: plain.rows.length,
        truncated: result.truncated,
        limits: { maxRows: result.limits.maxRows, timeoutMs: result.limits.timeoutMs },
        timeZone: warehouse.timeZone
      });
    })
    .post('/sql/cancel', validate('json', cancelRequest), (c) => c.json({ cancelled: cancel(c.req.valid('json').id) }))
    .post('/sql/export', validate('json', exportRequest), async (c) => {
      const { sql, format, name = 'query' } = c.req.valid('json');
      const filename = encodeURIComponent(name);
      if (format === 'parquet') {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-export-'));
        try {
          const file = path.join(dir, 'result.parquet');
          try {
            await exportParquet(warehouse, sql, file);
          } catch (err) {
            if (err instanceof WorkbenchError) return failure(c, err);
            throw err;
          }
          return c.body(new Uint8Array(fs.readFileSync(file)), 200, {
            'content-type': 'application/vnd.apache.parquet',
            'content-disposition': `attachment; filename*=UTF-8''${filename}.parquet`
          });
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
      const result = await run(c, sql, {});
      if (result instanceof Response) return result;
      withHeaders(c, result);
      if (format === 'arrow') {
        return c.body(tableToIPC(resultToArrowTable(result.columns, result.rows), 'file') as Uint8Array<ArrayBuffer>, 200, {
          'content-type': ARROW_FILE,
          'content-disposition': `attachment; filename*=UTF-8''${filename}.arrow`
        });
      }
      const plain = plainResult(result.columns, result.rows, warehouse.timeZone);
      const names = plain.columns.map((col) => col.name);
      const objects = plain.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, typeof r[i] === 'object' && r[i] !== null ? JSON.stringify(r[i]) : r[i]])));
      return c.body(toCsv(names, objects), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename*=UTF-8''${filename}.csv`
      });
    })
    .get('/sql/schema', async (c) => c.json({ timeZone: warehouse.timeZone, tables: await warehouseSchema(warehouse) }))
    .get('/sql/examples', (c) => c.json({ examples: examples() }))
    .get('/sql/saved', async (c) => c.json({ queries: await listQueries(warehouse) }))
    .post('/sql/saved', validate('json', saveRequest), async (c) => c.json(await saveQuery(warehouse, c.req.valid('json')), 201))
    .get('/sql/saved/:id', async (c) => {
      const found = await getQuery(warehouse, c.req.param('id'));
      if (!found) throw new ApiError(404, 'not_found', `no saved query "${c.req.param('id')}"`);
      return c.json(found);
    })
    .delete('/sql/saved/:id', async (c) => {
      if (!(await deleteQuery(warehouse, c.req.param('id')))) throw new ApiError(404, 'not_found', `no saved query "${c.req.param('id')}"`);
      return c.json({ deleted: true });
    });
}
