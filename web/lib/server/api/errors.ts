// One error shape for every API answer: {error: {code, message}}.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { WarehouseError } from '../warehouse.ts';
import { MetricDefinitionError } from '../metrics/registry.ts';
import { ScopeError } from '../auth/scope.ts';

export type ErrorCode = 'bad_request' | 'not_found' | 'unauthorized' | 'forbidden' | 'conflict' | 'too_many_requests' | 'sql_error' | 'unavailable' | 'internal';

export class ApiError extends HTTPException {
  constructor(status: ContentfulStatusCode, readonly code: ErrorCode, message: string) {
    super(status, { message });
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The first zod issue as one readable line: `from: expected a date as YYYY-MM-DD`. */
export function zodMessage(err: ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid input';
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return `${where}${issue.message}`;
}

export function onError(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof ZodError) return c.json(errorBody('bad_request', zodMessage(err)), 400);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(status === 404 ? 'not_found' : status < 500 ? 'bad_request' : 'internal', err.message || 'error'), status);
  }
  if (err instanceof WarehouseError) {
    return c.json(errorBody(err.code === 'sql' ? 'sql_error' : 'unavailable', err.message), err.code === 'sql' ? 400 : 503);
  }
  if (err instanceof MetricDefinitionError) return c.json(errorBody('internal', err.message), 500);
  // A team-scoped user asked for another team's figures (auth/scope.ts).
  if (err instanceof ScopeError) return c.json(errorBody('forbidden', err.message), 403);
  console.error(err);
  return c.json(errorBody('internal', 'internal error: ' + (err.message || String(err))), 500);
}
