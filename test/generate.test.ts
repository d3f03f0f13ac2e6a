// zhijian generate: determinism, the native formats of the export contract, and the realism the
// dashboards depend on (waits follow load, better agents do better, tickets follow the life cycle).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { generate, HEADERS } from '../ingest/generate/generate.ts';
import type { Manifest } from '../ingest/generate/generate.ts';
import { registerGenerate } from '../ingest/generate/command.ts';
import { CAUSES } from '../ingest/generate/catalog.ts';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-generate-'));
const dirA = path.join(tmpRoot, 'a');
const dirB = path.join(tmpRoot, 'b');
const dirOtherSeed = path.join(tmpRoot, 'c');
const dirBig = path.join(tmpRoot, 'big');
const small = { seed: 7, agents: 8, days: 14, start: '2026-10-18' };

let manifestA: Manifest;
let db: DuckDBInstance;
let conn: DuckDBConnection;

async function rows(sql: string, params: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

async function one(sql: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return (await rows(sql, params))[0];
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => fs.statSync(path.join(dir, p)).isFile())
    .sort();
}

function digest(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((p) => [p, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, p))).digest('hex')])
  );
}

function firstLine(file: string): string {
  return fs.readFileSync(file, 'utf8').split('\n')[0];
}

beforeAll(async () => {
  manifestA = await generate({ out: dirA, ...small });
  await generate({ out: dirB, ...small });
  await generate({ out: dirOtherSeed, ...small, seed: 8 });
  // A bigger center over a longer period for the statistical checks.
  await generate({ out: dirBig, seed: 3, agents: 30, days: 90, start: '2026-06-01' });
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run(`SET TimeZone = 'Asia/Shanghai'`);
  await conn.run(`CREATE TABLE calls AS SELECT * FROM read_csv($p, header = true)`, { p: path.join(dirBig, 'calls', '*.csv') });
  await conn.run(`CREATE TABLE agents AS SELECT * FROM read_csv($p, header = true, all_varchar = true)`, { p: path.join(dirBig, 'agents.csv') });
  await conn.run(`CREATE TABLE tickets AS SELECT * FROM read_csv($p, header = true)`, { p: path.join(dirBig, 'tickets.csv') });
  await conn.run(`CREATE TABLE events AS SELECT * FROM read_json($p, format = 'newline_delimited')`, { p: path.join(dirBig, 'ticket_events.jsonl') });
  await conn.run(`CREATE TABLE shifts AS SELECT * FROM read_csv($p, header = true)`, { p: path.join(dirBig, 'shifts.csv') });
}, 120_000);

