// The loader's SQL lives in queries/load/*.sql. Templates take {{name}} placeholders, filled only
// with constants from kinds.ts (table and column names), never with input; input is bound ($name).
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { repoRoot } from '../../web/lib/server/config.ts';

const cache = new Map<string, string>();

export function loadSql(name: string, vars: Record<string, string> = {}): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(repoRoot, 'queries', 'load', `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in vars)) throw new Error(`queries/load/${name}.sql: no value for {{${key}}}`);
    return vars[key];
  });
}

/** Runs a SQL file statement by statement (statements end with ";" and a blank line), binding the parameters each uses. */
export async function runSql(
  conn: DuckDBConnection,
  name: string,
  vars: Record<string, string> = {},
  params: Record<string, DuckDBValue> = {}
): Promise<void> {
  for (const statement of loadSql(name, vars).split(/;\s*\n\s*\n/)) {
    if (!statement.replace(/--.*$/gm, '').trim()) continue;
    const used = Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`\\$${k}\\b`).test(statement)));
    await conn.run(statement, used);
  }
}
