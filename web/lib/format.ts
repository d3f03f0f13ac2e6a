// Number formatting for the pages, in the reader's language (Intl does the locale work).

/** One formatter per locale and style: making an Intl.NumberFormat costs far more than using one,
 *  and a dashboard formats thousands of figures (an agents' table, sparklines) per view. */
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, style: 'count' | 'share' | 'decimal', digits = 0): Intl.NumberFormat {
  const key = `${locale}\u0000${style}\u0000${digits}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.NumberFormatOptions =
      style === 'share' ? { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 } : style === 'decimal' ? { minimumFractionDigits: digits, maximumFractionDigits: digits } : {};
    formatters.set(key, (f = new Intl.NumberFormat(locale, options)));
  }
  return f;
}

export function formatCount(value: unknown, locale: string): string {
  return typeof value === 'number' ? numberFormat(locale, 'count').format(value) : '—';
}

export function formatShare(value: unknown, locale: string): string {
  return typeof value === 'number' ? numberFormat(locale, 'share').format(value) : '—';
}

export function formatDecimal(value: unknown, locale: string, digits = 1): string {
  return typeof value === 'number' ? numberFormat(locale, 'decimal', digits).format(value) : '—';
}

/** Seconds as "83 s" / "83 秒", or minutes and seconds from 100 s up. */
export function formatSeconds(value: unknown, t: (key: string, opts: { values: Record<string, string | number> }) => string): string {
  if (typeof value !== 'number') return '—';
  const rounded = Math.round(value);
  if (rounded < 100) return t('unit.seconds', { values: { value: rounded } });
  return t('unit.minutes_seconds', { values: { m: Math.floor(rounded / 60), s: rounded % 60 } });
}

/** Days between two YYYY-MM-DD dates, both included. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
