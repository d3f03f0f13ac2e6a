// The loader on bad input: one case per way an export goes wrong (wrong delimiter, BOM, GB18030,
// quoted newlines, missing and extra columns, impossible timestamps, negative durations, duplicate
// keys, unknown agents, truncated files, empty files, binary garbage, huge fields, CRLF, a header
// with spaces, a trailing empty line, a header and nothing else). For each file: every record read
// is loaded, rejected (with its line and reason in `rejects`) or already present; nothing else in
// the warehouse changes; a file that cannot be read fails alone, named, with nothing of it loaded.
// Small files are committed in data/fixtures/bad-input/; binary and large ones are made here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ingestFiles, type FileSummary, type IngestOptions } from '../ingest/load/index.ts';

const corpus = path.resolve('data/fixtures/bad-input');
const native = path.resolve('data/fixtures/ingest/native');
let dir: string;
let warehouse: Warehouse;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-bad-input-'));
  warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
  // The reference data the bad files point at: agents 1001/1023/1024/1031, queues consult and
  // complaint, four calls (C20260701-0001…4), tickets T2026070001/2 and their events.
  const base = await ingestFiles(warehouse, [native]);
  expect(base.failed).toBe(0);
});
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Snapshot = Map<string, string[]>;

/** Every table's rows as JSON text (the warehouse is small; schema main: the data, not accounts or the audit trail). */
async function snapshot(): Promise<Snapshot> {
  const tables = await warehouse.all<{ t: string }>(
    `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY 1`
  );
  const out: Snapshot = new Map();
  for (const { t } of tables) {
    // A stored call's next inbound call (derived; test/call-derived.test.ts) changes when a later
    // call of the same number loads: that is not a change of what was loaded.
    const from = t === 'calls' ? '(SELECT * EXCLUDE (next_inbound_local) FROM calls)' : `"${t}"`;
    const rows = await warehouse.all<{ r: string }>(`SELECT CAST(to_json(x) AS VARCHAR) AS r FROM ${from} x`);
    out.set(t, rows.map((r) => r.r).sort());
  }
  return out;
}

/** Rows of b not in a, per table (multisets). */
function added(a: Snapshot, b: Snapshot): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [t, rows] of b) {
    const left = new Map<string, number>();
    for (const r of a.get(t) ?? []) left.set(r, (left.get(r) ?? 0) + 1);
    const extra = rows.filter((r) => {
      const n = left.get(r) ?? 0;
      if (n === 0) return true;
      left.set(r, n - 1);
      return false;
    });
    if (extra.length) out[t] = extra;
  }
  return out;
}

interface Loaded {
  file: FileSummary;
  /** line, column, reason of each reject of this file, by line. */
  rejects: { line: number | null; column_name: string | null; reason: string }[];
  /** Rows that appeared, per table. */
  added: Record<string, string[]>;
  /** Rows that disappeared (or changed), per table. */
  removed: Record<string, string[]>;
}

/** Loads one file; never throws for a bad file (a crash of the loader fails the test here). */
async function load(file: string, options: IngestOptions = {}): Promise<Loaded> {
  const before = await snapshot();
  const summary = await ingestFiles(warehouse, [file], options);
  const after = await snapshot();
  expect(summary.files).toHaveLength(1);
  const f = summary.files[0];
  const rejects = f.ingestId
    ? await warehouse.all<Loaded['rejects'][number]>(`SELECT line, column_name, reason FROM rejects WHERE ingest_id = $id ORDER BY line`, { id: f.ingestId })
    : [];
  return { file: f, rejects, added: added(before, after), removed: added(after, before) };
}

/**
 * A file that loaded: rows read = loaded + rejected + present = the records the file holds; the
 * table gained exactly the loaded rows, rejects exactly the rejected ones, ingest_log one row,
 * and nothing else changed.
 */