afterAll(() => {
  conn?.closeSync();
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe('determinism', () => {
  it('gives byte-identical files for the same seed and options', () => {
    const a = digest(dirA);
    expect(Object.keys(a).length).toBeGreaterThan(20);
    expect(digest(dirB)).toEqual(a);
  });

  it('gives different data for a different seed', () => {
    const a = digest(dirA);
    const c = digest(dirOtherSeed);
    expect(c['agents.csv']).not.toBe(a['agents.csv']);
    expect(c['calls/calls-2026-10.csv']).not.toBe(a['calls/calls-2026-10.csv']);
  });
});

describe('export formats', () => {
  it('writes the headers of the export contract', () => {
    expect(firstLine(path.join(dirA, 'agents.csv'))).toBe('agent_id,name,team_id,team_name,role,hired_on,left_on');
    expect(firstLine(path.join(dirA, 'queues.csv'))).toBe('queue_id,name,kind,language');
    expect(firstLine(path.join(dirA, 'calls', 'calls-2026-10.csv'))).toBe(
      'call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved'
    );
    expect(firstLine(path.join(dirA, 'tickets.csv'))).toBe(
      'ticket_id,type,status,severity,cause_group,cause,sub_cause,department,channel,customer_number,customer_name,call_id,opened_by,opened_at,promised_callback_at,received_due_at,contact_due_at,solution_due_at,callback_due_at,closed_at,summary,major'
    );
    expect(firstLine(path.join(dirA, 'shifts.csv'))).toBe('agent_id,shift_date,shift_code,starts_at,ends_at');
    const event = JSON.parse(firstLine(path.join(dirA, 'ticket_events.jsonl')));
    expect(Object.keys(event)).toEqual(['ticket_id', 'seq', 'event', 'occurred_at', 'actor', 'department', 'result', 'note']);
  });

  it('writes one calls file per month of the period, each holding only its month', async () => {
    const months = fs.readdirSync(path.join(dirBig, 'calls')).sort();
    expect(months).toEqual(['calls-2026-06.csv', 'calls-2026-07.csv', 'calls-2026-08.csv']);
    const spill = await one(
      `SELECT count(*) AS n FROM read_csv($p, header = true, filename = true)
       WHERE strftime(enqueued_at, '%Y-%m') <> regexp_extract(filename, 'calls-(\\d{4}-\\d{2})', 1)`,
      { p: path.join(dirBig, 'calls', '*.csv') }
    );
    expect(Number(spill.n)).toBe(0);
    // The small export ends on its last day (2026-10-31): nothing after it.
    const last = await one(`SELECT max(enqueued_at)::DATE::VARCHAR AS last FROM read_csv($p, header = true)`, { p: path.join(dirA, 'calls', '*.csv') });
    expect(last.last).toBe('2026-10-31');
  });

  it('lists every file in MANIFEST.json with its true row count and size', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dirA, 'MANIFEST.json'), 'utf8')) as Manifest;
    expect(manifest).toEqual(manifestA);
    expect(manifest.seed).toBe(7);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(listFiles(dirA).filter((p) => p !== 'MANIFEST.json'));
    for (const entry of manifest.files) {
      const file = path.join(dirA, entry.path);
      expect(fs.statSync(file).size, entry.path).toBe(entry.bytes);
      let count: number;
      if (entry.path.endsWith('.csv')) {
        const text = entry.path.startsWith('attendance/') ? iconv.decode(fs.readFileSync(file), 'gb18030') : fs.readFileSync(file, 'utf8');
        count = text.trimEnd().split('\n').length - 1;
      } else if (entry.path.endsWith('.jsonl')) {
        count = fs.readFileSync(file, 'utf8').trimEnd().split('\n').length;
      } else if (entry.path.endsWith('.xlsx')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(file);
        count = wb.worksheets[0].actualRowCount - 1;
      } else {
        count = JSON.parse(fs.readFileSync(file, 'utf8')).utterances.length;
      }
      expect(count, entry.path).toBe(entry.rows);
    }
    const calls = manifest.files.find((f) => f.path.startsWith('calls/'))!;
    expect(calls.rows).toBeGreaterThan(1000);
  });

  it('parses every CSV with DuckDB read_csv: expected columns, timestamps as timestamps', async () => {
    const expectations: Array<[string, string, string[]]> = [
      ['agents.csv', HEADERS.agents, []],
      ['queues.csv', HEADERS.queues, []],
      ['calls/*.csv', HEADERS.calls, ['enqueued_at', 'answered_at', 'ended_at']],
      ['tickets.csv', HEADERS.tickets, ['opened_at', 'promised_callback_at', 'received_due_at', 'contact_due_at', 'solution_due_at', 'callback_due_at', 'closed_at']],
      ['shifts.csv', HEADERS.shifts, ['starts_at', 'ends_at']]
    ];
    for (const [file, header, stamps] of expectations) {
      const described = await rows(`DESCRIBE SELECT * FROM read_csv($p, header = true)`, { p: path.join(dirA, file) });
      expect(described.map((r) => r.column_name), file).toEqual(header.split(','));
      for (const column of stamps) {
        expect(described.find((r) => r.column_name === column)?.column_type, `${file} ${column}`).toBe('TIMESTAMP');
      }
    }
    const hired = await one(`DESCRIBE SELECT hired_on FROM read_csv($p, header = true)`, { p: path.join(dirBig, 'agents.csv') });
    expect(hired.column_type).toBe('DATE');
    const left = await one(
      `SELECT count(left_on) AS n, count(TRY_CAST(left_on AS DATE)) AS dates FROM read_csv($p, header = true, all_varchar = true)`,
      { p: path.join(dirBig, 'agents.csv') }
    );
    expect(left.dates).toBe(left.n);
    const shiftDate = await one(`DESCRIBE SELECT shift_date FROM read_csv($p, header = true)`, { p: path.join(dirA, 'shifts.csv') });
    expect(shiftDate.column_type).toBe('DATE');
    // Dates are dates, and every call's times are in order.
    const bad = await one(
      `SELECT count(*) FILTER (WHERE ended_at < enqueued_at OR answered_at < enqueued_at) AS bad, count(*) AS n
       FROM read_csv($p, header = true)`,
      { p: path.join(dirA, 'calls', '*.csv') }
    );
    expect(Number(bad.n)).toBeGreaterThan(1000);
    expect(Number(bad.bad)).toBe(0);
  });

  it('writes punches as GB18030 in the punch-clock vendor format', async () => {
    const file = path.join(dirA, 'attendance', 'punches-2026-10.csv');
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 2).equals(Buffer.from('工号', 'utf8').subarray(0, 2))).toBe(false);
    const text = iconv.decode(bytes, 'gb18030');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('工号,姓名,打卡时间,打卡类型,设备');
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4},\p{Script=Han}{2,3},\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2},(上班|下班),考勤机/u);
    // DuckDB reads the decoded file with the vendor's timestamp format.
    const utf8 = path.join(tmpRoot, 'punches-utf8.csv');
    fs.writeFileSync(utf8, text);
    const parsed = await one(
      `SELECT count(*) AS n, count(strptime("打卡时间", '%Y/%m/%d %H:%M:%S')) AS stamps FROM read_csv($p, header = true, all_varchar = true)`,
      { p: utf8 }
    );
    expect(Number(parsed.n)).toBe(lines.length - 1);
    expect(Number(parsed.stamps)).toBe(lines.length - 1);
  });

  it('writes leaves.xlsx in the HR vendor format, readable by exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dirBig, 'leaves.xlsx'));
    const sheet = wb.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['工号', '姓名', '请假类型', '开始日期', '结束日期', '审批状态']);
    const statuses = new Set<string>();
    const agentIds = new Set((await rows(`SELECT agent_id FROM agents`)).map((r) => String(r.agent_id)));
    expect(sheet.actualRowCount).toBeGreaterThan(5); // a header and some leave: about one agent in six asks for leave each month
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const [id, , kind, from, to, status] = (row.values as string[]).slice(1);
      expect(agentIds.has(id)).toBe(true);
      expect(['年假', '病假', '事假', '其他']).toContain(kind);
      expect(from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(to >= from).toBe(true);
      statuses.add(status);
    });
    expect(statuses.has('已批准')).toBe(true);
    expect(statuses.size).toBeGreaterThan(1);
    for (const status of statuses) expect(['已批准', '未批准', '已驳回']).toContain(status);
  });

  it('writes transcripts whose calls exist, answered, with talk time matching the dialog', async () => {
    const dir = path.join(dirBig, 'transcripts');
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThanOrEqual(35);
    let english = 0;
    let redacted = 0;
    let interruptions = 0;
    for (const name of files) {
      const t = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      expect(name).toBe(`${t.call_id}.json`);
      expect(t.engine).toBe('script');
      const call = await one(`SELECT disposition, direction, agent_id::VARCHAR AS agent_id, talk_s, hold_s FROM calls WHERE call_id = $id`, { id: t.call_id });
      expect(call, t.call_id).toBeDefined();
      expect(call.disposition).toBe('answered');
      expect(call.direction).toBe('inbound');
      expect(Math.abs(Number(call.talk_s) + Number(call.hold_s) - t.duration_ms / 1000)).toBeLessThanOrEqual(2);
      if (t.language === 'en') english++;
      let prevEnd = 0;
      for (const u of t.utterances) {
        expect(u.end_ms).toBeGreaterThan(u.start_ms);
        expect(u.end_ms).toBeLessThanOrEqual(t.duration_ms);
        if (u.start_ms < prevEnd) interruptions++;
        prevEnd = Math.max(prevEnd, u.end_ms);
        for (const r of u.redactions) {
          expect(u.text.slice(r.start, r.end)).toMatch(/^\[(手机号|PHONE)\]$/);
          redacted++;
        }
        expect(u.text).not.toMatch(/1[3-9]\d{9}/);
      }
      // A greeting with the 工号 names the agent who really answered.
      const greeting = t.utterances[0].text as string;
      const id = /(?:工号|agent )(\d{4})/.exec(greeting)?.[1];
      if (id) expect(id).toBe(call.agent_id);
    }
    expect(english).toBeGreaterThan(0);
    expect(redacted).toBeGreaterThan(10);
    expect(interruptions).toBeGreaterThan(0);
  });
});

