// Number formatting for the pages, in the reader's language (Intl does the locale work).
export function formatCount(value: unknown, locale: string): string {
  return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : '—';
}

export function formatShare(value: unknown, locale: string): string {
  return typeof value === 'number'
    ? new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)
    : '—';
}

export function formatDecimal(value: unknown, locale: string, digits = 1): string {
  return typeof value === 'number'
    ? new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)
    : '—';
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
