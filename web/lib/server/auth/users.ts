// Local accounts: add, change, disable, set passwords, and sign in with lock-out after repeated
// failures. Every change is audited in its own transaction; password hashes never leave here.
import { z } from 'zod';
import { queryRows, type Warehouse } from '../warehouse.ts';
import { recordAudit } from './audit.ts';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { ROLES, type Role } from '../../auth/roles.ts';
import { forgetSessions } from './sessions.ts';

export interface User {
  username: string;
  display_name: string;
  role: Role;
  /** An agent's 工号. */
  agent_id: string | null;
  /** Teams a manager or reviewer is limited to; null = all. */
  teams: string[] | null;
  must_change_password: boolean;
  disabled: boolean;
}

export class AccountError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400
  ) {
    super(message);
  }
}

/** Wrong passwords in a row before the account locks, and for how long. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_.-]{2,64}$/u, 'a username is 2–64 letters, digits, _ . or -');

export const userFieldsSchema = z.strictObject({
  display_name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES),
  agent_id: z.string().trim().min(1).max(50).nullable().optional(),
  teams: z.array(z.string().trim().min(1).max(50)).min(1).nullable().optional()
});
export const newUserSchema = userFieldsSchema.extend({ username: usernameSchema });
export type NewUser = z.input<typeof newUserSchema>;

export const userPatchSchema = z.strictObject({
  display_name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES).optional(),
  agent_id: z.string().trim().min(1).max(50).nullable().optional(),
  teams: z.array(z.string().trim().min(1).max(50)).min(1).nullable().optional(),
  disabled: z.boolean().optional()
});
export type UserPatch = z.infer<typeof userPatchSchema>;

const COLUMNS = `username, display_name, role, agent_id, teams, must_change_password, disabled`;

export async function getUser(warehouse: Warehouse, username: string): Promise<User | null> {
  return (await warehouse.one<User>(`SELECT ${COLUMNS} FROM restricted.users WHERE username = $u`, { u: username })) ?? null;
}

export async function listUsers(warehouse: Warehouse): Promise<Array<User & { locked_until: string | null; created_at: string }>> {
  return warehouse.all(
    `SELECT ${COLUMNS}, CASE WHEN locked_until > current_timestamp THEN strftime(locked_until, '%Y-%m-%d %H:%M') END AS locked_until,
            strftime(created_at, '%Y-%m-%d %H:%M') AS created_at
       FROM restricted.users ORDER BY role, username`
  );
}

export async function countUsers(warehouse: Warehouse): Promise<number> {
  return Number((await warehouse.one<{ n: number }>(`SELECT count(*) AS n FROM restricted.users`))!.n);
}

async function checkAgentAndTeams(warehouse: Warehouse, user: { role: Role; agent_id?: string | null; teams?: string[] | null }) {
  if (user.role === 'agent' && !user.agent_id) throw new AccountError('an agent account needs the agent’s 工号 (agent_id)');
  if (user.agent_id) {
    const known = await warehouse.one(`SELECT 1 FROM agents WHERE agent_id = $id`, { id: user.agent_id });
    if (!known) throw new AccountError(`no agent with 工号 ${user.agent_id}`);
  }
  for (const team of user.teams ?? []) {
    const known = await warehouse.one(`SELECT 1 FROM teams WHERE team_id = $id`, { id: team });
    if (!known) throw new AccountError(`no team ${team}`);
  }
}

const publicView = (u: User) => ({ username: u.username, display_name: u.display_name, role: u.role, agent_id: u.agent_id, teams: u.teams, disabled: u.disabled });

/** Adds an account; the password must be acceptable unless generated (then it must be changed at first sign-in). */
export async function addUser(warehouse: Warehouse, input: NewUser, password: string, actor: string, options: { mustChange?: boolean } = {}): Promise<User> {
  const user = newUserSchema.parse(input);
  const problem = passwordProblem(password, user.username);
  if (problem) throw new AccountError(problem);
  await checkAgentAndTeams(warehouse, user);
  if (await getUser(warehouse, user.username)) throw new AccountError(`the account ${user.username} already exists`, 409);
  const hash = await hashPassword(password);
  await warehouse.transaction(async (conn) => {
    await conn.run(
      `INSERT INTO restricted.users (username, display_name, role, agent_id, teams, password_hash, must_change_password)
       VALUES ($username, $display, $role, $agent, $teams::VARCHAR[], $hash, $must)`,
      {
        username: user.username,
        display: user.display_name ?? user.username,
        role: user.role,
        agent: user.agent_id ?? null,
        teams: user.teams ? JSON.stringify(user.teams) : null,
        hash,
        must: options.mustChange ?? false
      }
    );
    const after = (await queryRows<User>(conn, `SELECT ${COLUMNS} FROM restricted.users WHERE username = $u`, { u: user.username }))[0];
    await recordAudit(conn, { actor, action: 'user.add', target: `user:${user.username}`, after: publicView(after) });
  });
  return (await getUser(warehouse, user.username))!;
}

