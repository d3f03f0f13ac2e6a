// What the workbench page offers to start from: the warehouse's tables and columns with their
// comments (the schema browser and the editor's completion) and the example queries in
// queries/workbench/*.sql.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config.ts';
import type { Warehouse } from '../warehouse.ts';

export interface SchemaColumn {
  name: string;
  type: string;
  comment: string | null;
}

export interface SchemaTable {
  name: string;
  kind: 'table' | 'view';
  comment: string | null;
  columns: SchemaColumn[];
}

/** The warehouse's own tables and views (main schema), in name order, with their comments. */
export async function warehouseSchema(warehouse: Warehouse): Promise<SchemaTable[]> {
  const rows = await warehouse.all<{ table_name: string; kind: 'table' | 'view'; table_comment: string | null; column_name: string; data_type: string; comment: string | null }>(
    `WITH rel AS (
       SELECT table_name, 'table' AS kind, comment AS table_comment FROM duckdb_tables()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
       UNION ALL
       SELECT view_name, 'view', comment FROM duckdb_views()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal)
     SELECT r.table_name, r.kind, r.table_comment, c.column_name, c.data_type, c.comment
     FROM rel r JOIN duckdb_columns() c
       ON c.database_name = current_database() AND c.schema_name = 'main' AND c.table_name = r.table_name
     ORDER BY r.table_name, c.column_index`
  );
  const tables = new Map<string, SchemaTable>();
  for (const r of rows) {
    let t = tables.get(r.table_name);
    if (!t) tables.set(r.table_name, (t = { name: r.table_name, kind: r.kind, comment: r.table_comment, columns: [] }));
    t.columns.push({ name: r.column_name, type: r.data_type, comment: r.comment });
  }
  return [...tables.values()];
}

export interface Example {
  /** The file's name without .sql, e.g. 03_complaint_pareto. */
  name: string;
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  sql: string;
}

const EXAMPLES_DIR = path.join(repoRoot, 'queries', 'workbench');

/** The example queries: each file's header (title.zh/en, description.zh/en) and its SQL below it. */
export function examples(dir = EXAMPLES_DIR): Example[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const header: Record<string, string> = {};
      const body: string[] = [];
      for (const line of text.split('\n')) {
        const m = /^--\s*(title|description)\.(zh|en):\s*(.*)$/.exec(line);
        if (m && !body.length) header[`${m[1]}.${m[2]}`] = m[3].trim();
        else body.push(line);
      }
      return {
        name: file.replace(/\.sql$/, ''),
        title: { zh: header['title.zh'] ?? file, en: header['title.en'] ?? file },
        description: { zh: header['description.zh'] ?? '', en: header['description.en'] ?? '' },
        sql: body.join('\n').trim() + '\n'
      };
    });
}
