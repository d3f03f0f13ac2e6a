// Sessions: the cookie holds a random token; the warehouse keeps only its SHA-256, who it belongs
// to and when it expires, so sessions survive a restart and a stolen database opens none. Lookups
// are cached briefly because every request needs one; any account change clears the cache.
import crypto from 'node:crypto';
import type { Warehouse } from '../warehouse.ts';
import type { User } from './users.ts';

export const SESSION_COOKIE = 'zhijian_session';
export const SESSION_HOURS = 12;
const CACHE_MS = 10_000;

const cache = new Map<string, { user: User | null; until: number }>();

export const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Starts a session and returns its token (for the cookie). */
export async function createSession(warehouse: Warehouse, username: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await warehouse.transaction(async (conn) => {
    await conn.run(`DELETE FROM restricted.sessions WHERE expires_at < current_timestamp`);
    await conn.run(
      `INSERT INTO restricted.sessions (token_sha256, username, expires_at) VALUES ($hash, $u, current_timestamp + to_hours($hours))`,
      { hash: tokenHash(token), u: username, hours: SESSION_HOURS }
    );
  });
  return token;
}

/** The signed-in user of a token: null when unknown, expired, disabled, or older than the password. */
export async function sessionUser(warehouse: Warehouse, token: string | undefined | null): Promise<User | null> {
  if (!token || token.length > 100) return null;
  const hash = tokenHash(token);
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) return hit.user;
  const user =
    (await warehouse.one<User>(
      `SELECT u.username, u.display_name, u.role, u.agent_id, u.teams, u.must_change_password, u.disabled
         FROM restricted.sessions s JOIN restricted.users u USING (username)
        WHERE s.token_sha256 = $hash AND s.expires_at > current_timestamp AND NOT u.disabled AND s.created_at >= u.password_changed_at`,
      { hash }
    )) ?? null;
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { user, until: Date.now() + CACHE_MS });
  return user;
}

export async function endSession(warehouse: Warehouse, token: string): Promise<void> {
  await warehouse.run(`DELETE FROM restricted.sessions WHERE token_sha256 = $hash`, { hash: tokenHash(token) });
  forgetSessions();
}

/** Drops cached lookups, after sign-out or any account change. */
export function forgetSessions(): void {
  cache.clear();
}
