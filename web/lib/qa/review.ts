// The review page's form logic, kept out of the component so that it is plain and testable:
// pre-filling from auto-QA or a saved review, the running total, redaction marks, clock times.
import { scoreReview, type ScoreResult, type ScoringCard } from './scoring.ts';

export interface DraftItem {
  score: number | null;
  na: boolean;
  /** Taken unchanged from auto-QA. */
  auto: boolean;
  comment: string;
}

export interface Draft {
  items: Record<string, DraftItem>;
  advice: string;
}

interface AutoLike {
  rule: string;
  passed: boolean | null;
}

interface ReviewLike {
  advice: string | null;
  items: Array<{ item_id: string; score: number | null; na: boolean; auto: boolean; comment: string | null }>;
}

interface PrefillCard {
  sections: Array<{ items: Array<{ id: string; scores: number[]; na_allowed: boolean; auto?: string }> }>;
}

/**
 * The form's starting state: the saved review when there is one; otherwise auto-QA's verdicts
 * (pass → top score, fail → lowest, not applicable → N/A where allowed) for the reviewer to confirm.
 */
export function prefill(card: PrefillCard, auto: AutoLike[], review: ReviewLike | null): Draft {
  const items: Record<string, DraftItem> = {};
  if (review) {
    for (const i of review.items) items[i.item_id] = { score: i.score, na: i.na, auto: i.auto, comment: i.comment ?? '' };
    return { items, advice: review.advice ?? '' };
  }
  for (const item of card.sections.flatMap((s) => s.items)) {
    const verdict = item.auto ? auto.find((a) => a.rule === item.auto) : undefined;
    if (!verdict) continue;
    if (verdict.passed === true) items[item.id] = { score: Math.max(...item.scores), na: false, auto: true, comment: '' };
    else if (verdict.passed === false) items[item.id] = { score: Math.min(...item.scores), na: false, auto: true, comment: '' };
    else if (item.na_allowed) items[item.id] = { score: null, na: true, auto: true, comment: '' };
  }
  return { items, advice: '' };
}

/** The total as it stands; unscored items are listed as missing. */
export function runningScore(card: ScoringCard, draft: Draft): ScoreResult {
  const given = Object.entries(draft.items)
    .filter(([, v]) => v.na || v.score !== null)
    .map(([item_id, v]) => ({ item_id, score: v.na ? null : v.score, na: v.na }));
  return scoreReview(card, given);
}

/** Splits text into plain and redacted parts (redaction spans are character offsets). */
export function markRedactions(text: string, spans: Array<{ start: number; end: number }>): Array<{ text: string; redacted: boolean; span?: number }> {
  const chars = [...text];
  const out: Array<{ text: string; redacted: boolean; span?: number }> = [];
  let at = 0;
  // `span` is the redaction's index in the stored list: the vault keeps each original under it.
  for (const [span, s] of spans.map((s, i) => [i, s] as const).sort((a, b) => a[1].start - b[1].start)) {
    if (s.start > at) out.push({ text: chars.slice(at, s.start).join(''), redacted: false });
    if (s.end > Math.max(at, s.start)) out.push({ text: chars.slice(Math.max(at, s.start), s.end).join(''), redacted: true, span });
    at = Math.max(at, s.end);
  }
  if (at < chars.length) out.push({ text: chars.slice(at).join(''), redacted: false });
  return out;
}

/** 83 500 ms → "1:23". */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
