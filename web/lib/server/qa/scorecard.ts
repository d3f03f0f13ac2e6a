// Scorecards as data: sections of items (weight, allowed scores, N/A, critical), descriptions for
// the reviewer, and the auto-QA rules' phrase lists and thresholds. Stored versioned in
// qa_scorecards: saving adds a version, and a review keeps the version it was scored on.
import { z } from 'zod';
import { recordAudit } from '../auth/audit.ts';
import type { Warehouse } from '../warehouse.ts';
import defaultDefinition from './default-scorecard.json' with { type: 'json' };

const phrases = z.array(z.string().min(1)).min(1);
const range = z.object({ min: z.number().nonnegative(), max: z.number().positive() }).refine((r) => r.min <= r.max, 'min must not exceed max');

export const autoRulesSchema = z.strictObject({
  opening: z.strictObject({ within_ms: z.number().int().positive(), greeting: phrases, identification: phrases }),
  courtesy: z.strictObject({ phrases, min_count: z.number().int().positive() }),
  acknowledgement: z.strictObject({ phrases, min_count: z.number().int().positive(), min_customer_turns: z.number().int().nonnegative() }),
  hold: z.strictObject({ silence_ms: z.number().int().positive(), before: phrases, after: phrases }),
  forbidden: z.strictObject({ phrases }),
  interruption: z.strictObject({ min_overlap_ms: z.number().int().nonnegative(), max_count: z.number().int().nonnegative() }),
  silence: z.strictObject({ gap_ms: z.number().int().positive(), max_share: z.number().min(0).max(1) }),
  speaking_rate: z.strictObject({ zh: range, en: range }),
  talk_ratio: z.strictObject({ min: z.number().min(0).max(1), max: z.number().min(0).max(1) }),
  closing: z.strictObject({ last_agent_turns: z.number().int().positive(), ask_more: phrases, farewell: phrases })
});
export type AutoRules = z.infer<typeof autoRulesSchema>;
export const RULE_IDS = Object.keys(autoRulesSchema.shape) as RuleId[];
export type RuleId = keyof AutoRules;

export const itemSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'item ids are lower-case letters, digits and _'),
    name: z.string().min(1),
    name_en: z.string().min(1),
    description: z.string().min(1),
    description_en: z.string().min(1),
    weight: z.number().nonnegative(),
    scores: z.array(z.number().nonnegative()).min(2, 'an item needs at least two allowed scores'),
    na_allowed: z.boolean(),
    critical: z.boolean(),
    auto: z.enum(RULE_IDS as [RuleId, ...RuleId[]]).optional()
  })
  .refine((i) => new Set(i.scores).size === i.scores.length, { message: 'allowed scores must differ', path: ['scores'] });
export type ScorecardItem = z.infer<typeof itemSchema>;

export const scorecardSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
    name: z.string().min(1),
    name_en: z.string().min(1),
    pass_mark: z.number().min(0).max(100),
    sections: z
      .array(z.strictObject({ id: z.string().min(1), name: z.string().min(1), name_en: z.string().min(1), items: z.array(itemSchema).min(1) }))
      .min(1),
    auto: autoRulesSchema
  })
  .superRefine((card, ctx) => {
    const ids = card.sections.flatMap((s) => s.items.map((i) => i.id));
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) ctx.addIssue({ code: 'custom', message: `item id "${dup}" is used twice`, path: ['sections'] });
    if (!card.sections.some((s) => s.items.some((i) => i.weight > 0))) {
      ctx.addIssue({ code: 'custom', message: 'at least one item needs a weight above 0', path: ['sections'] });
    }
  });
export type ScorecardDefinition = z.infer<typeof scorecardSchema>;

export interface Scorecard {
  id: string;
  version: number;
  name: string;
  definition: ScorecardDefinition;
  created_at: string;
  created_by: string | null;
}

export const DEFAULT_SCORECARD: ScorecardDefinition = scorecardSchema.parse(defaultDefinition);

