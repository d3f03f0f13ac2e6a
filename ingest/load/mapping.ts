// Mapping files: how a source file's columns become a warehouse kind's columns. The built-in
// profiles in ./profiles are mapping files too, so every feature here is used by the product itself.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KINDS } from './kinds.ts';
import { UserError } from '../../web/lib/server/errors.ts';
import { repoRoot } from '../../web/lib/server/config.ts';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const columnSpec = z
  .object({
    from: z.string().min(1).optional().describe('source column (header name, or a name given in source.columns)'),
    date: z.string().min(1).optional().describe('source column with the date part, combined with "time"'),
    time: z.string().min(1).optional().describe('source column with the time part, combined with "date"'),
    const: scalar.optional().describe('a constant value for every row'),
    pattern: z.string().optional().describe('regular expression; its first group (or whole match) is kept'),
    values: z.record(z.string(), scalar).optional().describe('value map applied after trimming; unmapped values pass through'),
    otherwise: scalar.optional().describe('with "values": the value for anything the map does not list (empty included)'),
    format: z.union([z.string(), z.array(z.string()).min(1)]).optional().describe('strptime pattern(s) for timestamps and dates'),
    unit: z.enum(['seconds', 'ms', 'hms', 'epoch']).optional().describe('durations: seconds (default, also accepts HH:MM:SS), ms, hms; timestamps: epoch seconds'),
    lookup: z.enum(['id', 'name']).optional().describe('agent and queue columns: the source holds the id (default) or the name')
  })
  .strict()
  .superRefine((spec, ctx) => {
    const sources = [spec.from !== undefined, spec.date !== undefined || spec.time !== undefined, spec.const !== undefined].filter(Boolean).length;
    if (sources !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of "from", "date"+"time" or "const"' });
    if (spec.otherwise !== undefined && spec.values === undefined) ctx.addIssue({ code: 'custom', message: '"otherwise" goes with "values"' });
    if ((spec.date === undefined) !== (spec.time === undefined)) ctx.addIssue({ code: 'custom', message: '"date" and "time" go together' });
    if (spec.pattern !== undefined) {
      try {
        new RegExp(spec.pattern);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `bad regular expression: ${(err as Error).message}` });
      }
    }
  });

export const mappingSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    kind: z.enum(Object.keys(KINDS) as [string, ...string[]]),
    match: z
      .object({
        header: z.array(z.string()).min(1).optional().describe('columns a header must contain for this mapping to be detected'),
        firstLine: z.string().optional().describe('regular expression the first line matches (files without a header)'),
        extension: z.array(z.string()).optional()
      })
      .strict()
      .optional(),
    source: z
      .object({
        format: z.enum(['csv', 'tsv', 'jsonl', 'xlsx', 'queue_log', 'transcript']).default('csv'),
        encoding: z.enum(['auto', 'utf-8', 'gb18030', 'gbk', 'utf-16le', 'utf-16be']).default('auto'),
        delimiter: z.string().min(1).max(1).optional(),
        header: z.boolean().default(true),
        columns: z.array(z.string().min(1)).optional().describe('column names for a file without a header'),
        sheet: z.union([z.number().int().min(1), z.string()]).optional().describe('.xlsx: sheet number (from 1) or name')
      })
      .strict()
      .default({ format: 'csv', encoding: 'auto', header: true }),
    timeZone: z.string().optional(),
    create: z.array(z.enum(['agents', 'queues'])).default([]),
    columns: z.record(z.string(), columnSpec)
  })
  .strict()
  .superRefine((m, ctx) => {
    const known = new Set(KINDS[m.kind]?.columns.map((c) => c.name) ?? []);
    for (const name of Object.keys(m.columns)) {
      if (!known.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['columns', name], message: `"${name}" is not a column of ${m.kind} (columns: ${[...known].join(', ')})` });
      }
    }
    if (!m.source.header && !m.source.columns && m.source.format !== 'queue_log' && m.source.format !== 'jsonl' && m.source.format !== 'transcript') {
      ctx.addIssue({ code: 'custom', path: ['source', 'columns'], message: 'a file without a header needs source.columns' });
    }
  });

export type Mapping = z.infer<typeof mappingSchema>;
export type ColumnSpec = z.infer<typeof columnSpec>;

/** A validated mapping with where it came from. */
export interface LoadedMapping extends Mapping {
  name: string;
  origin: string;
}

export function parseMapping(json: unknown, origin: string): LoadedMapping {
  const result = mappingSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`);
    throw new UserError(`mapping ${origin} is not valid:\n${lines.join('\n')}`);
  }
  return { ...result.data, name: result.data.name ?? path.basename(origin, '.json'), origin };
}

export function readMappingFile(file: string): LoadedMapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read mapping ${file}: ${(err as Error).message}`);
  }
  return parseMapping(json, file);
}

// From the repository root, not import.meta.url: the server runs this code bundled under build/.
const profileDir = path.join(repoRoot, 'ingest', 'load', 'profiles');

/** The built-in profiles, in a stable order. */
export function builtinProfiles(): LoadedMapping[] {
  return fs
    .readdirSync(profileDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readMappingFile(path.join(profileDir, f)));
}

export function builtinProfile(name: string): LoadedMapping {
  const found = builtinProfiles().find((p) => p.name === name);
  if (!found) throw new UserError(`no built-in profile "${name}" (known: ${builtinProfiles().map((p) => p.name).join(', ')})`);
  return found;
}
