// A complement naive Bayes classifier of complaint causes (Rennie et al., 2003) over segmented
// words (segment.ts). Complement NB scores a cause by how badly the *other* causes' word counts
// explain the text; those complements are all about the size of the whole training set, so a rare
// cause is not favoured just because its few counts make every unseen word look likely (plain
// multinomial NB does that on long texts such as call transcripts). The taxonomy's keywords act
// as priors: each keyword counts as if seen in KEYWORD_WEIGHT training complaints of its cause, so
// a cause with no labelled complaints yet is still recognised, and a whole keyword found in the
// text adds KEYWORD_BONUS and is reported as evidence. Pure functions: the warehouse side is
// classify.ts.
import { keywordHits, tokens } from './segment.ts';

/** Pseudo-count a keyword adds to its cause's word counts. */
const KEYWORD_WEIGHT = 3;
/** Additive (Laplace) smoothing of word counts. */
const ALPHA = 0.5;
/** Log-odds a whole keyword found in the text adds to its cause (phrases the word counts miss). */
const KEYWORD_BONUS = 1.5;

export interface LabelDef {
  label: string;
  keywords: readonly string[];
}

export interface TrainingDoc {
  text: string;
  label: string;
}

/** A piece of a complaint's text: the ticket summary, or one utterance of its call. */
export interface Segment {
  source: 'summary' | 'transcript';
  text: string;
  seq?: number;
  start_ms?: number;
}

export interface EvidenceTerm {
  term: string;
  /** How much more this term speaks for the chosen cause than for the runner-up (difference of complement log-weights). */
  weight: number;
  keyword: boolean;
}

export interface Evidence {
  source: Segment['source'];
  seq?: number;
  start_ms?: number;
  text: string;
  terms: EvidenceTerm[];
}

export interface Prediction {
  label: string;
  /** The label's share of the softmax of all labels' scores: a ranking of how sure the model is, not a calibrated probability. */
  confidence: number;
  runnerUp: string | null;
  evidence: Evidence[];
}

interface ClassStats {
  total: number;
  counts: Map<string, number>;
}

export class ComplementNB {
  private constructor(
    readonly labels: string[],
    private readonly stats: Map<string, ClassStats>,
    private readonly vocab: Set<string>,
    private readonly keywords: Map<string, readonly string[]>,
    readonly trainingSize: number,
    /** Every label's counts added up. */
    private readonly totals: { total: number; counts: Map<string, number> }
  ) {}

  /** Trains on labelled texts; labels outside `labels` are ignored (a cause since removed). */
  static train(labels: readonly LabelDef[], docs: Iterable<TrainingDoc>): ComplementNB {
    const stats = new Map<string, ClassStats>(labels.map((l) => [l.label, { total: 0, counts: new Map() }]));
    const vocab = new Set<string>();
    const add = (s: ClassStats, toks: string[], weight: number) => {
      for (const t of toks) {
        s.counts.set(t, (s.counts.get(t) ?? 0) + weight);
        s.total += weight;
        vocab.add(t);
      }
    };
    for (const l of labels) for (const k of l.keywords) add(stats.get(l.label)!, tokens(k), KEYWORD_WEIGHT);
    let n = 0;
    for (const d of docs) {
      const s = stats.get(d.label);
      if (!s) continue;
      n++;
      add(s, tokens(d.text), 1);
    }
    const totals = { total: 0, counts: new Map<string, number>() };
    for (const st of stats.values()) {
      totals.total += st.total;
      for (const [t, c] of st.counts) totals.counts.set(t, (totals.counts.get(t) ?? 0) + c);
    }
    return new ComplementNB(labels.map((l) => l.label), stats, vocab, new Map(labels.map((l) => [l.label, l.keywords])), n, totals);
  }

  /** How much a token speaks for the label: minus the log-probability of the token in every
   *  other label's text (the complement), smoothed. */
  private weight(label: string, token: string): number {
    const s = this.stats.get(label)!;
    const inAll = this.totals.counts.get(token) ?? 0;
    const inOthers = inAll - (s.counts.get(token) ?? 0);
    return -Math.log((inOthers + ALPHA) / (this.totals.total - s.total + ALPHA * this.vocab.size));
  }

