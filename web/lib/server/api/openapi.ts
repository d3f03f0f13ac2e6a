// The OpenAPI 3.1 description of the public API, served at GET /api/openapi.json. Request bodies
// are the zod schemas the routes validate with (z.toJSONSchema), so the document cannot drift
// from what the server accepts.
import { z } from 'zod';
import { cancelRequest, exportRequest, saveRequest, sqlRequest } from './sql.ts';
import { MAX_CONCURRENT, MAX_WAIT_MS } from '../workbench/run.ts';

const ARROW = 'application/vnd.apache.arrow.stream';

const schema = (s: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;
  return rest;
};

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const error = (description: string) => ({ description, content: json('Error') });
const body = (ref: string) => ({ required: true, content: json(ref) });

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'zhijian API',
      version,
      description:
        'Self-hosted QA and analytics for call centers. Every error is JSON {"error": {"code", "message"}} (SQL errors add "position", an offset into the query). Responses carry Server-Timing headers.'
    },
    paths: {
      '/api/health': {
        get: { summary: 'Version, warehouse file name and row counts', responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } } }
      },
      '/api/metrics': {
        get: { summary: 'The named metric queries with their formulas and parameters', responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } } }
      },
      '/api/metrics/{name}': {
        get: {
          summary: 'Runs one named metric query',
          description: `Parameters are the metric's own (GET /api/metrics lists them), given in the query string; from/to default to the last 30 days with data. Send "Accept: ${ARROW}" for an Arrow IPC stream, ?format=csv for CSV; JSON otherwise.`,
          parameters: [
            { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['csv'] } }
          ],
          responses: {
            '200': {
              description: 'The rows',
              content: { 'application/json': { schema: { type: 'object' } }, [ARROW]: { schema: { type: 'string', format: 'binary' } }, 'text/csv': { schema: { type: 'string' } } }
            },
            '400': error('A parameter is missing or malformed'),
            '404': error('No metric by that name')
          }
        }
      },
      '/api/sql': {
        post: {
          summary: 'Runs one read-only workbench query',
          description: `One reading statement (SELECT, WITH, DESCRIBE, SUMMARIZE, EXPLAIN, PIVOT … IN, SHOW TABLES) over the warehouse's tables; no files, settings, extensions or writes. Results are cut at maxRows (x-zhijian-truncated: true) and queries stopped after timeoutMs. Send "Accept: ${ARROW}" for an Arrow IPC stream.`,
          requestBody: body('SqlRequest'),
          responses: {
            '200': {
              description: 'The result; x-zhijian-row-count and x-zhijian-truncated headers in both forms',
              content: { ...json('SqlResult'), [ARROW]: { schema: { type: 'string', format: 'binary' } } }
            },
            '400': error('Invalid request, syntax error or SQL error (code sql_error, with position)'),
            '403': error('Refused by the workbench rules (code sql_refused)'),
            '408': error('Stopped by the time limit (code sql_timeout)'),
            '409': error('Cancelled (code sql_cancelled)'),
            '413': error('Result larger than the size limit (code result_too_large)'),
            '503': error(`The workbench was busy: the query waited ${MAX_WAIT_MS / 1000} s for one of its ${MAX_CONCURRENT} places and gave up (code busy)`)
          }
        }
      },
      '/api/sql/cancel': {
        post: {
          summary: 'Stops the run started with this id',
          requestBody: body('CancelRequest'),
          responses: { '200': { description: '{"cancelled": true} when a run was stopped', content: { 'application/json': { schema: { type: 'object', properties: { cancelled: { type: 'boolean' } } } } } } }
        }
      },
      '/api/sql/export': {
        post: {
          summary: 'Runs a workbench query and returns the result as a CSV (UTF-8 with BOM), Parquet or Arrow IPC file',
          requestBody: body('ExportRequest'),
          responses: {
            '200': {
              description: 'The file, as an attachment',
              content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } }, 'application/vnd.apache.arrow.file': { schema: { type: 'string', format: 'binary' } } }
            },
            '400': error('Invalid request or SQL error'),
            '403': error('Refused by the workbench rules')
          }
        }
      },
      '/api/sql/schema': {
        get: { summary: "The warehouse's tables and views, each column with its type and comment", responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } } }
      },
      '/api/sql/examples': {
        get: { summary: 'Example queries to start from (queries/workbench/*.sql)', responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } } }
      },
      '/api/sql/saved': {
        get: { summary: 'Saved queries, newest first', responses: { '200': { description: 'OK', content: json('SavedQueries') } } },
        post: { summary: 'Saves a query; /sql?q=<id> opens it', requestBody: body('SaveRequest'), responses: { '201': { description: 'Saved', content: json('SavedQuery') }, '400': error('Invalid request') } }
      },
      '/api/sql/saved/{id}': {
        get: { summary: 'One saved query', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'OK', content: json('SavedQuery') }, '404': error('No such query') } },
        delete: { summary: 'Deletes a saved query', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'Deleted' }, '404': error('No such query') } }
      }
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, position: { type: 'integer', description: 'Offset of the problem in the submitted SQL' } }
            }
          }
        },
        SqlRequest: schema(sqlRequest),
        CancelRequest: schema(cancelRequest),
        ExportRequest: schema(exportRequest),
        SaveRequest: schema(saveRequest),
        SqlResult: {
          type: 'object',
          required: ['columns', 'rows', 'rowCount', 'truncated'],
          properties: {
            columns: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string', description: "DuckDB's type name" } } } },
            rows: { type: 'array', items: { type: 'array', items: {} }, description: 'Values in column order; TIMESTAMPTZ in the center’s zone with its offset, DATE as YYYY-MM-DD' },
            rowCount: { type: 'integer' },
            truncated: { type: 'boolean' },
            limits: { type: 'object', properties: { maxRows: { type: 'integer' }, timeoutMs: { type: 'integer' } } },
            timeZone: { type: 'string' }
          }
        },
        SavedQuery: {
          type: 'object',
          properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: ['string', 'null'] }, sql: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } }
        },
        SavedQueries: { type: 'object', properties: { queries: { type: 'array', items: { $ref: '#/components/schemas/SavedQuery' } } } }
      }
    }
  };
}
