// Which tables a statement writes, which it may read, and a version per table, so that a cached
// result (cache.ts) is thrown away only when a table it read was written since it was computed: a
// transcript or a ticket file loaded, or a QA review saved, leaves the call dashboards' figures
// cached. While the transcription runs, a commit lands every few seconds; with one version for the
// whole warehouse every dashboard view after each of them was computed afresh.
//
// Both sides err towards "changed". A statement whose writes are not plain (DDL, COPY, several
// statements in one text, WITH … INSERT) counts as a write of every table. What a query reads is
// every name in its text (identifiers and quoted names: a column or a string that happens to be a
// table's name only costs a recomputation), the names in the views it names added; a computation
// that ran no statement at all is stale after any write.
import { AsyncLocalStorage } from 'node:async_hooks';

/** What one statement writes: nothing shared (a read, a temporary object), named tables, or unknown. */
export type Writes = 'nothing' | 'unknown' | Set<string>;

const LEADING_COMMENTS = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`(${NAME}(?:\s*\.\s*${NAME})*)`;
const DML = new RegExp(String.raw`^(?:INSERT\s+(?:OR\s+(?:REPLACE|IGNORE)\s+)?INTO|UPDATE|DELETE\s+FROM)\s+${QUALIFIED}`, 'i');
const CREATE_TEMP = new RegExp(String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+(?:TABLE|VIEW|SEQUENCE)\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`, 'i');
const DROP = new RegExp(String.raw`^DROP\s+(?:TABLE|VIEW|SEQUENCE)\s+(?:IF\s+EXISTS\s+)?${QUALIFIED}\s*$`, 'i');
/** Statements that begin like a read (after comments) and name no writing verb anywhere (WITH …
 *  INSERT is a write): anything else may write. */
export const READING = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:SELECT|WITH|FROM|VALUES|DESCRIBE|SHOW|EXPLAIN|SUMMARIZE|TABLE)\b/i;
export const WRITING = /\b(?:INSERT|UPDATE|DELETE|MERGE|UPSERT|COPY|CREATE|DROP|ALTER|ATTACH|CHECKPOINT|TRUNCATE)\b/i;

/** A (possibly qualified, possibly quoted) name as its parts, unquoted and in lower case. */
function nameParts(qualified: string): string[] {
  return [...qualified.matchAll(new RegExp(NAME, 'g'))].map(([part]) =>
    (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part).toLowerCase()
  );
}

/**
 * What `sql` (one statement) writes. `temporary` holds the names of the temporary tables and views
 * created on the statement's connection: writes to them, and creating or dropping them, change
 * nothing another connection can see. Written tables are named schema.table when qualified.
 */
export function statementWrites(sql: string, temporary: Set<string>): Writes {
  const text = sql.replace(LEADING_COMMENTS, '').trim().replace(/;\s*$/, '');
  // The words and semicolons that count: not those of strings, quoted names and comments.
  const code = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  if (READING.test(text) && !WRITING.test(code)) return 'nothing';
  if (/^CHECKPOINT$/i.test(text)) return 'nothing';
  if (code.includes(';')) return 'unknown'; // several statements: in doubt
  const isTemporary = (parts: string[]) => (parts.length === 1 && temporary.has(parts[0])) || parts[0] === 'temp';
  const created = CREATE_TEMP.exec(text);
  if (created) {
    const parts = nameParts(created[1]);
    temporary.add(parts[parts.length - 1]);
    return 'nothing';
  }
  const dropped = DROP.exec(text);
  if (dropped) return isTemporary(nameParts(dropped[1])) ? 'nothing' : 'unknown';
  const target = DML.exec(text);
  if (!target) return 'unknown';
  const parts = nameParts(target[1]);
  return isTemporary(parts) ? 'nothing' : new Set([parts.join('.')]);
}

/** The table a written name (schema.table) versions: its last part. */
const versionedName = (written: string): string => written.slice(written.lastIndexOf('.') + 1);

const namesCache = new Map<string, readonly string[]>();
/** Every name in a statement's text, in lower case: identifiers (the parts of qualified ones) and quoted names. */
export function namesIn(sql: string): readonly string[] {
  let names = namesCache.get(sql);
  if (!names) {
    names = [...new Set([...sql.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)/g)].map(([, quoted, word]) => (quoted?.replace(/""/g, '"') ?? word).toLowerCase()))];
    // The texts are the named queries and their variants: a bounded cache, emptied when full.
    if (namesCache.size >= 2000) namesCache.clear();
    namesCache.set(sql, names);
  }
  return names;
}

/** The table versions a computation started from. */
export interface Version {
  /** Writes of any kind so far: equal means nothing was written since. */
  readonly writes: number;
  readonly unknown: number;
  readonly tables: ReadonlyMap<string, number>;
}

export class TableVersions {
  private writes = 0;
  private unknown = 0;
  private tables = new Map<string, number>();
  /** The names each view reads, as of `viewsAt` unknown writes (a view can only change then). */
  private views = new Map<string, readonly string[]>();
  private viewsAt = -1;

  now(): Version {
    return { writes: this.writes, unknown: this.unknown, tables: new Map(this.tables) };
  }

  /** A commit wrote these tables (schema.table or table), or who knows what. */
  record(written: 'unknown' | Iterable<string>): void {
    this.writes++;
    if (written === 'unknown') this.unknown++;
    else for (const name of written) this.tables.set(versionedName(name), (this.tables.get(versionedName(name)) ?? 0) + 1);
  }

  /** Unknown writes so far: a reader of the views' definitions tags them with it. */
  get unknownWrites(): number {
    return this.unknown;
  }

  /** Whether the views' definitions were read after the latest unknown write. */
  get viewsKnown(): boolean {
    return this.viewsAt === this.unknown;
  }

  /** The views' definitions as read after `at` unknown writes (the latest reading wins). */
  setViews(at: number, views: Map<string, readonly string[]>): void {
    if (at < this.viewsAt) return;
    this.views = views;
    this.viewsAt = at;
  }

  /** Whether anything written since `version` may change what a computation that read these
   *  names (null: still computing, so not yet known) computed. */
  changedSince(version: Version, reads: ReadonlySet<string> | null): boolean {
    if (version.writes === this.writes) return false;
    // A write of unknown tables, views not known as of now, or reads not known: changed.
    if (version.unknown !== this.unknown || this.viewsAt !== this.unknown || !reads || reads.size === 0) return true;
    const names = this.withViews(reads);
    for (const [table, n] of this.tables) if (n !== (version.tables.get(table) ?? 0) && names.has(table)) return true;
    return false;
  }

  /** The names read, with those of the views among them (and of theirs) added. */
  private withViews(reads: ReadonlySet<string>): Set<string> {
    const names = new Set(reads);
    const todo = [...reads];
    for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
      for (const inner of this.views.get(name) ?? []) if (!names.has(inner)) (names.add(inner), todo.push(inner));
    }
    return names;
  }
}

// What a computation reads is gathered across its awaits. The store is on globalThis because the
// CLI's modules and the web bundle's copies of them (one process under `zhijian serve`) must share
// it: the warehouse's connections note into the store the bundle's cache opened.
const KEY = Symbol.for('zhijian.reads');
const tracking: AsyncLocalStorage<Set<string>> = ((globalThis as { [KEY]?: AsyncLocalStorage<Set<string>> })[KEY] ??= new AsyncLocalStorage());

/** Notes the names a statement about to run reads, for the computation it runs in (if any). */
export function noteReads(sql: string): void {
  if (tracking.getStore()) noteNames(namesIn(sql));
}

/** Adds names read elsewhere (a cached result used here) to the running computation's. */
export function noteNames(names: Iterable<string>): void {
  const reads = tracking.getStore();
  if (reads) for (const name of names) reads.add(name);
}

/** Runs fn and gathers the names of everything its statements read. */
export async function trackReads<T>(fn: () => Promise<T>): Promise<{ value: T; reads: Set<string> }> {
  const reads = new Set<string>();
  const value = await tracking.run(reads, fn);
  return { value, reads };
}
