// `zhijian user add|password|set|list`: accounts from the command line. The password comes on
// standard input (piped, or typed at a hidden prompt), never as an argument that `ps` would show.
// Through the running server when there is one (it owns the file), else on the file itself.
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveDbPath } from '../config.ts';
import { UserError } from '../errors.ts';
import { cliActor, findServer, serverFetch } from '../handoff.ts';
import { Warehouse, WarehouseError } from '../warehouse.ts';
import { ROLES } from '../../auth/roles.ts';
import { AccountError } from '../auth/users.ts';
import { runUserCommand, type UserCommand } from '../auth/user-commands.ts';

const teamList = (value: string) => {
  const teams = value.split(',').map((t) => t.trim()).filter(Boolean);
  if (!teams.length) throw new InvalidArgumentError('give team ids separated by commas');
  return teams;
};

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage accounts (passwords are read from standard input)');
  user
    .command('add')
    .description('add an account; the password is read from standard input')
    .argument('<username>', 'sign-in name, e.g. wangfang')
    .addOption(new Option('--role <role>', 'what the account may do').choices([...ROLES]).makeOptionMandatory())
    .option('--name <display name>', 'name shown in the product, e.g. 王芳')
    .option('--agent <工号>', "agents: their employee number (they see only their own calls)")
    .option('--teams <ids>', 'managers and reviewers: limit to these teams (comma-separated team ids)', teamList)
    .action(async (username: string, opts: { role: (typeof ROLES)[number]; name?: string; agent?: string; teams?: string[] }, cmd: Command) => {
      const password = await readPassword(`password for ${username}: `);
      const user = { username, role: opts.role, display_name: opts.name, agent_id: opts.agent ?? null, teams: opts.teams ?? null };
      print(await userCommand(resolveDbPath(cmd.optsWithGlobals().db), { op: 'add', actor: cliActor(), user, password }));
    });
  user
    .command('password')
    .description("set an account's password (read from standard input); its sessions end")
    .argument('<username>')
    .option('--must-change', 'make them choose a new one when they next sign in')
    .action(async (username: string, opts: { mustChange?: boolean }, cmd: Command) => {
      const password = await readPassword(`new password for ${username}: `);
      print(await userCommand(resolveDbPath(cmd.optsWithGlobals().db), { op: 'password', actor: cliActor(), username, password, must_change: opts.mustChange ?? false }));
    });
  user
    .command('set')
    .description("change an account's role, name, agent, teams, or disable / enable it")
    .argument('<username>')
    .addOption(new Option('--role <role>').choices([...ROLES]))
    .option('--name <display name>')
    .option('--agent <工号>')
    .option('--teams <ids>', 'comma-separated team ids, or "all"', (v) => (v === 'all' ? null : teamList(v)))
    .option('--disable', 'refuse sign-in and end its sessions')
    .option('--enable', 'allow sign-in again')
    .action(async (username: string, opts: { role?: (typeof ROLES)[number]; name?: string; agent?: string; teams?: string[] | null; disable?: boolean; enable?: boolean }, cmd: Command) => {
      if (opts.disable && opts.enable) throw new UserError('give --disable or --enable, not both');
      const patch = {
        ...(opts.role ? { role: opts.role } : {}),
        ...(opts.name ? { display_name: opts.name } : {}),
        ...(opts.agent ? { agent_id: opts.agent } : {}),
        ...(opts.teams !== undefined ? { teams: opts.teams } : {}),
        ...(opts.disable ? { disabled: true } : opts.enable ? { disabled: false } : {})
      };
      if (!Object.keys(patch).length) throw new UserError('nothing to change: give --role, --name, --agent, --teams, --disable or --enable');
      print(await userCommand(resolveDbPath(cmd.optsWithGlobals().db), { op: 'update', actor: cliActor(), username, patch }));
    });
  user
    .command('list')
    .description('list the accounts')
    .action(async (_opts: unknown, cmd: Command) => {
      const { users = [] } = await userCommand(resolveDbPath(cmd.optsWithGlobals().db), { op: 'list' });
      for (const u of users) {
        const notes = [u.agent_id && `工号 ${u.agent_id}`, u.teams && `teams ${u.teams.join(',')}`, u.disabled && 'disabled', u.locked_until && `locked until ${u.locked_until}`].filter(Boolean);
        process.stdout.write(`${u.username}\t${u.role}\t${u.display_name}${notes.length ? `\t(${notes.join('; ')})` : ''}\n`);
      }
    });
}

function print(result: { message: string }) {
  if (result.message) process.stdout.write(`zhijian: ${result.message}\n`);
}

/** Runs the operation where the warehouse is reachable now: the server, else the file. */
export async function userCommand(dbPath: string, command: UserCommand): Promise<Awaited<ReturnType<typeof runUserCommand>>> {
  const server = await findServer(dbPath);
  if (server) {
    const res = await serverFetch(server, '/api/internal/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command) });
    const body = (await res.json().catch(() => null)) as (Awaited<ReturnType<typeof runUserCommand>> & { error?: { message: string } }) | null;
    if (!res.ok || !body) throw new UserError(body?.error?.message ?? `server: ${res.status} ${res.statusText}`);
    return body;
  }
  let warehouse: Warehouse;
  try {
    warehouse = await Warehouse.open(dbPath);
  } catch (err) {
    if (err instanceof WarehouseError) throw new UserError(err.message);
    throw err;
  }
  try {
    return await runUserCommand(warehouse, command);
  } catch (err) {
    if (err instanceof AccountError) throw new UserError(err.message);
    throw err;
  } finally {
    warehouse.close();
  }
}

/** The first line of standard input; at a terminal, asked twice without echo. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw new UserError('no password on standard input (pipe it in, e.g. printf "%s\\n" "$PASSWORD" | zhijian user add …)');
    return line;
  }
  const first = await hiddenQuestion(prompt);
  const second = await hiddenQuestion('again: ');
  if (first !== second) throw new UserError('the two passwords differ');
  return first;
}

function hiddenQuestion(prompt: string): Promise<string> {
  let muted = false;
  // Echo the prompt, not the keystrokes.
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stderr.write(chunk, encoding);
      done();
    }
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
