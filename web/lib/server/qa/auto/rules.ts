// Auto-QA rules: each looks at one call's utterances and returns pass / fail / not applicable,
// the number it measured and its evidence (the quoted utterances with their time). Phrase lists
// and thresholds come from the scorecard (definition.auto), so a center tunes them as data.
import type { AutoRules, RuleId } from '../scorecard.ts';

export interface Utterance {
  seq: number;
  speaker: 'agent' | 'customer' | 'unknown';
  start_ms: number;
  end_ms: number;
  text: string;
}

export interface Evidence {
  seq: number;
  speaker: Utterance['speaker'];
  start_ms: number;
  end_ms: number;
  text: string;
  /** What in the utterance is the evidence: the phrase found, or why it counts (in English). */
  note: string;
  /** For a finding that is not a quoted phrase: a message key the pages translate, and its values. */
  code?: string;
  params?: Record<string, string | number>;
}

export interface RuleResult {
  rule: RuleId;
  /** null: the rule does not apply to this call (no hold, no agent speech, ...). */
  passed: boolean | null;
  value: number | null;
  evidence: Evidence[];
}

const CJK = /[\u3400-\u9fff]/;

/** zh when the transcript holds Chinese characters, else en. */
export function transcriptLanguage(utterances: Utterance[]): 'zh' | 'en' {
  return utterances.some((u) => CJK.test(u.text)) ? 'zh' : 'en';
}

/** The first phrase of the list found in the text. Latin phrases match whole words, case-insensitively. */
export function findPhrase(text: string, list: string[]): string | null {
  const lower = text.toLowerCase();
  for (const phrase of list) {
    const p = phrase.toLowerCase();
    if (CJK.test(p)) {
      if (lower.includes(p)) return phrase;
    } else {
      const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, "\\s+");
      if (new RegExp(`(^|[^a-z'])${escaped}($|[^a-z'])`).test(lower)) return phrase;
    }
  }
  return null;
}

/** Every phrase of the list found in the text (for counting courtesy words). */
function allPhrases(text: string, list: string[]): string[] {
  return list.filter((p) => findPhrase(text, [p]) !== null);
}

function cite(u: Utterance, note: string, code?: string, params?: Record<string, string | number>): Evidence {
  const e: Evidence = { seq: u.seq, speaker: u.speaker, start_ms: u.start_ms, end_ms: u.end_ms, text: u.text, note };
  if (code) {
    e.code = code;
    if (params) e.params = params;
  }
  return e;
}

/** Speech units: Chinese characters (no punctuation) for Chinese, words for English. */
export function speechUnits(text: string, language: 'zh' | 'en'): number {
  if (language === 'zh') return [...text].filter((ch) => CJK.test(ch) || /[A-Za-z0-9]/.test(ch)).length;
  return text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
}

const agentTurns = (us: Utterance[]) => us.filter((u) => u.speaker === 'agent');
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Gap {
  before: Utterance;
  after: Utterance;
  ms: number;
}

/** Stretches with nobody speaking, between the end of all speech so far and the next start. */
function gaps(us: Utterance[], minMs: number): Gap[] {
  const out: Gap[] = [];
  let last: Utterance | null = null;
  let reach = -Infinity;
  for (const u of us) {
    if (last && u.start_ms - reach >= minMs) out.push({ before: last, after: u, ms: u.start_ms - reach });
    if (u.end_ms >= reach) {
      reach = u.end_ms;
      last = u;
    }
  }
  return out;
}

type Rule = (us: Utterance[], rules: AutoRules) => Omit<RuleResult, 'rule'>;

