// CSV for the pages' "export" links and the API's ?format=csv: RFC 4180 quoting, a UTF-8 BOM so
// that Excel opens Chinese text correctly, CRLF line ends.
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const text = v instanceof Date ? v.toISOString() : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return '\ufeff' + [columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