function expectAccounted(r: Loaded, table: string, records: { read: number; loaded: number; rejected: number; present: number }): void {
  expect(r.file.error, r.file.error).toBeUndefined();
  const { rowsRead: read, rowsLoaded: loaded, rowsRejected: rejected, rowsPresent: present } = r.file;
  expect({ read, loaded, rejected, present }).toEqual(records);
  expect(read).toBe(loaded + rejected + present);
  expect(r.rejects).toHaveLength(rejected);
  expect(r.removed).toEqual({});
  const changes = Object.fromEntries(Object.entries(r.added).map(([t, rows]) => [t, rows.length]));
  expect(changes).toEqual({ ingest_log: 1, ...(loaded ? { [table]: loaded } : {}), ...(rejected ? { rejects: rejected } : {}) });
  const log = JSON.parse(r.added.ingest_log[0]);
  expect(log).toMatchObject({ rows_read: read, rows_loaded: loaded, rows_rejected: rejected, rows_present: present });
  for (const row of r.added[table] ?? []) if ('ingest_id' in JSON.parse(row)) expect(JSON.parse(row).ingest_id).toBe(r.file.ingestId);
}

/** A file that failed outright: named with its reason, and the warehouse exactly as before. */
function expectFailedCleanly(r: Loaded, file: string, reason: RegExp): void {
  expect(r.file.file).toBe(file);
  expect(r.file.error).toMatch(reason);
  expect(r.file).toMatchObject({ rowsLoaded: 0, rowsRejected: 0, rowsPresent: 0, skipped: false });
  expect(r.added).toEqual({});
  expect(r.removed).toEqual({});
}

const fixture = (name: string): string => path.join(corpus, name);
const callsMapping = path.resolve('ingest/load/profiles/native-calls.json');
const ids = async (table: string, key: string, prefix: string): Promise<string[]> =>
  (await warehouse.all<{ id: string }>(`SELECT ${key} AS id FROM ${table} WHERE ${key} LIKE $p ORDER BY 1`, { p: `${prefix}%` })).map((r) => r.id);

const CALL_HEADER = 'call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved';
const callRow = (id: string): string => `${id},inbound,answered,consult,1023,13800138001,2026-07-03 09:00:05,2026-07-03 09:00:25,2026-07-03 09:04:10,20,215,10,30,,,5,true`;
const TICKET_HEADER = 'ticket_id,type,status,severity,cause_group,cause,sub_cause,department,channel,customer_number,customer_name,call_id,opened_by,opened_at,promised_callback_at,received_due_at,contact_due_at,solution_due_at,callback_due_at,closed_at,summary,major';
const ticketRow = (id: string, summary: string): string => `${id},inquiry,open,,,,,,phone,13800138001,,,1023,2026-07-03 09:04:00,,,,,,,${summary},false`;
const AGENT_HEADER = 'agent_id,name,team_id,team_name,role,hired_on,left_on';

