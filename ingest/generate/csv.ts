// CSV field quoting (RFC 4180) for the few free-text fields; everything else is known-safe.
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
