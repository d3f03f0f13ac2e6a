// The complaint cause taxonomy (group → cause → optional sub-cause) as data: a JSON document
// checked by zod, stored in the complaint_cause* tables, read back as one tree. The default
// document is taxonomy.json beside this file (docs/domain.md's 顾客抱怨问题分析).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse.ts';
import { queryRows } from '../warehouse.ts';
import { UserError } from '../errors.ts';
import { repoRoot } from '../config.ts';
import { recordAudit } from '../auth/audit.ts';
// Bundled with the code (like the QA default scorecard), so a built server has it too.
import defaultDocument from './taxonomy.json' with { type: 'json' };

const name = z.string().trim().min(1).max(80);
const keywords = z.array(z.string().trim().min(1).max(40)).max(100).default([]);

const subCauseSchema = z.strictObject({ zh: name, en: name, keywords });
const causeSchema = z.strictObject({
  zh: name,
  en: name,
  department: z.string().trim().min(1).max(80).nullable().default(null),
  keywords,
  subCauses: z.array(subCauseSchema).default([])
});
const groupSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
  zh: name,
  en: name,
  causes: z.array(causeSchema).min(1)
});

export const taxonomySchema = z
  .strictObject({ name: z.string().optional(), groups: z.array(groupSchema).min(1) })
  .superRefine((t, ctx) => {
    const codes = new Set<string>();
    const causes = new Set<string>();
    t.groups.forEach((g, gi) => {
      if (codes.has(g.code)) ctx.addIssue({ code: 'custom', path: ['groups', gi, 'code'], message: `group "${g.code}" appears twice` });
      codes.add(g.code);
      g.causes.forEach((c, ci) => {
        // tickets.cause holds the Chinese name alone, so it must be unique across groups.
        if (causes.has(c.zh)) ctx.addIssue({ code: 'custom', path: ['groups', gi, 'causes', ci, 'zh'], message: `cause "${c.zh}" appears twice` });
        causes.add(c.zh);
        const subs = new Set<string>();
        c.subCauses.forEach((s, si) => {
          if (subs.has(s.zh)) ctx.addIssue({ code: 'custom', path: ['groups', gi, 'causes', ci, 'subCauses', si, 'zh'], message: `sub-cause "${s.zh}" appears twice under "${c.zh}"` });
          subs.add(s.zh);
        });
      });
    });
  });

export type Taxonomy = z.infer<typeof taxonomySchema>;
export type TaxonomyCause = Taxonomy['groups'][number]['causes'][number] & { group: string };

/** Where the default taxonomy lives in the repository (for messages and docs). */
export const DEFAULT_TAXONOMY_FILE = path.join(repoRoot, 'web', 'lib', 'server', 'complaints', 'taxonomy.json');

/** Checks a taxonomy document; the error names the file (or "taxonomy") and the field. */
export function parseTaxonomy(value: unknown, where = 'taxonomy'): Taxonomy {
  const parsed = taxonomySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${where}: ${issue.path.join('.') || '(document)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function readTaxonomyFile(file: string): Taxonomy {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message}`);
  }
  return parseTaxonomy(value, file);
}

export function defaultTaxonomy(): Taxonomy {
  return parseTaxonomy(structuredClone(defaultDocument), DEFAULT_TAXONOMY_FILE);
}

/** Every cause with its group code, in display order. */
export function flattenCauses(t: Taxonomy): TaxonomyCause[] {
  return t.groups.flatMap((g) => g.causes.map((c) => ({ ...c, group: g.code })));
}

/** Replaces the stored taxonomy with this one, in one transaction with its audit record (taxonomy.save). */
export async function saveTaxonomy(warehouse: Warehouse, t: Taxonomy, actor: string): Promise<void> {
  await warehouse.transaction(async (conn) => {
    const before = await readStored(conn);
    await writeTaxonomy(conn, t);
    await recordAudit(conn, { actor, action: 'taxonomy.save', target: 'taxonomy', before, after: await readStored(conn) });
  });
}

async function writeTaxonomy(conn: DuckDBConnection, t: Taxonomy): Promise<void> {
  await conn.run('DELETE FROM complaint_sub_causes');
  await conn.run('DELETE FROM complaint_causes');
  await conn.run('DELETE FROM complaint_cause_groups');
  let sort = 0;
  for (const [gi, g] of t.groups.entries()) {
    await conn.run('INSERT INTO complaint_cause_groups VALUES ($code, $zh, $en, $sort)', { code: g.code, zh: g.zh, en: g.en, sort: gi });
    for (const c of g.causes) {
      await conn.run(`INSERT INTO complaint_causes VALUES ($cause, $group, $en, $department, json_transform($keywords, '["VARCHAR"]'), $sort)`, {
        cause: c.zh,
        group: g.code,
        en: c.en,
        department: c.department,
        keywords: JSON.stringify(c.keywords),
        sort: sort++
      });
      for (const [si, s] of c.subCauses.entries()) {
        await conn.run(`INSERT INTO complaint_sub_causes VALUES ($cause, $sub, $en, json_transform($keywords, '["VARCHAR"]'), $sort)`, {
          cause: c.zh,
          sub: s.zh,
          en: s.en,
          keywords: JSON.stringify(s.keywords),
          sort: si
        });
      }
    }
  }
}

interface GroupRow { group_code: string; name_zh: string; name_en: string }
interface CauseRow { cause: string; group_code: string; name_en: string; department: string | null; keywords: string }
interface SubRow { cause: string; sub_cause: string; name_en: string; keywords: string }

async function readStored(conn: DuckDBConnection): Promise<Taxonomy | null> {
  const groups = await queryRows<GroupRow>(conn, 'SELECT group_code, name_zh, name_en FROM complaint_cause_groups ORDER BY sort');
  if (!groups.length) return null;
  const causes = await queryRows<CauseRow>(conn, 'SELECT cause, group_code, name_en, department, to_json(keywords)::VARCHAR AS keywords FROM complaint_causes ORDER BY sort');
  const subs = await queryRows<SubRow>(conn, 'SELECT cause, sub_cause, name_en, to_json(keywords)::VARCHAR AS keywords FROM complaint_sub_causes ORDER BY cause, sort');
  return {
    groups: groups.map((g) => ({
      code: g.group_code,
      zh: g.name_zh,
      en: g.name_en,
      causes: causes
        .filter((c) => c.group_code === g.group_code)
        .map((c) => ({
          zh: c.cause,
          en: c.name_en,
          department: c.department,
          keywords: JSON.parse(c.keywords) as string[],
          subCauses: subs.filter((s) => s.cause === c.cause).map((s) => ({ zh: s.sub_cause, en: s.name_en, keywords: JSON.parse(s.keywords) as string[] }))
        }))
    }))
  };
}

/**
 * The stored taxonomy. A warehouse that has none yet gets the default one written first (when it
 * is writable), so the pages and the classifier always have a taxonomy to work with.
 */
export async function loadTaxonomy(warehouse: Warehouse): Promise<Taxonomy> {
  const stored = await warehouse.withConnection(readStored);
  if (stored) return stored;
  const t = defaultTaxonomy();
  if (warehouse.readOnly) return t;
  try {
    // Seeding the default is the product's own first step, not anyone's change: not audited.
    await warehouse.transaction(async (conn) => writeTaxonomy(conn, t));
  } catch (err) {
    // Two first requests at once: the other one seeded it (and this write conflicted).
    const seeded = await warehouse.withConnection(readStored);
    if (seeded) return seeded;
    throw err;
  }
  return t;
}
