// Display names of causes, groups and departments from the taxonomy, in the reader's language.
import type { Taxonomy } from '$lib/server/complaints/taxonomy.ts';

export function causeNamer(taxonomy: Taxonomy, zh: boolean, unclassified: string) {
  const en = new Map(taxonomy.groups.flatMap((g) => g.causes.map((c) => [c.zh, c.en.split(' (')[0]] as const)));
  return (cause: string | null) => (cause === null ? unclassified : zh ? cause : (en.get(cause) ?? cause));
}

export function groupNamer(taxonomy: Taxonomy, zh: boolean) {
  const names = new Map(taxonomy.groups.map((g) => [g.code, zh ? g.zh : g.en]));
  return (code: string | null) => (code === null ? '—' : (names.get(code) ?? code));
}

/** 13812345678 → 138****5678: enough to tell customers apart on screen. */
export function maskNumber(n: string | null): string {
  if (!n) return '—';
  return n.length >= 8 ? `${n.slice(0, 3)}****${n.slice(-4)}` : n;
}

/** A query string from the current filters with changes; null or '' drops a key. */
export function queryWith(base: Record<string, string>, changes: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...base, ...changes })) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}