export async function updateUser(warehouse: Warehouse, username: string, patch: UserPatch, actor: string): Promise<User> {
  const change = userPatchSchema.parse(patch);
  const before = await getUser(warehouse, username);
  if (!before) throw new AccountError(`no account ${username}`, 404);
  const next = { ...before, ...change };
  if (actor === username && (next.role !== before.role || next.disabled)) throw new AccountError('you cannot change your own role or disable yourself', 403);
  await checkAgentAndTeams(warehouse, next);
  await warehouse.transaction(async (conn) => {
    if (before.role === 'admin' && (next.role !== 'admin' || next.disabled)) {
      const admins = (await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM restricted.users WHERE role = 'admin' AND NOT disabled`))[0];
      if (Number(admins.n) <= 1) throw new AccountError('the last administrator cannot be removed or disabled', 409);
    }
    await conn.run(
      `UPDATE restricted.users SET display_name = $display, role = $role, agent_id = $agent, teams = $teams::VARCHAR[], disabled = $disabled WHERE username = $u`,
      { u: username, display: next.display_name, role: next.role, agent: next.agent_id, teams: next.teams ? JSON.stringify(next.teams) : null, disabled: next.disabled }
    );
    if (next.disabled || next.role !== before.role) await conn.run(`DELETE FROM restricted.sessions WHERE username = $u`, { u: username });
    await recordAudit(conn, { actor, action: 'user.update', target: `user:${username}`, before: publicView(before), after: publicView(next) });
  });
  forgetSessions();
  return (await getUser(warehouse, username))!;
}

/**
 * Sets a password (the user's own change, or an administrator's reset with mustChange). Every
 * session of the account ends, except the one given (the user who changed their own password).
 */
export async function setPassword(
  warehouse: Warehouse,
  username: string,
  password: string,
  actor: string,
  options: { mustChange?: boolean; keepSession?: string } = {}
): Promise<void> {
  const user = await getUser(warehouse, username);
  if (!user) throw new AccountError(`no account ${username}`, 404);
  const problem = passwordProblem(password, username);
  if (problem) throw new AccountError(problem);
  const hash = await hashPassword(password);
  await warehouse.transaction(async (conn) => {
    await conn.run(
      `UPDATE restricted.users SET password_hash = $hash, must_change_password = $must, failed_attempts = 0, locked_until = NULL,
              password_changed_at = current_timestamp WHERE username = $u`,
      { u: username, hash, must: options.mustChange ?? false }
    );
    await conn.run(`DELETE FROM restricted.sessions WHERE username = $u AND token_sha256 <> coalesce($keep, '')`, { u: username, keep: options.keepSession ?? null });
    // The session that changed its own password goes on (sessions older than the password end).
    await conn.run(`UPDATE restricted.sessions SET created_at = current_timestamp WHERE token_sha256 = $keep`, { keep: options.keepSession ?? null });
    await recordAudit(conn, {
      actor,
      action: actor === username ? 'user.password_change' : 'user.password_reset',
      target: `user:${username}`,
      after: { must_change_password: options.mustChange ?? false }
    });
  });
  forgetSessions();
}

/** The user's own change: the current password is asked again. */
export async function changeOwnPassword(warehouse: Warehouse, username: string, current: string, next: string, keepSession: string): Promise<void> {
  const row = await warehouse.one<{ password_hash: string }>(`SELECT password_hash FROM restricted.users WHERE username = $u`, { u: username });
  if (!row || !(await verifyPassword(current, row.password_hash))) throw new AccountError('the current password is wrong', 403);
  if (current === next) throw new AccountError('choose a password different from the current one');
  await setPassword(warehouse, username, next, username, { keepSession });
}

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' | 'locked'; until?: string };

// Verifying against a real hash when the account does not exist keeps the answer time the same,
// so that timing does not tell which usernames exist.
let decoyHash: Promise<string> | undefined;

export async function checkSignIn(warehouse: Warehouse, username: string, password: string): Promise<SignInResult> {
  const row = await warehouse.one<User & { password_hash: string; locked: boolean; locked_until: string | null }>(
    `SELECT ${COLUMNS}, password_hash, coalesce(locked_until > current_timestamp, false) AS locked,
            strftime(locked_until, '%Y-%m-%d %H:%M:%S') AS locked_until
       FROM restricted.users WHERE username = $u`,
    { u: username }
  );
  if (!row || row.disabled) {
    decoyHash ??= hashPassword(generatePassword());
    await verifyPassword(password, await decoyHash);
    return { ok: false, reason: 'invalid' };
  }
  if (row.locked) return { ok: false, reason: 'locked', until: row.locked_until ?? undefined };
  if (!(await verifyPassword(password, row.password_hash))) {
    await warehouse.transaction(async (conn) => {
      await conn.run(
        `UPDATE restricted.users SET failed_attempts = failed_attempts + 1,
                locked_until = CASE WHEN failed_attempts + 1 >= $max THEN current_timestamp + to_minutes($minutes) ELSE locked_until END
          WHERE username = $u`,
        { u: username, max: LOCK_AFTER_FAILURES, minutes: LOCK_MINUTES }
      );
      await recordAudit(conn, { actor: username, action: 'session.sign_in_failed', target: `user:${username}` });
    });
    return { ok: false, reason: 'invalid' };
  }
  await warehouse.run(`UPDATE restricted.users SET failed_attempts = 0, locked_until = NULL WHERE username = $u AND failed_attempts > 0`, { u: username });
  const { password_hash: _hash, locked: _locked, locked_until: _until, ...user } = row;
  return { ok: true, user };
}

/**
 * The first start of a warehouse without accounts makes an administrator with a generated password
 * (to be changed at first sign-in). Returns the password to print once, or null when accounts exist.
 */
export async function ensureAdministrator(warehouse: Warehouse): Promise<{ username: string; password: string } | null> {
  if ((await countUsers(warehouse)) > 0) return null;
  const password = generatePassword();
  await addUser(warehouse, { username: 'admin', display_name: '管理员', role: 'admin' }, password, 'zhijian', { mustChange: true });
  return { username: 'admin', password };
}

/** Accounts that review calls (QA reviewers), for draws and calibration sessions. */
export async function reviewerAccounts(warehouse: Warehouse): Promise<Array<{ username: string; display_name: string }>> {
  return warehouse.all(`SELECT username, display_name FROM restricted.users WHERE role = 'reviewer' AND NOT disabled ORDER BY username`);
}