export function scorecardItems(card: ScorecardDefinition): ScorecardItem[] {
  return card.sections.flatMap((s) => s.items);
}

export { scoreReview, ScoringError, type ItemScore, type Outcome, type ScoreResult } from '../../qa/scoring.ts';

// ---------------------------------------------------------------- storage

type ScorecardRow = { scorecard_id: string; version: number; name: string; definition: string; created_at: string; created_by: string | null };

function fromRow(r: ScorecardRow): Scorecard {
  return {
    id: r.scorecard_id,
    version: r.version,
    name: r.name,
    definition: scorecardSchema.parse(JSON.parse(r.definition)),
    created_at: r.created_at,
    created_by: r.created_by
  };
}

const SELECT = `SELECT scorecard_id, version, name, definition::VARCHAR AS definition,
                       strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at, created_by FROM qa_scorecards`;

/** Saves a definition as the next version of its scorecard and returns it. */
export async function saveScorecard(warehouse: Warehouse, definition: unknown, actor: string | null): Promise<Scorecard> {
  const card = scorecardSchema.parse(definition);
  return warehouse.transaction(async (conn) => {
    const reader = await conn.runAndReadAll(`SELECT coalesce(max(version), 0) + 1 AS v FROM qa_scorecards WHERE scorecard_id = $id`, { id: card.id });
    const version = Number(reader.getRowObjectsJS()[0].v);
    const previous = await conn.runAndReadAll(`SELECT definition::VARCHAR AS d FROM qa_scorecards WHERE scorecard_id = $id AND version = $v`, { id: card.id, v: version - 1 });
    const before = previous.getRowObjectsJS()[0]?.d;
    await recordAudit(conn, {
      actor: actor ?? 'zhijian',
      action: 'scorecard.save',
      target: `scorecard:${card.id}`,
      before: before ? { version: version - 1, definition: JSON.parse(String(before)) } : null,
      after: { version, definition: card }
    });
    await conn.run(`UPDATE qa_scorecards SET active = false WHERE scorecard_id = $id`, { id: card.id });
    await conn.run(
      `INSERT INTO qa_scorecards (scorecard_id, version, name, definition, created_by, active) VALUES ($id, $v, $name, $def, $by, true)`,
      { id: card.id, v: version, name: card.name, def: JSON.stringify(card), by: actor }
    );
    const rows = await conn.runAndReadAll(`${SELECT} WHERE scorecard_id = $id AND version = $v`, { id: card.id, v: version });
    return fromRow(rows.getRowObjectsJS()[0] as unknown as ScorecardRow);
  });
}

/** The scorecard's newest version (the one new reviews use), or a given version. */
export async function getScorecard(warehouse: Warehouse, id: string, version?: number): Promise<Scorecard | null> {
  const row =
    version === undefined
      ? await warehouse.one<ScorecardRow>(`${SELECT} WHERE scorecard_id = $id ORDER BY version DESC LIMIT 1`, { id })
      : await warehouse.one<ScorecardRow>(`${SELECT} WHERE scorecard_id = $id AND version = $v`, { id, v: version });
  return row ? fromRow(row) : null;
}

export async function scorecardVersions(warehouse: Warehouse, id: string): Promise<Array<{ version: number; created_at: string; created_by: string | null }>> {
  return warehouse.all(`SELECT version, strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at, created_by FROM qa_scorecards WHERE scorecard_id = $id ORDER BY version`, { id });
}

/** The active scorecard for new reviews; the default one is stored on first use. */
export async function activeScorecard(warehouse: Warehouse): Promise<Scorecard> {
  const row = await warehouse.one<ScorecardRow>(`${SELECT} WHERE active ORDER BY created_at DESC, version DESC LIMIT 1`);
  if (row) return fromRow(row);
  return saveScorecard(warehouse, DEFAULT_SCORECARD, 'zhijian');
}