describe('realism', () => {
  it('schedules night shifts to end at 01:00 the next day, four rest days a month', async () => {
    const night = await one(
      `SELECT count(*) AS n, count(*) FILTER (WHERE ends_at = shift_date + INTERVAL 25 HOUR) AS next_day FROM shifts WHERE shift_code = 'night'`
    );
    expect(Number(night.n)).toBeGreaterThan(50);
    expect(night.next_day).toBe(night.n);
    // A full month (July, 31 days) for staff employed all month: 27 shifts = 4 rest days.
    const july = await rows(
      `SELECT s.agent_id, count(*) AS shifts FROM shifts s JOIN agents a ON a.agent_id = s.agent_id::VARCHAR
       WHERE month(shift_date) = 7 AND a.hired_on::DATE < DATE '2026-06-01' AND a.left_on IS NULL GROUP BY ALL`
    );
    expect(july.length).toBeGreaterThan(20);
    for (const r of july) expect(Number(r.shifts)).toBe(27);
  });

  it('punches night-shift agents out after midnight', () => {
    const text = iconv.decode(fs.readFileSync(path.join(dirBig, 'attendance', 'punches-2026-07.csv')), 'gb18030');
    const afterMidnightOut = text.split('\n').filter((l) => /,\d{4}\/\d{2}\/\d{2} 01:\d{2}:\d{2},下班,/.test(l));
    expect(afterMidnightOut.length).toBeGreaterThan(20);
  });

  it('has abandonment rising with the wait, and with the hour’s load', async () => {
    const byWait = await rows(
      `SELECT wait_s >= 60 AS long_wait, avg((disposition = 'abandoned')::INT) AS abandon_rate, count(*) AS n
       FROM calls WHERE direction = 'inbound' AND disposition IN ('answered', 'abandoned') GROUP BY ALL ORDER BY long_wait`
    );
    expect(Number(byWait[0].abandon_rate) * 3).toBeLessThan(Number(byWait[1].abandon_rate));
    expect(Number(byWait[1].n)).toBeGreaterThan(100);
    // Some callers hang up within 5 seconds.
    const short = await one(`SELECT count(*) AS n FROM calls WHERE disposition = 'abandoned' AND wait_s < 5`);
    expect(Number(short.n)).toBeGreaterThan(10);
    // Mondays are busiest.
    const byWeekday = await rows(
      `SELECT isodow(enqueued_at) AS dow, count(*) / count(DISTINCT enqueued_at::DATE) AS per_day
       FROM calls WHERE direction = 'inbound' GROUP BY ALL ORDER BY per_day DESC`
    );
    expect(Number(byWeekday[0].dow)).toBe(1);
    expect([6, 7]).toContain(Number(byWeekday[6].dow));
  });

  it('has better agents with better outcomes: shorter handling, higher surveys, fewer repeat calls', async () => {
    const perAgent = await rows(
      `WITH answered AS (
         SELECT c.*, EXISTS (SELECT 1 FROM calls r WHERE r.caller_number = c.caller_number AND r.direction = 'inbound'
                             AND r.enqueued_at > c.ended_at AND r.enqueued_at <= c.ended_at + INTERVAL 7 DAY) AS repeated
         FROM calls c JOIN agents a ON a.agent_id = c.agent_id::VARCHAR
         WHERE c.direction = 'inbound' AND c.disposition = 'answered' AND a.role = 'agent' AND c.queue_id = 'consult')
       SELECT agent_id, avg(talk_s + hold_s + wrap_s) AS aht, avg(survey_score) AS survey, avg(repeated::INT) AS repeat_rate,
              count(*) AS n
       FROM answered GROUP BY agent_id HAVING count(*) > 300 ORDER BY aht`
    );
    expect(perAgent.length).toBeGreaterThan(10);
    const half = Math.floor(perAgent.length / 2);
    const mean = (xs: Record<string, unknown>[], k: string) => xs.reduce((s, r) => s + Number(r[k]), 0) / xs.length;
    const fast = perAgent.slice(0, half);
    const slow = perAgent.slice(perAgent.length - half);
    expect(mean(fast, 'survey')).toBeGreaterThan(mean(slow, 'survey') + 0.1);
    expect(mean(fast, 'repeat_rate')).toBeLessThan(mean(slow, 'repeat_rate'));
    // Survey answered for 30–40 % of answered calls.
    const survey = await one(
      `SELECT avg((survey_score IS NOT NULL)::INT) AS rate FROM calls WHERE direction = 'inbound' AND disposition = 'answered'`
    );
    expect(Number(survey.rate)).toBeGreaterThan(0.3);
    expect(Number(survey.rate)).toBeLessThan(0.4);
  });

  it('uses realistic mobile numbers and brings customers back when not resolved', async () => {
    const numbers = await one(
      `SELECT count(*) FILTER (WHERE NOT regexp_full_match(caller_number::VARCHAR, '1[3-9][0-9]{9}')) AS bad, count(*) AS n FROM calls`
    );
    expect(Number(numbers.bad)).toBe(0);
    const fcr = await rows(
      `SELECT resolved, avg(EXISTS (SELECT 1 FROM calls r WHERE r.caller_number = c.caller_number AND r.direction = 'inbound'
                                     AND r.enqueued_at > c.ended_at AND r.enqueued_at <= c.ended_at + INTERVAL 7 DAY)::INT) AS again
       FROM calls c WHERE direction = 'inbound' AND disposition = 'answered' GROUP BY resolved ORDER BY resolved`
    );
    expect(Number(fcr[0].again)).toBeGreaterThan(Number(fcr[1].again) * 3);
  });

  it('opens tickets from existing calls by existing agents, with callbacks as calls', async () => {
    const orphans = await one(
      `SELECT count(*) FILTER (WHERE c.call_id IS NULL) AS no_call, count(*) FILTER (WHERE a.agent_id IS NULL) AS no_agent,
              count(*) FILTER (WHERE t.opened_at < c.ended_at) AS before_call, count(*) AS n
       FROM tickets t LEFT JOIN calls c ON c.call_id = t.call_id LEFT JOIN agents a ON a.agent_id = t.opened_by::VARCHAR`
    );
    expect(Number(orphans.n)).toBeGreaterThan(1000);
    expect(Number(orphans.no_call)).toBe(0);
    expect(Number(orphans.no_agent)).toBe(0);
    expect(Number(orphans.before_call)).toBe(0);
    const events = await one(
      `SELECT count(*) FILTER (WHERE t.ticket_id IS NULL) AS orphan,
              count(*) FILTER (WHERE e.actor IS NOT NULL AND a.agent_id IS NULL) AS unknown_actor
       FROM events e LEFT JOIN tickets t USING (ticket_id) LEFT JOIN agents a ON a.agent_id = e.actor::VARCHAR`
    );
    expect(Number(events.orphan)).toBe(0);
    expect(Number(events.unknown_actor)).toBe(0);
    const callbacks = await one(
      `SELECT count(*) AS n FROM calls c JOIN agents a ON a.agent_id = c.agent_id::VARCHAR
       WHERE c.direction = 'callback' AND a.role = 'callback_specialist'`
    );
    expect(Number(callbacks.n)).toBeGreaterThan(1000);
  });

  it('makes callbacks in the callback desk’s hours (09:00–18:00), as many a day as its specialists can handle', async () => {
    // 回访 events and the callback calls alike: none at night, when the center is closed or the desk is not staffed.
    const hours = await one(
      `SELECT count(*) FILTER (WHERE hour(enqueued_at) NOT BETWEEN 9 AND 17) AS calls_outside, count(*) AS calls,
              (SELECT count(*) FILTER (WHERE hour(occurred_at) NOT BETWEEN 9 AND 17) FROM events WHERE event = 'callback') AS events_outside
       FROM calls WHERE direction = 'callback'`
    );
    expect(Number(hours.calls)).toBeGreaterThan(1000);
    expect(Number(hours.calls_outside)).toBe(0);
    expect(Number(hours.events_outside)).toBe(0);
    // Handle time per specialist and working day stays within a nine-hour shift, whoever makes the call.
    const busiest = await one(
      `SELECT max(h) AS h FROM (
         SELECT c.agent_id, enqueued_at::DATE AS d, sum(talk_s + hold_s + wrap_s) / 3600 AS h
         FROM calls c JOIN agents a ON a.agent_id = c.agent_id::VARCHAR
         WHERE a.role = 'callback_specialist' GROUP BY ALL)`
    );
    expect(Number(busiest.h)).toBeLessThan(9);
  });

  it('follows the complaint life cycle with the manual’s SLAs, some breached, unsatisfied ones reopened', async () => {
    const sla = await one(
      `SELECT count(*) FILTER (WHERE received_due_at <> opened_at + INTERVAL 3 HOUR OR contact_due_at <> opened_at + INTERVAL 24 HOUR
                               OR solution_due_at <> opened_at + INTERVAL 48 HOUR) AS wrong_due,
              count(*) FILTER (WHERE severity NOT BETWEEN 1 AND 4) AS bad_severity, count(*) AS n
       FROM tickets WHERE type = 'complaint'`
    );
    expect(Number(sla.n)).toBeGreaterThan(500);
    expect(Number(sla.wrong_due)).toBe(0);
    expect(Number(sla.bad_severity)).toBe(0);
    const breached = await one(
      `SELECT avg((first_contact > t.contact_due_at)::INT) AS contact_breach
       FROM tickets t JOIN (SELECT ticket_id, min(occurred_at) AS first_contact FROM events WHERE event = 'investigated' GROUP BY 1) USING (ticket_id)
       WHERE t.type = 'complaint'`
    );
    expect(Number(breached.contact_breach)).toBeGreaterThan(0.01);
    expect(Number(breached.contact_breach)).toBeLessThan(0.3);
    const loops = await one(
      `SELECT count(*) AS n FROM events u JOIN events r ON r.ticket_id = u.ticket_id AND r.seq = u.seq + 1
       WHERE u.event = 'callback' AND u.result = 'unsatisfied' AND r.event = 'reopened'`
    );
    expect(Number(loops.n)).toBeGreaterThan(10);
    const order = await one(
      `SELECT count(*) AS n FROM events a JOIN events b ON b.ticket_id = a.ticket_id AND b.seq = a.seq + 1 WHERE b.occurred_at < a.occurred_at`
    );
    expect(Number(order.n)).toBe(0);
    const closed = await one(
      `SELECT count(*) FILTER (WHERE t.status = 'closed' AND t.closed_at IS NULL) AS closed_without_time,
              count(*) FILTER (WHERE t.status = 'open') AS still_open, count(*) FILTER (WHERE major) AS major
       FROM tickets t`
    );
    expect(Number(closed.closed_without_time)).toBe(0);
    expect(Number(closed.still_open)).toBeGreaterThan(0);
  });

  it('draws complaint causes from the taxonomy: a few dominate, one grows over time', async () => {
    const causes = await rows(`SELECT cause_group, cause, count(*) AS n FROM tickets WHERE type = 'complaint' GROUP BY ALL ORDER BY n DESC`);
    const known = new Set(CAUSES.map((c) => c.cause));
    for (const c of causes) expect(known.has(String(c.cause)), String(c.cause)).toBe(true);
    expect(new Set(causes.map((c) => c.cause_group))).toEqual(new Set(['product', 'service', 'safety']));
    const total = causes.reduce((s, c) => s + Number(c.n), 0);
    expect((Number(causes[0].n) + Number(causes[1].n)) / total).toBeGreaterThan(0.3);
    const growth = await rows(
      `SELECT opened_at < DATE '2026-07-16' AS early, avg((cause = '服务项目不足')::INT) AS share
       FROM tickets WHERE type = 'complaint' GROUP BY ALL ORDER BY early`
    );
    expect(Number(growth[0].share)).toBeGreaterThan(Number(growth[1].share) * 1.5);
  });
});

