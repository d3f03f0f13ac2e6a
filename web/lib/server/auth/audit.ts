// The audit trail: who did what to what, with the state before and after. Changes write their
// record inside their own transaction (recordAudit with the transaction's connection), so a
// change and its record commit or vanish together; accesses (a recording played) write alone.
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import type { Warehouse } from '../warehouse.ts';

export interface AuditEntry {
  /** A username, `cli:<os user>` for the command line, or `zhijian` for the product itself. */
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditRecord {
  audit_id: number;
  occurred_at: string;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

const INSERT = `INSERT INTO restricted.audit_log (actor, action, target, before, after) VALUES ($actor, $action, $target, $before::JSON, $after::JSON)`;

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Writes the record on the caller's connection, inside the caller's transaction. */
export async function recordAudit(conn: DuckDBConnection, entry: AuditEntry): Promise<void> {
  await conn.run(INSERT, { actor: entry.actor, action: entry.action, target: entry.target, before: json(entry.before), after: json(entry.after) });
}

/** Writes a record on its own (an access, not a change). */
export async function audit(warehouse: Warehouse, entry: AuditEntry): Promise<void> {
  await warehouse.withConnection((conn) => recordAudit(conn, entry));
}

export const auditQuerySchema = z.strictObject({
  actor: z.string().trim().min(1).max(100).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  target: z.string().trim().min(1).max(200).optional(),
  /** Records older than this id (the next page). */
  before_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100)
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Newest first; target matches by prefix (`review:12` or `call:`). */
export async function listAudit(warehouse: Warehouse, query: Partial<AuditQuery> = {}): Promise<AuditRecord[]> {
  const rows = await warehouse.all<Omit<AuditRecord, 'before' | 'after'> & { before: string | null; after: string | null }>(
    `SELECT audit_id, strftime(occurred_at, '%Y-%m-%d %H:%M:%S') AS occurred_at, actor, action, target, before::VARCHAR AS before, after::VARCHAR AS after
       FROM restricted.audit_log
      WHERE ($actor IS NULL OR actor = $actor) AND ($action IS NULL OR action = $action)
        AND ($target IS NULL OR starts_with(target, $target)) AND ($before_id IS NULL OR audit_id < $before_id)
      ORDER BY audit_id DESC LIMIT $limit`,
    { actor: query.actor ?? null, action: query.action ?? null, target: query.target ?? null, before_id: query.before_id ?? null, limit: query.limit ?? 100 }
  );
  return rows.map((r) => ({ ...r, before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after) }));
}