const RULES: Record<RuleId, Rule> = {
  opening(us, { opening }) {
    const first = agentTurns(us)[0];
    if (!first) return { passed: null, value: null, evidence: [] };
    const greeting = findPhrase(first.text, opening.greeting);
    const id = findPhrase(first.text, opening.identification);
    const inTime = first.start_ms <= opening.within_ms;
    const missing = [!greeting && 'no greeting', !id && 'no identification', !inTime && `starts after ${opening.within_ms / 1000} s`].filter(Boolean);
    if (!missing.length) return { passed: true, value: null, evidence: [cite(first, `${greeting} + ${id}`)] };
    const code = !greeting && !id ? 'no_greeting_no_id' : !greeting ? 'no_greeting' : !id ? 'no_identification' : 'late_opening';
    return { passed: false, value: null, evidence: [cite(first, missing.join('; '), code, { s: opening.within_ms / 1000 })] };
  },

  courtesy(us, { courtesy }) {
    const evidence: Evidence[] = [];
    let count = 0;
    for (const u of agentTurns(us)) {
      // "请稍等" also contains "请": count the longest phrases only.
      const found = allPhrases(u.text, courtesy.phrases).filter((p, _, all) => !all.some((q) => q !== p && q.includes(p)));
      if (found.length) {
        count += found.length;
        evidence.push(cite(u, found.join(', ')));
      }
    }
    if (!agentTurns(us).length) return { passed: null, value: null, evidence: [] };
    return { passed: count >= courtesy.min_count, value: count, evidence };
  },

  acknowledgement(us, { acknowledgement }) {
    const customerTurns = us.filter((u) => u.speaker === 'customer').length;
    if (customerTurns < acknowledgement.min_customer_turns) return { passed: null, value: customerTurns, evidence: [] };
    const evidence: Evidence[] = [];
    for (const u of agentTurns(us)) {
      const p = findPhrase(u.text, acknowledgement.phrases);
      if (p) evidence.push(cite(u, p));
    }
    return { passed: evidence.length >= acknowledgement.min_count, value: evidence.length, evidence };
  },

  hold(us, { hold }) {
    const holds = gaps(us, hold.silence_ms);
    if (!holds.length) return { passed: null, value: 0, evidence: [] };
    const evidence: Evidence[] = [];
    let ok = true;
    for (const g of holds) {
      const before = [...us].reverse().find((u) => u.speaker === 'agent' && u.end_ms <= g.after.start_ms - g.ms + 1);
      const after = us.find((u) => u.speaker === 'agent' && u.start_ms >= g.after.start_ms);
      const said = before && findPhrase(before.text, hold.before);
      const thanked = after && findPhrase(after.text, hold.after);
      const secs = Math.round(g.ms / 1000);
      if (before) {
        evidence.push(
          said
            ? cite(before, `${said} (before ${secs} s silence)`, 'hold_before_ok', { phrase: said, s: secs })
            : cite(before, `no "${hold.before[0]}" before ${secs} s silence`, 'hold_before_missing', { phrase: hold.before[0], s: secs })
        );
      }
      if (after) {
        evidence.push(
          thanked
            ? cite(after, `${thanked} (after ${secs} s silence)`, 'hold_after_ok', { phrase: thanked, s: secs })
            : cite(after, `no "${hold.after[0]}" after ${secs} s silence`, 'hold_after_missing', { phrase: hold.after[0], s: secs })
        );
      }
      if (!said || !thanked) ok = false;
    }
    return { passed: ok, value: holds.length, evidence };
  },

  forbidden(us, { forbidden }) {
    const evidence: Evidence[] = [];
    for (const u of agentTurns(us)) {
      const p = findPhrase(u.text, forbidden.phrases);
      if (p) evidence.push(cite(u, p));
    }
    if (!agentTurns(us).length) return { passed: null, value: null, evidence };
    return { passed: evidence.length === 0, value: evidence.length, evidence };
  },

  interruption(us, { interruption }) {
    const evidence: Evidence[] = [];
    for (const u of agentTurns(us)) {
      // Agent speech that starts while a customer utterance is still going on.
      const over = us.find((c) => c.speaker === 'customer' && c.start_ms < u.start_ms && c.end_ms - u.start_ms >= interruption.min_overlap_ms);
      if (over) {
        const s = ((over.end_ms - u.start_ms) / 1000).toFixed(1);
        evidence.push(cite(u, `starts ${s} s before the customer finished`, 'interrupts', { s }));
      }
    }
    if (!agentTurns(us).length) return { passed: null, value: null, evidence };
    return { passed: evidence.length <= interruption.max_count, value: evidence.length, evidence };
  },

  silence(us, { silence, hold }) {
    if (us.length < 2) return { passed: null, value: null, evidence: [] };
    const span = Math.max(...us.map((u) => u.end_ms)) - us[0].start_ms;
    if (span <= 0) return { passed: null, value: null, evidence: [] };
    // A hold the agent announced is not dead air; an unannounced one is.
    const dead = gaps(us, silence.gap_ms).filter((g) => !(g.before.speaker === 'agent' && findPhrase(g.before.text, hold.before)));
    const share = dead.reduce((s, g) => s + g.ms, 0) / span;
    const evidence = dead.map((g) => cite(g.after, `${(g.ms / 1000).toFixed(1)} s silence before`, 'silence_before', { s: (g.ms / 1000).toFixed(1) }));
    return { passed: share <= silence.max_share, value: round(share), evidence };
  },

  speaking_rate(us, { speaking_rate }) {
    const language = transcriptLanguage(us);
    const turns = agentTurns(us).filter((u) => u.end_ms > u.start_ms);
    const ms = turns.reduce((s, u) => s + u.end_ms - u.start_ms, 0);
    if (ms < 5000) return { passed: null, value: null, evidence: [] };
    const rate = Math.round((turns.reduce((s, u) => s + speechUnits(u.text, language), 0) * 60_000) / ms);
    const { min, max } = speaking_rate[language];
    const unit = language === 'zh' ? 'characters/min' : 'words/min';
    // Evidence: the agent's fastest and slowest utterances of some length.
    const rated = turns
      .filter((u) => u.end_ms - u.start_ms >= 2000)
      .map((u) => ({ u, r: Math.round((speechUnits(u.text, language) * 60_000) / (u.end_ms - u.start_ms)) }))
      .sort((a, b) => b.r - a.r);
    const picks = rated.length ? (rate > max ? [rated[0]] : rate < min ? [rated[rated.length - 1]] : []) : [];
    return { passed: rate >= min && rate <= max, value: rate, evidence: picks.map(({ u, r }) => cite(u, `${r} ${unit} (allowed ${min}–${max})`, `rate_${language}`, { rate: r, min, max })) };
  },

  talk_ratio(us, { talk_ratio }) {
    const talk = (who: string) => us.filter((u) => u.speaker === who).reduce((s, u) => s + u.end_ms - u.start_ms, 0);
    const agent = talk('agent');
    const customer = talk('customer');
    if (agent + customer === 0) return { passed: null, value: null, evidence: [] };
    const share = agent / (agent + customer);
    return { passed: share >= talk_ratio.min && share <= talk_ratio.max, value: round(share), evidence: [] };
  },

  closing(us, { closing }) {
    const last = agentTurns(us).slice(-closing.last_agent_turns);
    if (!last.length) return { passed: null, value: null, evidence: [] };
    const ask = last.map((u) => ({ u, p: findPhrase(u.text, closing.ask_more) })).find((x) => x.p);
    const bye = last.map((u) => ({ u, p: findPhrase(u.text, closing.farewell) })).find((x) => x.p);
    const evidence: Evidence[] = [];
    if (ask) evidence.push(cite(ask.u, ask.p!));
    if (bye && bye.u !== ask?.u) evidence.push(cite(bye.u, bye.p!));
    if (ask && bye && bye.u === ask.u) evidence[0].note = `${ask.p}, ${bye.p}`;
    if (!ask || !bye) {
      const final = last[last.length - 1];
      const note = [!ask && 'does not ask if anything else is needed', !bye && 'no farewell'].filter(Boolean).join('; ');
      const code = !ask && !bye ? 'no_closing' : !ask ? 'no_ask_more' : 'no_farewell';
      // The missing part is shown on the agent's last words.
      const i = evidence.findIndex((e) => e.seq === final.seq);
      if (i >= 0) evidence[i] = cite(final, `${evidence[i].note}; ${note}`, code);
      else evidence.push(cite(final, note, code));
    }
    return { passed: Boolean(ask && bye), value: null, evidence };
  }
};

/** Runs every rule on one call's utterances (sorted by start time here). */
export function runRules(utterances: Utterance[], rules: AutoRules): RuleResult[] {
  const us = [...utterances].sort((a, b) => a.start_ms - b.start_ms || a.seq - b.seq);
  return (Object.keys(RULES) as RuleId[]).map((rule) => ({ rule, ...RULES[rule](us, rules) }));
}

export function runRule(rule: RuleId, utterances: Utterance[], rules: AutoRules): RuleResult {
  return runRules(utterances, rules).find((r) => r.rule === rule)!;
}
