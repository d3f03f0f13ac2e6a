// What every API handler can read from its context: the signed-in user (set by the access check
// in index.ts) and, from the SvelteKit server, the client's address.
import type { Context } from 'hono';
import type { User } from '../auth/users.ts';
import { ApiError } from './errors.ts';

export interface ApiEnv {
  Variables: { user: User | null };
  Bindings: { clientAddress?: string };
}

/** The signed-in user; the access table already refused signed-out callers of routes that use this. */
export function currentUser(c: Context<ApiEnv>): User {
  const user = c.get('user');
  if (!user) throw new ApiError(401, 'unauthorized', 'sign in first (POST /api/session)');
  return user;
}

/** The client's address for rate limits: the SvelteKit server's view of it, else "local" (tests, scripts in process). */
export function clientAddress(c: Context<ApiEnv>): string {
  return c.env?.clientAddress ?? 'local';
}