describe('the command', () => {
  const run = (args: string[]) => {
    const program = new Command('zhijian').exitOverride();
    registerGenerate(program);
    return program.parseAsync(['node', 'zhijian', 'generate', ...args]);
  };

  it('writes an export and replaces its own previous output', async () => {
    const out = path.join(tmpRoot, 'cli');
    await run(['--out', out, '--agents', '8', '--days', '3', '--start', '2026-02-27']);
    const first = JSON.parse(fs.readFileSync(path.join(out, 'MANIFEST.json'), 'utf8')) as Manifest;
    expect(first.options).toMatchObject({ agents: 8, days: 3, start: '2026-02-27', end: '2026-03-01' });
    expect(fs.existsSync(path.join(out, 'calls', 'calls-2026-02.csv'))).toBe(true);
    await run(['--out', out, '--agents', '8', '--days', '2', '--start', '2026-05-01', '--seed', '5']);
    expect(fs.readdirSync(path.join(out, 'calls'))).toEqual(['calls-2026-05.csv']);
    expect(fs.existsSync(path.join(out, '.generate-partial'))).toBe(false);
  });

  it('refuses a folder holding other files, and over-specified sizes', async () => {
    const out = path.join(tmpRoot, 'foreign');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    await expect(run(['--out', out, '--agents', '8', '--days', '2'])).rejects.toThrow(/did not write/);
    expect(fs.readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    await expect(run(['--out', path.join(tmpRoot, 'x'), '--agents', '8', '--days', '2', '--calls', '5000'])).rejects.toThrow(/at most two/);
  });
});