describe('how the file is written', () => {
  it('wrong delimiter: the file is not recognised, named with the header it has, and nothing loads', async () => {
    const file = fixture('wrong-delimiter-calls.csv');
    expectFailedCleanly(await load(file), file, /^cannot tell what kind of file this is: saw the header "call_id;direction;disposition;/);
    // Read with the calls mapping, it names the columns it lacks.
    expectFailedCleanly(await load(file, { map: callsMapping }), file, /^mapping native-calls needs column\(s\) call_id, direction, disposition/);
  });

  it('a UTF-8 byte-order mark before the header is not part of the first column name', async () => {
    const r = await load(fixture('bom-calls.csv'));
    expectAccounted(r, 'calls', { read: 2, loaded: 2, rejected: 0, present: 0 });
    expect(await ids('calls', 'call_id', 'BOM-')).toEqual(['BOM-1', 'BOM-2']);
  });

  it('CRLF line ends: rows load, a bad row keeps its line number', async () => {
    const r = await load(fixture('crlf-calls.csv'));
    expectAccounted(r, 'calls', { read: 3, loaded: 2, rejected: 1, present: 0 });
    expect(r.rejects).toEqual([{ line: 3, column_name: 'wait_s', reason: 'negative duration' }]);
    expect(await warehouse.one(`SELECT resolved, recording FROM calls WHERE call_id = 'CRLF-3'`)).toEqual({ resolved: true, recording: null });
  });

  it('spaces around the header names are not part of the names', async () => {
    const r = await load(fixture('header-spaces-calls.csv'));
    expectAccounted(r, 'calls', { read: 2, loaded: 2, rejected: 0, present: 0 });
  });

  it('a trailing empty line is not a record', async () => {
    expectAccounted(await load(fixture('trailing-empty-line-calls.csv')), 'calls', { read: 2, loaded: 2, rejected: 0, present: 0 });
  });

  it('a header and nothing else reads zero rows and is logged as loaded', async () => {
    const r = await load(fixture('header-only-calls.csv'));
    expectAccounted(r, 'calls', { read: 0, loaded: 0, rejected: 0, present: 0 });
  });

  it('an empty file fails alone, named', async () => {
    const file = fixture('empty.csv');
    expectFailedCleanly(await load(file), file, /^cannot tell what kind of file this is: saw the header ""/);
    expectFailedCleanly(await load(file, { map: callsMapping }), file, /^mapping native-calls needs column\(s\) call_id/);
  });

  it('GB18030: Chinese names arrive intact, and a bad date in it is rejected with its line', async () => {
    const file = path.join(dir, 'agents-gb18030.csv');
    fs.writeFileSync(file, iconv.encode([AGENT_HEADER, '2001,张伟,T09,九组,agent,2024-02-30,', '2002,欧阳娜娜,T09,九组,agent,2024-02-01,', '2003,𠮷野家,T09,九组,agent,2024-02-01,'].join('\r\n') + '\r\n', 'gb18030'));
    const r = await load(file);
    expect(r.file.error).toBeUndefined();
    expect(r.file).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsRejected: 1, rowsPresent: 0 });
    expect(r.rejects).toEqual([{ line: 2, column_name: 'hired_on', reason: 'bad date: 2024-02-30' }]);
    // agents are a dimension: the new team comes with them
    expect(Object.fromEntries(Object.entries(r.added).map(([t, rows]) => [t, rows.length]))).toEqual({ agents: 2, teams: 1, rejects: 1, ingest_log: 1 });
    expect(r.removed).toEqual({});
    expect(await warehouse.all(`SELECT a.agent_id, a.name, t.name AS team FROM agents a JOIN teams t USING (team_id) WHERE agent_id LIKE '200%' ORDER BY 1`)).toEqual([
      { agent_id: '2002', name: '欧阳娜娜', team: '九组' },
      { agent_id: '2003', name: '𠮷野家', team: '九组' }
    ]);
  });

  it('quoted fields with line breaks, quotes and commas load whole; rejects after them count records', async () => {
    const r = await load(fixture('quoted-newlines-tickets.csv'));
    expectAccounted(r, 'tickets', { read: 4, loaded: 2, rejected: 2, present: 0 });
    // A record whose quoted field holds line breaks counts as one line (read_csv's numbering,
    // documented in ingest/load/README.md): QN-2 is record 2, reported on line 3.
    expect(r.rejects).toEqual([
      { line: 3, column_name: 'severity', reason: 'severity out of 1–4' },
      { line: 5, column_name: 'type', reason: 'bad enum value: praise' }
    ]);
    expect(await warehouse.all(`SELECT ticket_id, summary FROM tickets WHERE ticket_id LIKE 'QN-%' ORDER BY 1`)).toEqual([
      { ticket_id: 'QN-1', summary: '客户来电：\n第一，账单有误；\n第二，要求回电' },
      { ticket_id: 'QN-3', summary: '含"引号"与,逗号' }
    ]);
  });
});

