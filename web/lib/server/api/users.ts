// /api/users: accounts, for administrators. A new account or a reset without a password gets a
// generated one, shown once in the answer and to be changed at first sign-in.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { ApiError } from './errors.ts';
import { currentUser, type ApiEnv } from './env.ts';
import { validate } from './validate.ts';
import { generatePassword } from '../auth/password.ts';
import { AccountError, addUser, listUsers, newUserSchema, setPassword, updateUser, userPatchSchema } from '../auth/users.ts';

/** Account errors become the API's error shape. */
export async function accountGuard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AccountError) {
      const code = err.status === 404 ? 'not_found' : err.status === 403 ? 'forbidden' : err.status === 409 ? 'conflict' : 'bad_request';
      throw new ApiError(err.status, code, err.message);
    }
    throw err;
  }
}

const username = z.object({ username: z.string().min(1).max(64) });

export function userRoutes(deps: ApiDeps) {
  const w = deps.warehouse;
  return new Hono<ApiEnv>()
    .get('/', async (c) => c.json({ users: await listUsers(w) }))
    .post('/', validate('json', newUserSchema.extend({ password: z.string().min(1).max(256).optional() })), async (c) => {
      const { password, ...input } = c.req.valid('json');
      const chosen = password ?? generatePassword();
      const user = await accountGuard(() => addUser(w, input, chosen, currentUser(c).username, { mustChange: !password }));
      return c.json({ user, ...(password ? {} : { generated_password: chosen }) }, 201);
    })
    .patch('/:username', validate('param', username), validate('json', userPatchSchema), async (c) => {
      const user = await accountGuard(() => updateUser(w, c.req.valid('param').username, c.req.valid('json'), currentUser(c).username));
      return c.json({ user });
    })
    .put('/:username/password', validate('param', username), validate('json', z.strictObject({ password: z.string().min(1).max(256).optional() })), async (c) => {
      const { password } = c.req.valid('json');
      const chosen = password ?? generatePassword();
      await accountGuard(() => setPassword(w, c.req.valid('param').username, chosen, currentUser(c).username, { mustChange: true }));
      return c.json({ reset: true, ...(password ? {} : { generated_password: chosen }) });
    });
}
