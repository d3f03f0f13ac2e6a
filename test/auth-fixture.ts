// Accounts and signed-in requests for tests: addAccount makes an account of a role with a known
// password (through the product's own addUser), signedIn signs it in through POST /api/session
// and sends its session cookie with every request after.
import type { Role } from '../web/lib/auth/roles.ts';
import { addUser } from '../web/lib/server/auth/users.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';

/** The password of every test account (long enough for the password rules). */
export const TEST_PASSWORD = 'test-password-4711';

export interface Account {
  username: string;
  password: string;
}

export async function addAccount(
  warehouse: Warehouse,
  role: Role,
  options: { username?: string; display_name?: string; agent_id?: string; teams?: string[] } = {}
): Promise<Account> {
  const username = options.username ?? `test-${role}`;
  await addUser(
    warehouse,
    { username, display_name: options.display_name ?? username, role, agent_id: options.agent_id ?? null, teams: options.teams ?? null },
    TEST_PASSWORD,
    'test'
  );
  return { username, password: TEST_PASSWORD };
}

/** Anything with Hono's request(path, init): the API app of createApi. */
interface RequestTarget {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

export interface SignedIn {
  username: string;
  /** The session cookie, `zhijian_session=…`. */
  cookie: string;
  /** The API's request with the session cookie added. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A JSON body request (POST, PUT, PATCH) with the session cookie. */
  send(method: string, path: string, body: unknown): Promise<Response>;
}

/** Signs in through POST /api/session, in process (the API app) or over HTTP (a server's URL). */
async function signIn(target: RequestTarget | string, username: string, password: string): Promise<string> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) };
  const res = typeof target === 'string' ? await fetch(`${target}/api/session`, init) : await target.request('/api/session', init);
  if (res.status !== 200) throw new Error(`signing in ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = /^[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error(`signing in ${username} set no cookie`);
  return cookie;
}

/** Signs in to a running server (its base URL) and returns the session cookie. */
export function sessionCookie(baseUrl: string, username: string, password: string = TEST_PASSWORD): Promise<string> {
  return signIn(baseUrl, username, password);
}

export async function signedIn(api: RequestTarget, username: string, password: string = TEST_PASSWORD): Promise<SignedIn> {
  const cookie = await signIn(api, username, password);
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie);
    return api.request(path, { ...init, headers });
  };
  return {
    username,
    cookie,
    request,
    send: (method, path, body) => request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  };
}