describe('columns', () => {
  it('a row with missing fields is rejected with its line; the rows around it load', async () => {
    const r = await load(fixture('missing-columns-calls.csv'));
    expectAccounted(r, 'calls', { read: 3, loaded: 2, rejected: 1, present: 0 });
    expect(r.rejects).toMatchObject([{ line: 3, reason: 'wrong column count (Expected Number of Columns: 17 Found: 12)' }]);
    expect(await ids('calls', 'call_id', 'MC-')).toEqual(['MC-1', 'MC-3']);
  });

  it('a header without a required column: the file is not taken for calls, and says which column is missing', async () => {
    const file = fixture('missing-header-column-calls.csv');
    expectFailedCleanly(await load(file), file, /^cannot tell what kind of file this is/);
    expectFailedCleanly(await load(file, { kind: 'calls' }), file, /^cannot tell what kind of file this is/);
    expectFailedCleanly(await load(file, { map: callsMapping }), file, /^mapping native-calls needs column\(s\) disposition, but the header is call_id,direction,queue_id/);
  });

  it('rows with extra fields are rejected with their line, and do not widen the header', async () => {
    const r = await load(fixture('extra-columns-calls.csv'));
    expectAccounted(r, 'calls', { read: 3, loaded: 1, rejected: 2, present: 0 });
    expect(r.rejects).toMatchObject([
      { line: 2, reason: expect.stringMatching(/^wrong column count \(Expected Number of Columns: 17 Found: 1[89]\)$/) },
      { line: 4, reason: 'wrong column count (Expected Number of Columns: 17 Found: 18)' }
    ]);
    expect(await ids('calls', 'call_id', 'EC-')).toEqual(['EC-2']);
  });

  it('an extra column in the header is ignored', async () => {
    expectAccounted(await load(fixture('extra-header-column-calls.csv')), 'calls', { read: 2, loaded: 2, rejected: 0, present: 0 });
  });
});

