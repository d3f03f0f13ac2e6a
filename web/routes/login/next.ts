// Where to go after signing in: the page that sent the visitor here, if it is a path on this site
// ("/…" but not "//host" or "/\host", which browsers read as another site); else their home.
export function safeNext(next: string | null | undefined, home: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return home;
  if (next === '/login' || next.startsWith('/login?')) return home;
  return next;
}
