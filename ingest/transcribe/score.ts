// Error rates of a transcript against its reference: CER for Chinese (characters), WER for
// space-separated languages (words). Punctuation and case are ignored; redaction tags count as one token.

/** Levenshtein distance between two token lists (substitutions, insertions, deletions). */
export function editDistance(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[hyp.length];
}

const TAG = /\[[^\]]+\]/g;
const IS_TAG = /^\[[^\]]+\]$/;
const PUNCTUATION = /[\p{P}\p{S}]/gu;

export function characters(text: string): string[] {
  const tags: string[] = [];
  const plain = text.replace(TAG, (t) => {
    tags.push(t);
    return '\u0001';
  });
  let k = 0;
  return [...plain.replace(PUNCTUATION, '').replace(/\s+/g, '').toLowerCase()].map((c) => (c === '\u0001' ? tags[k++] : c));
}

export function words(text: string): string[] {
  return text.replace(TAG, ' $& ').toLowerCase().split(/\s+/).map((w) => (IS_TAG.test(w) ? w : w.replace(PUNCTUATION, ''))).filter(Boolean);
}

/** Character error rate: edits / reference characters (0 when both are empty). */
export function cer(reference: string, hypothesis: string): number {
  const ref = characters(reference);
  const hyp = characters(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return editDistance(ref, hyp) / ref.length;
}

/** Word error rate: edits / reference words. */
export function wer(reference: string, hypothesis: string): number {
  const ref = words(reference);
  const hyp = words(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return editDistance(ref, hyp) / ref.length;
}