describe('values', () => {
  it('impossible timestamps and times out of order are rejected with the column at fault', async () => {
    const r = await load(fixture('impossible-timestamps-calls.csv'));
    expectAccounted(r, 'calls', { read: 7, loaded: 1, rejected: 6, present: 0 });
    expect(r.rejects).toEqual([
      { line: 2, column_name: 'enqueued_at', reason: 'bad timestamp' }, // 2026-02-30
      { line: 3, column_name: 'ended_at', reason: 'bad timestamp' }, // 25:61:00
      { line: 4, column_name: 'answered_at', reason: 'bad timestamp' }, // month 13
      { line: 6, column_name: 'enqueued_at', reason: 'bad timestamp' }, // "yesterday"
      { line: 7, column_name: 'ended_at', reason: 'end before start' },
      { line: 8, column_name: 'answered_at', reason: 'answered outside the call' }
    ]);
    expect(await ids('calls', 'call_id', 'IT-')).toEqual(['IT-4']);
  });

  it('negative durations are rejected, each with its column; a non-number is a bad duration', async () => {
    const r = await load(fixture('negative-durations-calls.csv'));
    expectAccounted(r, 'calls', { read: 6, loaded: 1, rejected: 5, present: 0 });
    expect(r.rejects).toEqual([
      { line: 2, column_name: 'talk_s', reason: 'negative duration' },
      { line: 3, column_name: 'wait_s', reason: 'negative duration' },
      { line: 4, column_name: 'hold_s', reason: 'negative duration' },
      { line: 5, column_name: 'wrap_s', reason: 'negative duration' },
      { line: 7, column_name: 'wait_s', reason: 'bad duration: abc' }
    ]);
  });

  it('duplicate keys: an identical repeat is already present, a different one is rejected, in the file and against the warehouse', async () => {
    const before = await warehouse.one(`SELECT * EXCLUDE (ingest_id) FROM calls WHERE call_id = 'C20260701-0001'`);
    const r = await load(fixture('duplicate-keys-calls.csv'));
    // DK-1 ×3 (first loads, identical repeat present, different repeat rejected), C20260701-0001
    // as stored (present) and changed (rejected), DK-2 new.
    expectAccounted(r, 'calls', { read: 6, loaded: 2, rejected: 2, present: 2 });
    expect(r.rejects).toEqual([
      { line: 4, column_name: 'call_id', reason: 'duplicate key with different content' },
      { line: 6, column_name: 'call_id', reason: 'duplicate key with different content' }
    ]);
    expect(await warehouse.one(`SELECT wait_s FROM calls WHERE call_id = 'DK-1'`)).toEqual({ wait_s: 20 });
    expect(await warehouse.one(`SELECT * EXCLUDE (ingest_id) FROM calls WHERE call_id = 'C20260701-0001'`)).toEqual(before);
  });

  it('unknown agents and queues are rejected by name; an unanswered call without an agent loads', async () => {
    const r = await load(fixture('unknown-agents-calls.csv'));
    expectAccounted(r, 'calls', { read: 4, loaded: 2, rejected: 2, present: 0 });
    expect(r.rejects).toEqual([
      { line: 2, column_name: 'agent_id', reason: 'unknown agent: 9999' },
      { line: 3, column_name: 'queue_id', reason: 'unknown queue: billing' }
    ]);
  });

  it('a huge field over read_csv\'s line limit is rejected with its line; a 900 KB field loads whole', async () => {
    const file = path.join(dir, 'huge-tickets.csv');
    const huge = 'x'.repeat(3_000_000);
    const big = '长'.repeat(300_000); // 900 000 bytes of UTF-8
    fs.writeFileSync(file, [TICKET_HEADER, ticketRow('HF-1', huge), ticketRow('HF-2', big), ticketRow('HF-3', 'short')].join('\n') + '\n');
    const r = await load(file);
    expectAccounted(r, 'tickets', { read: 3, loaded: 2, rejected: 1, present: 0 });
    expect(r.rejects).toEqual([{ line: 2, column_name: null, reason: expect.stringMatching(/^unparsable row \(Maximum line size of \d+ bytes exceeded/) }]);
    expect(await warehouse.all(`SELECT ticket_id, length(summary) AS n FROM tickets WHERE ticket_id LIKE 'HF-%' ORDER BY 1`)).toEqual([
      { ticket_id: 'HF-2', n: 300_000 },
      { ticket_id: 'HF-3', n: 5 }
    ]);
  });
});

describe('truncated and broken files', () => {
  it('a CSV cut in the middle of a row: the complete rows load, the cut row is rejected with its line', async () => {
    const r = await load(fixture('truncated-calls.csv'));
    expectAccounted(r, 'calls', { read: 3, loaded: 2, rejected: 1, present: 0 });
    expect(r.rejects).toMatchObject([{ line: 4, reason: 'wrong column count (Expected Number of Columns: 17 Found: 6)' }]);
  });

  it('a CSV cut inside a quoted field: the open quote is rejected with its line, not the whole file', async () => {
    const r = await load(fixture('truncated-quote-tickets.csv'));
    expectAccounted(r, 'tickets', { read: 2, loaded: 1, rejected: 1, present: 0 });
    expect(r.rejects).toEqual([{ line: 3, column_name: 'summary', reason: 'unparsable row (Value with unterminated quote found.)' }]);
  });

  it('a GB18030 file cut inside a character in the middle of a row: the cut row is rejected, the rest loads', async () => {
    const file = path.join(dir, 'punches-cut.csv');
    const text = ['工号,姓名,打卡时间,打卡类型,设备', '1023,李娜,2026/07/03 08:55:02,上班,大厅1号机', '1024,张伟,2026/07/03 08:58:40,上班,大厅1号机', '1023,李娜,2026/07/03 18:01:10,下班,大厅2号机'].join('\r\n');
    const bytes = iconv.encode(text, 'gb18030');
    const cutAt = bytes.lastIndexOf(iconv.encode('下班', 'gb18030')) + 1; // inside 下
    fs.writeFileSync(file, bytes.subarray(0, cutAt));
    const r = await load(file);
    expectAccounted(r, 'attendance', { read: 3, loaded: 2, rejected: 1, present: 0 });
    expect(r.rejects).toMatchObject([{ line: 4, reason: 'wrong column count (Expected Number of Columns: 5 Found: 4)' }]);
  });

  it('a JSON-lines file cut in the middle of a line: the broken line is rejected, the others load', async () => {
    const r = await load(fixture('truncated-events.jsonl'));
    expectAccounted(r, 'ticket_events', { read: 3, loaded: 2, rejected: 1, present: 0 });
    expect(r.rejects).toEqual([{ line: 3, column_name: null, reason: 'unparsable JSON line' }]);
  });

  it('a transcript cut short fails alone, named, with no utterance of it stored', async () => {
    const file = fixture('truncated-transcript.json');
    expectFailedCleanly(await load(file), file, /Malformed JSON/);
  });

  it('an .xlsx cut short fails alone, named', async () => {
    const whole = path.join(dir, 'leave-whole.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('请假');
    sheet.addRow(['工号', '姓名', '请假类型', '开始日期', '结束日期', '审批状态']);
    for (let i = 0; i < 200; i++) sheet.addRow(['1023', '李娜', '年假', `2026-08-${String((i % 28) + 1).padStart(2, '0')}`, `2026-08-${String((i % 28) + 1).padStart(2, '0')}`, '已批准']);
    await book.xlsx.writeFile(whole);
    const cut = path.join(dir, 'leave-cut.xlsx');
    const bytes = fs.readFileSync(whole);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectFailedCleanly(await load(cut), cut, /./);
  });
});

describe('garbage', () => {
  const noise = (n: number, seed: number): Buffer => {
    // xorshift: the same bytes every run
    let x = seed;
    return Buffer.from(Array.from({ length: n }, () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x & 0xff)));
  };

  it('binary garbage named .csv fails alone, named, and the next file still loads', async () => {
    const file = path.join(dir, 'calls-garbage.csv');
    fs.writeFileSync(file, noise(64 * 1024, 7));
    const good = path.join(dir, 'calls-after-garbage.csv');
    fs.writeFileSync(good, [CALL_HEADER, callRow('AG-1')].join('\n') + '\n');
    const summary = await ingestFiles(warehouse, [file, good]);
    expect(summary.failed).toBe(1);
    expect(summary.files.find((f) => f.file === file)?.error).toMatch(/^cannot tell what kind of file this is/);
    expect(summary.files.find((f) => f.file === good)).toMatchObject({ rowsRead: 1, rowsLoaded: 1 });
  });

  it('binary garbage named .xlsx and .jsonl fails alone, named', async () => {
    for (const name of ['leave-garbage.xlsx', 'events-garbage.jsonl']) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, noise(8 * 1024, 11));
      const r = await load(file);
      expectFailedCleanly(r, file, /./);
    }
  });

  it('binary bytes in the middle of a CSV are rejected as one bad line; the rows around them load', async () => {
    const file = path.join(dir, 'calls-nul.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`${CALL_HEADER}\n${callRow('NB-1')}\n`), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a]), Buffer.from(`${callRow('NB-2')}\n`)]));
    const r = await load(file);
    expectAccounted(r, 'calls', { read: 3, loaded: 2, rejected: 1, present: 0 });
    expect(r.rejects).toMatchObject([{ line: 3, reason: expect.stringMatching(/^(wrong column count|unparsable row)/) }]);
  });
});

describe('loading the corpus again', () => {
  it('adds nothing: every file that loaded is skipped, every file that failed fails the same way', async () => {
    const before = await snapshot();
    const summary = await ingestFiles(warehouse, [corpus]);
    const failed = summary.files.filter((f) => f.error).map((f) => path.basename(f.file)).sort();
    expect(failed).toEqual(['empty.csv', 'missing-header-column-calls.csv', 'truncated-transcript.json', 'wrong-delimiter-calls.csv']);
    expect(summary.files.filter((f) => !f.error).every((f) => f.skipped)).toBe(true);
    expect(added(before, await snapshot())).toEqual({});
  });
});
