// While `zhijian serve` runs it owns the warehouse file (DuckDB allows one writing process or
// many readers, never both), so the CLI sends its work to the server instead of opening the
// file. The server advertises itself in <db path>.server.json, readable by its owner only.
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { UserError } from './errors.ts';
import type { SqlResult } from './sql.ts';
// Types only: the CLI's handoff does not load the loader itself.
import type { IngestOptions, IngestSummary, Progress } from '../../../ingest/load/index.ts';

export const TOKEN_HEADER = 'x-zhijian-token';
/** Who at the command line asked (their operating-system user), for the audit trail. */
export const ACTOR_HEADER = 'x-zhijian-actor';

/** The command line's actor name, e.g. cli:root. */
export const cliActor = () => `cli:${os.userInfo().username}`;

/** Constant-time comparison of a presented token with the server's. */
export function sameToken(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A request to the running server on behalf of the command line: the token from <db>.server.json
 * (readable by the server's owner only) signs it in as an administrator named cli:<os user>.
 */
export function serverFetch(server: RunningServer, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set(TOKEN_HEADER, server.token);
  headers.set(ACTOR_HEADER, cliActor());
  return fetch(`${server.url}${path}`, { ...init, headers });
}

export interface ServerInfo {
  pid: number;
  port: number;
  host: string;
  token: string;
}

export interface RunningServer {
  url: string;
  token: string;
}

const infoSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  host: z.string().min(1),
  token: z.string().min(16)
});

export function serverFile(dbPath: string): string {
  return `${dbPath}.server.json`;
}

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Writes <db>.server.json with mode 0600 (the token opens the internal endpoints). */
export function writeServerFile(dbPath: string, info: ServerInfo): string {
  const file = serverFile(dbPath);
  fs.writeFileSync(file, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/** Removes the file if it still describes this process (a newer server may have replaced it). */
export function removeServerFile(dbPath: string, pid = process.pid): void {
  const file = serverFile(dbPath);
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (info.pid === pid) fs.rmSync(file, { force: true });
  } catch {
    // Already gone or unreadable: nothing to clean.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The server running on this warehouse, or null. A file left by a dead server is removed. */
export async function findServer(dbPath: string): Promise<RunningServer | null> {
  const file = serverFile(dbPath);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = infoSchema.safeParse(safeJson(raw));
  if (!parsed.success || !alive(parsed.data.pid)) {
    fs.rmSync(file, { force: true });
    return null;
  }
  const { host, port, token } = parsed.data;
  const url = `http://${urlHost(host)}:${port}`;
  // The liveness route does not touch the warehouse; a loaded server may still be slow to answer,
  // so it gets a few tries before it is called unresponsive.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await fetch(`${url}/api/health/live`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return { url, token };
    } catch {
      // Not answering yet: try again.
    }
  }
  // The process lives but does not answer as our server: leave its file, say so.
  throw new UserError(`a zhijian server (pid ${parsed.data.pid}) holds ${dbPath} but does not answer at ${url}; stop it or remove ${file}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function failure(res: Response): Promise<UserError> {
  const text = await res.text();
  const message = (safeJson(text) as { error?: { message?: string } } | null)?.error?.message ?? (text.trim() || res.statusText);
  return new UserError(`server: ${message}`);
}

/** Runs SQL on the running server's warehouse. */
export async function remoteSql(server: RunningServer, sql: string, format: 'table' | 'csv' | 'json' = 'table'): Promise<SqlResult> {
  const res = await fetch(`${server.url}/api/internal/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify({ sql, format })
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as SqlResult;
}

/** Loads files through the running server; progress events arrive as they happen, the summary is returned. */
export async function remoteIngest(
  server: RunningServer,
  inputs: string[],
  options: IngestOptions,
  onProgress: Progress = () => {}
): Promise<IngestSummary> {
  type Summary = IngestSummary;
  const res = await fetch(`${server.url}/api/internal/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify({ inputs, options })
  });
  if (!res.ok || !res.body) throw await failure(res);
  let summary: { value: Summary } | null = null;
  let buffered = '';
  const decoder = new TextDecoder();
  const handle = (line: string) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line) as { progress?: unknown; summary?: Summary; error?: { message: string } };
    if (msg.error) throw new UserError(msg.error.message);
    if ('summary' in msg) summary = { value: msg.summary as Summary };
    else onProgress(msg.progress as Parameters<Progress>[0]);
  };
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      handle(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  }
  handle(buffered + decoder.decode());
  if (!summary) throw new UserError('server: the ingest ended without a summary (did the server stop?)');
  return (summary as { value: Summary }).value;
}
