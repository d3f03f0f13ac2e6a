// QA reports from the named SQL in queries/qa/: score by agent, team and queue; over time; which
// items fail most; which items go with repeat contacts and low survey scores.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config.ts';
import type { Warehouse } from '../warehouse.ts';
import { scoreInterval, type ScoreInterval } from './sampling.ts';

const cache = new Map<string, string>();

/** queries/qa/<name>.sql with the shared reviewed-calls query put in its CTE. */
function reportSql(name: string): string {
  if (!cache.has(name)) {
    const read = (n: string) => fs.readFileSync(path.join(repoRoot, 'queries', 'qa', `${n}.sql`), 'utf8');
    const base = read('reviewed_calls').replace(/^--.*$/gm, '').trim();
    cache.set(name, read(name).replace('/*reviewed_calls*/', base));
  }
  return cache.get(name)!;
}

export interface GroupScore {
  dimension: 'agent' | 'team' | 'queue';
  key: string;
  name: string | null;
  reviews: number;
  critical_fails: number;
  interval: ScoreInterval;
}

export interface QaReport {
  from: string;
  to: string;
  groups: GroupScore[];
  weeks: Array<{ week: string; reviews: number; critical_fails: number; interval: ScoreInterval }>;
  items: Array<{ item_id: string; scored: number; failed: number; fail_rate: number; mean_share: number }>;
  outcomes: Array<{
    item_id: string;
    failed_calls: number;
    passed_calls: number;
    repeat_rate_failed: number | null;
    repeat_rate_passed: number | null;
    low_survey_rate_failed: number | null;
    low_survey_rate_passed: number | null;
  }>;
  repeat_days: number;
}

export async function qaReport(warehouse: Warehouse, range: { from: string; to: string }, repeatDays = 7): Promise<QaReport> {
  const p = { from: range.from, to: range.to };
  const groups = await warehouse.all<Omit<GroupScore, 'interval'> & { scores: number[] | null; mean_score: number | null }>(reportSql('score_by_group'), p);
  const weeks = await warehouse.all<{ week: string; reviews: number; critical_fails: number; scores: number[] | null; mean_score: number | null }>(reportSql('score_by_week'), p);
  return {
    ...range,
    groups: groups.map(({ scores, mean_score: _mean, ...g }) => ({ ...g, reviews: Number(g.reviews), critical_fails: Number(g.critical_fails), interval: scoreInterval((scores ?? []).map(Number)) })),
    weeks: weeks.map(({ scores, mean_score: _mean, ...w }) => ({ ...w, reviews: Number(w.reviews), critical_fails: Number(w.critical_fails), interval: scoreInterval((scores ?? []).map(Number)) })),
    items: await warehouse.all(reportSql('item_failures'), p),
    outcomes: await warehouse.all(reportSql('item_outcomes'), { ...p, repeat_days: repeatDays }),
    repeat_days: repeatDays
  };
}

/** First and last local day with a reviewed call, for the default range. */
export async function reviewedRange(warehouse: Warehouse): Promise<{ from: string; to: string } | null> {
  const row = await warehouse.one<{ from: string | null; to: string | null }>(
    `SELECT strftime(min(c.enqueued_at)::DATE, '%Y-%m-%d') AS "from", strftime(max(c.enqueued_at)::DATE, '%Y-%m-%d') AS "to"
     FROM qa_reviews r JOIN calls c ON c.call_id = r.call_id WHERE r.status <> 'draft' AND r.calibration_id IS NULL`
  );
  return row?.from && row.to ? { from: row.from, to: row.to } : null;
}
