// Saved workbench queries (table workbench_queries): a name, a description and the SQL, found
// again by a short random id that makes the share link /sql?q=<id>.
import { randomBytes } from 'node:crypto';
import type { Warehouse } from '../warehouse.ts';

export interface SavedQuery {
  id: string;
  name: string;
  description: string | null;
  sql: string;
  createdAt: string;
}

const COLUMNS = `query_id AS id, name, description, sql, strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS "createdAt"`;

export async function saveQuery(warehouse: Warehouse, q: { name: string; description?: string | null; sql: string }): Promise<SavedQuery> {
  const id = randomBytes(9).toString('base64url');
  await warehouse.run(`INSERT INTO workbench_queries (query_id, name, description, sql) VALUES ($id, $name, $description, $sql)`, {
    id,
    name: q.name,
    description: q.description ?? null,
    sql: q.sql
  });
  return (await getQuery(warehouse, id))!;
}

export async function getQuery(warehouse: Warehouse, id: string): Promise<SavedQuery | undefined> {
  return warehouse.one<SavedQuery>(`SELECT ${COLUMNS} FROM workbench_queries WHERE query_id = $id`, { id });
}

export async function listQueries(warehouse: Warehouse): Promise<SavedQuery[]> {
  return warehouse.all<SavedQuery>(`SELECT ${COLUMNS} FROM workbench_queries ORDER BY created_at DESC, name`);
}

export async function deleteQuery(warehouse: Warehouse, id: string): Promise<boolean> {
  const found = await getQuery(warehouse, id);
  if (found) await warehouse.run(`DELETE FROM workbench_queries WHERE query_id = $id`, { id });
  return Boolean(found);
}
