// zod validation of requests whose failures become the API's 400 error shape.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { ApiError, zodMessage } from './errors.ts';

export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw new ApiError(400, 'bad_request', zodMessage(result.error as never));
  });
}
