// Inter-rater agreement for calibration: Cohen's kappa (two raters) and Fleiss' kappa (a fixed
// number of raters per subject), on nominal categories (the item's score values).

/** Cohen's kappa of two raters' labels on the same subjects; null when chance agreement is total. */
export function cohenKappa<T>(pairs: Array<[T, T]>): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const a = new Map<T, number>();
  const b = new Map<T, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    if (x === y) agree++;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [k, count] of a) pe += (count / n) * ((b.get(k) ?? 0) / n);
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa. `subjects` holds, per subject, the labels its raters gave; every subject needs
 * the same number of raters (at least two). Null when chance agreement is total.
 */
export function fleissKappa<T>(subjects: T[][]): number | null {
  const N = subjects.length;
  if (N === 0) return null;
  const n = subjects[0].length;
  if (n < 2 || subjects.some((s) => s.length !== n)) throw new Error('Fleiss kappa needs the same number (≥ 2) of ratings for every subject');
  const totals = new Map<T, number>();
  let sumP = 0;
  for (const labels of subjects) {
    const counts = new Map<T, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    let sq = 0;
    for (const [l, c] of counts) {
      sq += c * c;
      totals.set(l, (totals.get(l) ?? 0) + c);
    }
    sumP += (sq - n) / (n * (n - 1));
  }
  const pBar = sumP / N;
  let pe = 0;
  for (const c of totals.values()) pe += (c / (N * n)) ** 2;
  if (pe === 1) return null;
  return (pBar - pe) / (1 - pe);
}
