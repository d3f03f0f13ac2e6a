// Words of a complaint text for the classifier. Chinese has no spaces between words, so the
// text is segmented with ICU's dictionary-based word breaker (Intl.Segmenter, built into Node);
// English words come from the same segmenter. Adjacent word pairs are kept too, because many
// causes are phrases the segmenter splits (收银|员, 找|零, price|tag).

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** English function words that say nothing about a cause. */
const STOP = new Set(
  'a an the and or but of to in on at for with from by is are was were be been it its this that these those i me my we our you your he she they them his her their there here as so not no do did does have has had will would can could should customer customers said says say'.split(' ')
);

const CJK = /[\u3400-\u9fff]/;

/** Word-like segments, lower-cased; numbers and English function words dropped. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.normalize('NFKC'))) {
    if (!s.isWordLike) continue;
    const w = s.segment.toLowerCase();
    if (/^[\d.,:]+$/.test(w) || STOP.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** The classifier's features: the words and each pair of neighbouring words. */
export function tokens(text: string): string[] {
  const w = words(text);
  const out = [...w];
  for (let i = 1; i < w.length; i++) out.push(CJK.test(w[i - 1]) && CJK.test(w[i]) ? w[i - 1] + w[i] : `${w[i - 1]} ${w[i]}`);
  return out;
}

/** Where each keyword occurs in the text (Chinese: anywhere; English: as whole words), once each. */
export function keywordHits(text: string, keywords: readonly string[]): string[] {
  const lower = text.normalize('NFKC').toLowerCase();
  const hits: string[] = [];
  for (const k of keywords) {
    const key = k.toLowerCase();
    if (!key) continue;
    const found = CJK.test(key) ? lower.includes(key) : new RegExp(`(^|[^a-z])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z])`).test(lower);
    if (found) hits.push(k);
  }
  return hits;
}
