// `zhijian serve`: the web app and its API in one Node process, from the adapter-node build.
// While it runs, the server owns the warehouse and advertises itself in <db>.server.json so
// that other zhijian commands hand it their work (see ../handoff.ts).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { repoRoot, resolveDbPath } from '../config.ts';
import { UserError } from '../errors.ts';
import { findServer, newToken, removeServerFile, writeServerFile } from '../handoff.ts';
import { closeWarehouse, getWarehouse } from '../instance.ts';
import { refreshKeptParts } from '../metrics/kept-parts.ts';
import { ensureAdministrator } from '../auth/users.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

function threads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InvalidArgumentError('threads is a whole number from 1 to 1024');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the web app and API on the warehouse (the CLI hands its work to it while it runs)')
    .option('--port <n>', 'port to listen on (0: any free port)', port, 3000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--threads <n>', 'DuckDB threads per query (default: ZHIJIAN_THREADS, else half the cores)', threads)
    .action(async (opts: { port: number; host: string; threads?: number }, cmd: Command) => {
      await serve({ dbPath: resolveDbPath(cmd.optsWithGlobals().db), port: opts.port, host: opts.host, threads: opts.threads });
    });
}

export interface ServeOptions {
  dbPath: string;
  port: number;
  host: string;
  /** DuckDB threads (see config.ts serverThreads). */
  threads?: number;
  /** Where the adapter-node build is (default: build/ at the repository root). */
  buildDir?: string;
}

/** Starts the server; resolves once it is listening, with a function that stops it. */
export interface StartedServer {
  url: string;
  port: number;
  /** Set when this start created the first administrator: the password to print, once. */
  firstAdmin: { username: string; password: string } | null;
  stop: () => Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<StartedServer> {
  const handlerFile = path.join(options.buildDir ?? path.join(repoRoot, 'build'), 'handler.js');
  if (!fs.existsSync(handlerFile)) throw new UserError(`no web build at ${handlerFile}: run "npm run build" first`);

  const running = await findServer(options.dbPath);
  if (running) throw new UserError(`a zhijian server already serves ${options.dbPath} at ${running.url}`);

  // The bundle reads these when it opens the warehouse and builds the API.
  const token = newToken();
  process.env.ZHIJIAN_DB = options.dbPath;
  process.env.ZHIJIAN_SERVER_TOKEN = token;
  if (options.threads) process.env.ZHIJIAN_THREADS = String(options.threads);
  // Open the warehouse before listening: a locked file is reported now, not on the first request.
  // A warehouse without accounts gets its administrator now, with a password printed once.
  const warehouse = await getWarehouse();
  const firstAdmin = await ensureAdministrator(warehouse);
  // The call KPI parts the views add up are computed now, in the background, not at the first view.
  void refreshKeptParts(warehouse);
  const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: Handler };

  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new UserError(`port ${options.port} on ${options.host} is already in use (try --port)`) : err)
    );
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : options.port;
  writeServerFile(options.dbPath, { pid: process.pid, port: actualPort, host: options.host, token });
  const cleanup = () => removeServerFile(options.dbPath);
  process.once('exit', cleanup);

  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${actualPort}/`,
    port: actualPort,
    firstAdmin,
    stop: async () => {
      cleanup();
      process.off('exit', cleanup);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeWarehouse();
    }
  };
}

export async function serve(options: ServeOptions): Promise<void> {
  const { url, stop, firstAdmin } = await startServer(options);
  process.stdout.write(`zhijian: serving ${options.dbPath} at ${url} (Ctrl-C to stop)\n`);
  if (firstAdmin) {
    process.stdout.write(
      `zhijian: first start — sign in at ${url}login as "${firstAdmin.username}" with the password ${firstAdmin.password}\n` +
        `         (shown this once; you will be asked to choose your own). Add accounts on the Admin page or with "zhijian user add".\n`
    );
  }
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stop().finally(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
