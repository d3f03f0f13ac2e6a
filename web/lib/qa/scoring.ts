// Scoring a review on a scorecard: weights, allowed scores, N/A and critical (red-line) items.
// Shared by the server (what is stored) and the review page (the running total as one scores).

/** The parts of a scorecard definition that scoring reads. */
export interface ScoringCard {
  id: string;
  pass_mark: number;
  sections: Array<{ items: Array<{ id: string; weight: number; scores: number[]; na_allowed: boolean; critical: boolean }> }>;
}


export interface ItemScore {
  item_id: string;
  /** Points given, one of the item's allowed scores; null when N/A. */
  score: number | null;
  na: boolean;
}

export type Outcome = 'pass' | 'fail' | 'critical_fail';

export interface ScoreResult {
  /** Weighted score 0–100 over the applicable weighted items; null when none applies. */
  score: number | null;
  /** A critical item got its lowest allowed score: the call fails whatever the score. */
  critical_failed: boolean;
  critical_items: string[];
  outcome: Outcome;
  /** Items not scored yet (a draft may have some; a submission may not). */
  missing: string[];
}

export class ScoringError extends Error {}

/** Checks each given score against its item (allowed score, N/A allowed) and computes the total. */
export function scoreReview(card: ScoringCard, given: ItemScore[]): ScoreResult {
  const byId = new Map(given.map((g) => [g.item_id, g]));
  const items = card.sections.flatMap((s) => s.items);
  for (const g of given) {
    if (!items.some((i) => i.id === g.item_id)) throw new ScoringError(`no item "${g.item_id}" on scorecard ${card.id}`);
  }
  let earned = 0;
  let possible = 0;
  const missing: string[] = [];
  const criticalItems: string[] = [];
  for (const item of items) {
    const g = byId.get(item.id);
    if (!g || (!g.na && g.score === null)) {
      missing.push(item.id);
      continue;
    }
    if (g.na) {
      if (!item.na_allowed) throw new ScoringError(`item "${item.id}" cannot be marked N/A`);
      continue;
    }
    if (!item.scores.includes(g.score!)) {
      throw new ScoringError(`item "${item.id}" allows the scores ${item.scores.join(', ')}, not ${g.score}`);
    }
    const max = Math.max(...item.scores);
    if (item.critical && g.score === Math.min(...item.scores)) criticalItems.push(item.id);
    earned += (item.weight * g.score!) / max;
    possible += item.weight;
  }
  const score = possible > 0 ? Math.round((10000 * earned) / possible) / 100 : null;
  const critical_failed = criticalItems.length > 0;
  const outcome: Outcome = critical_failed ? 'critical_fail' : score !== null && score >= card.pass_mark ? 'pass' : 'fail';
  return { score, critical_failed, critical_items: criticalItems, outcome, missing };
}