  /** Score of every label for these tokens (higher is likelier), plus each keyword found in the text. */
  private scores(toks: string[], text: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const label of this.labels) {
      let score = 0;
      for (const t of toks) if (this.vocab.has(t)) score += this.weight(label, t);
      score += KEYWORD_BONUS * keywordHits(text, this.keywords.get(label) ?? []).length;
      out.set(label, score);
    }
    return out;
  }

  /** The likeliest cause of a complaint from its pieces of text, with the pieces that decided it. */
  predict(segments: readonly Segment[]): Prediction {
    const toks = segments.flatMap((s) => tokens(s.text));
    const scores = this.scores(toks, segments.map((s) => s.text).join('\n'));
    const ranked = [...scores].sort((a, b) => b[1] - a[1]);
    const max = ranked[0][1];
    const sum = ranked.reduce((acc, [, v]) => acc + Math.exp(v - max), 0);
    const [label] = ranked[0];
    const runnerUp = ranked[1]?.[0] ?? null;
    return { label, confidence: 1 / sum, runnerUp, evidence: this.evidence(segments, label, runnerUp) };
  }

  /** The pieces of text whose words favour the label over the runner-up most, strongest first. */
  private evidence(segments: readonly Segment[], label: string, runnerUp: string | null): Evidence[] {
    const keywords = this.keywords.get(label) ?? [];
    const out: Array<Evidence & { score: number }> = [];
    for (const seg of segments) {
      const hits = keywordHits(seg.text, keywords);
      const terms = new Map<string, EvidenceTerm>();
      let score = 0;
      for (const t of new Set(tokens(seg.text))) {
        if (!this.vocab.has(t)) continue;
        const w = runnerUp ? this.weight(label, t) - this.weight(runnerUp, t) : 0;
        if (w <= 0.5) continue;
        score += w;
        terms.set(t, { term: t, weight: Math.round(w * 100) / 100, keyword: hits.some((k) => k.toLowerCase() === t) });
      }
      for (const k of hits) if (!terms.has(k.toLowerCase())) terms.set(k.toLowerCase(), { term: k, weight: 0, keyword: true });
      if (!terms.size) continue;
      const top = [...terms.values()].sort((a, b) => Number(b.keyword) - Number(a.keyword) || b.weight - a.weight).slice(0, 6);
      out.push({ source: seg.source, ...(seg.seq !== undefined ? { seq: seg.seq } : {}), ...(seg.start_ms !== undefined ? { start_ms: seg.start_ms } : {}), text: seg.text, terms: top, score: score + hits.length });
    }
    return out
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map(({ score: _score, ...e }) => e);
  }
}

export interface ClassMetrics {
  label: string;
  support: number;
  predicted: number;
  truePositive: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface Evaluation {
  n: number;
  classes: ClassMetrics[];
  micro: { precision: number | null; recall: number | null };
  macro: { precision: number | null; recall: number | null };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/**
 * Precision and recall per label and averaged. Every complaint gets exactly one label, so micro
 * precision equals micro recall (= accuracy); macro averages the labels that occur (in truth or
 * prediction), each label counting once however rare.
 */
export function evaluate(pairs: ReadonlyArray<{ truth: string; predicted: string }>, labels: readonly string[]): Evaluation {
  const classes: ClassMetrics[] = labels.map((label) => {
    const support = pairs.filter((p) => p.truth === label).length;
    const predicted = pairs.filter((p) => p.predicted === label).length;
    const tp = pairs.filter((p) => p.truth === label && p.predicted === label).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
    return { label, support, predicted, truePositive: tp, precision, recall, f1 };
  });
  const tp = classes.reduce((a, c) => a + c.truePositive, 0);
  const occurring = classes.filter((c) => c.support > 0 || c.predicted > 0);
  const mean = (xs: Array<number | null>) => (xs.length ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) / xs.length : null);
  return {
    n: pairs.length,
    classes,
    micro: { precision: ratio(tp, pairs.length), recall: ratio(tp, pairs.length) },
    macro: { precision: mean(occurring.map((c) => c.precision)), recall: mean(occurring.map((c) => c.recall)) }
  };
}

/** 32-bit FNV-1a: a stable hash, so the held-out part is the same on every run. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One in `every` ids is held out of training for evaluation. */
export function isHeldOut(id: string, every = 5): boolean {
  return stableHash(id) % every === 0;
}

/** The evaluation as a printable table. */
export function formatEvaluation(e: Evaluation, name: (label: string) => string = (l) => l): string {
  const pct = (v: number | null) => (v === null ? '   —  ' : `${(v * 100).toFixed(1).padStart(5)}%`);
  const lines = [`cause${' '.repeat(39)}support  precision  recall`];
  for (const c of e.classes) {
    const n = name(c.label);
    const pad = Math.max(1, 44 - [...n].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0));
    lines.push(`${n}${' '.repeat(pad)}${String(c.support).padStart(7)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}`);
  }
  const micro = `micro (all ${e.n} held out)`;
  lines.push(`${micro.padEnd(44)}${String(e.n).padStart(7)}  ${pct(e.micro.precision).padStart(9)}  ${pct(e.micro.recall).padStart(6)}`);
  lines.push(`${'macro (mean of causes)'.padEnd(44)}${' '.repeat(7)}  ${pct(e.macro.precision).padStart(9)}  ${pct(e.macro.recall).padStart(6)}`);
  return lines.join('\n');
}
