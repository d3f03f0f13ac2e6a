// /api/session: sign in (sets the http-only session cookie), who am I, sign out, change my password.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { ApiError } from './errors.ts';
import { clientAddress, currentUser, type ApiEnv } from './env.ts';
import { validate } from './validate.ts';
import { audit } from '../auth/audit.ts';
import { RateLimiter } from '../auth/rate-limit.ts';
import { homeOf, permissionsOf } from '../../auth/roles.ts';
import { createSession, endSession, SESSION_COOKIE, SESSION_HOURS, tokenHash } from '../auth/sessions.ts';
import { AccountError, changeOwnPassword, checkSignIn, type User } from '../auth/users.ts';

const credentials = z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });

/** What the browser may know about the signed-in user. */
export function describeUser(user: User) {
  return {
    username: user.username,
    display_name: user.display_name,
    role: user.role,
    agent_id: user.agent_id,
    teams: user.teams,
    must_change_password: user.must_change_password,
    permissions: permissionsOf(user.role),
    home: homeOf(user.role)
  };
}

export function sessionRoutes(deps: ApiDeps) {
  const w = deps.warehouse;
  // Per client address: attempts of any kind, and failed ones (the account lock-out is in users.ts).
  const attempts = new RateLimiter(60, 60_000);
  const failures = new RateLimiter(20, 15 * 60_000);
  return new Hono<ApiEnv>()
    .get('/', (c) => {
      const user = c.get('user');
      return c.json({ user: user ? describeUser(user) : null });
    })
    .post('/', validate('json', credentials), async (c) => {
      const { username, password } = c.req.valid('json');
      const address = clientAddress(c);
      const wait = Math.max(attempts.retryAfter(address), failures.retryAfter(address));
      if (wait) {
        c.header('retry-after', String(wait));
        throw new ApiError(429, 'too_many_requests', `too many sign-in attempts from this address; try again in ${wait} s`);
      }
      attempts.hit(address);
      const result = await checkSignIn(w, username, password);
      if (!result.ok) {
        failures.hit(address);
        if (result.reason === 'locked') throw new ApiError(403, 'forbidden', `the account is locked after repeated wrong passwords until ${result.until}`);
        throw new ApiError(401, 'unauthorized', 'wrong username or password');
      }
      const token = await createSession(w, result.user.username);
      await audit(w, { actor: result.user.username, action: 'session.sign_in', target: `user:${result.user.username}`, after: { address } });
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        secure: new URL(c.req.url).protocol === 'https:',
        maxAge: SESSION_HOURS * 3600
      });
      return c.json({ user: describeUser(result.user) });
    })
    .delete('/', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await endSession(w, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ signed_out: true });
    })
    .put('/password', validate('json', z.strictObject({ current: z.string().min(1).max(256), password: z.string().min(1).max(256) })), async (c) => {
      const user = currentUser(c);
      const { current, password } = c.req.valid('json');
      const token = getCookie(c, SESSION_COOKIE);
      try {
        await changeOwnPassword(w, user.username, current, password, tokenHash(token ?? ''));
      } catch (err) {
        if (err instanceof AccountError) throw new ApiError(err.status, err.status === 403 ? 'forbidden' : 'bad_request', err.message);
        throw err;
      }
      return c.json({ changed: true });
    });
}
