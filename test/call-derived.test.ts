// calls.enqueued_local and calls.next_inbound_local (queries/schema/015_call_local_times.sql) are
// derived columns that the loader keeps in the transaction of each calls file. Whatever order
// files arrive in, they must equal a recomputation from scratch; a change of the center's zone
// converts them; a read-only open cannot, and says so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ingestFiles } from '../ingest/load/index.ts';

const native = path.resolve('data/fixtures/ingest/native');
const HEADER = 'call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-derived-'));
});
afterEach(() => {
  delete process.env.ZHIJIAN_TZ;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A calls file: [id, number, local time, direction] → answered inbound (or outbound) calls. */
function callsFile(name: string, calls: [string, string | null, string, string?][]): string {
  const file = path.join(dir, name);
  const lines = calls.map(([id, number, at, direction = 'inbound']) => {
    const end = at.replace(/:(\d\d)$/, (_, s: string) => `:${String(Number(s) + 30).padStart(2, '0')}`);
    return `${id},${direction},answered,${direction === 'inbound' ? 'consult' : ''},1023,${number ?? ''},${at},${at},${end},0,30,0,0,,,,`;
  });
  fs.writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
  return file;
}

// Three weeks of calls from four numbers, split into files that overlap in time: 13900000003 calls
// in every file, 13900000004 once only, one call without a number, one outbound call.
const week1 = (): string =>
  callsFile('week1.csv', [
    ['a1', '13900000001', '2026-07-01 09:00:00'],
    ['a2', '13900000002', '2026-07-01 10:00:00'],
    ['a3', '13900000003', '2026-07-02 09:00:00'],
    ['a4', '13900000001', '2026-07-03 09:00:00'],
    ['a5', null, '2026-07-03 11:00:00'],
    ['a6', '13900000003', '2026-07-07 23:59:00']
  ]);
const week2 = (): string =>
  callsFile('week2.csv', [
    ['b1', '13900000003', '2026-07-08 00:01:00'],
    ['b2', '13900000001', '2026-07-09 09:00:00', 'outbound'],
    ['b3', '13900000002', '2026-07-10 09:00:00'],
    // earlier than week 1's last call of the same number: the files overlap
    ['b4', '13900000003', '2026-07-05 12:00:00'],
    ['b5', '13900000004', '2026-07-12 09:00:00']
  ]);
const week3 = (): string =>
  callsFile('week3.csv', [
    ['c1', '13900000001', '2026-07-15 09:00:00'],
    ['c2', '13900000003', '2026-07-15 09:00:00'],
    // the same number and minute as c2: the call id orders them
    ['c3', '13900000003', '2026-07-15 09:00:00'],
    ['c4', '13900000002', '2026-07-02 08:00:00']
  ]);

async function load(db: string, files: string[][]): Promise<Warehouse> {
  const warehouse = await Warehouse.open(db);
  await ingestFiles(warehouse, [path.join(native, 'agents.csv'), path.join(native, 'queues.csv')]);
  for (const batch of files) {
    const summary = await ingestFiles(warehouse, batch);
    expect(summary.failed).toBe(0);
  }
  return warehouse;
}

/** Every call's derived columns as the loader left them, and as computed from scratch. */
async function derived(warehouse: Warehouse) {
  return warehouse.all<{ call_id: string; local: string; next: string | null; local_expected: string; next_expected: string | null }>(
    `SELECT c.call_id, strftime(c.enqueued_local, '%Y-%m-%d %H:%M') AS local, strftime(c.next_inbound_local, '%Y-%m-%d %H:%M') AS next,
            strftime(c.enqueued_at::TIMESTAMP, '%Y-%m-%d %H:%M') AS local_expected, strftime(n.next_local, '%Y-%m-%d %H:%M') AS next_expected
     FROM calls c
     LEFT JOIN (SELECT call_id, lead(enqueued_at::TIMESTAMP) OVER (PARTITION BY caller_number ORDER BY enqueued_at, call_id) AS next_local
                FROM calls WHERE direction = 'inbound' AND caller_number IS NOT NULL) n USING (call_id)
     ORDER BY c.call_id`
  );
}

describe('the derived columns of calls', () => {
  it('equal a recomputation from scratch whatever order the files arrive in', async () => {
    const [w1, w2, w3] = [week1(), week2(), week3()];
    const orders = [[[w1], [w2], [w3]], [[w3], [w2], [w1]], [[w2], [w1, w3]], [[w1, w2, w3]]];
    const results = [];
    for (const [i, order] of orders.entries()) {
      const warehouse = await load(path.join(dir, `w${i}.duckdb`), order);
      try {
        const rows = await derived(warehouse);
        expect(rows).toHaveLength(15);
        for (const r of rows) {
          expect(r.local, r.call_id).toBe(r.local_expected);
          expect(r.next, r.call_id).toBe(r.next_expected);
        }
        results.push(rows);
      } finally {
        warehouse.close();
      }
    }
    // The same warehouse every time, and the values the calls above imply.
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    const next = Object.fromEntries(results[0].map((r) => [r.call_id, r.next]));
    expect(next).toMatchObject({
      a1: '2026-07-03 09:00', // a4; b2 is outbound and does not count
      a4: '2026-07-15 09:00',
      a2: '2026-07-02 08:00', // c4, loaded last, falls between a2 and b3
      c4: '2026-07-10 09:00',
      a3: '2026-07-05 12:00', // b4, loaded from a later file
      b4: '2026-07-07 23:59',
      a6: '2026-07-08 00:01', // across midnight and files
      b1: '2026-07-15 09:00',
      c2: '2026-07-15 09:00', // c3: same minute, later call id
      c3: null,
      b5: null, // called once
      a5: null, // no number
      b2: null // outbound
    });
  });

  it('are not doubled or changed by loading a file again', async () => {
    const files = [week1(), week2()];
    const warehouse = await load(path.join(dir, 'w.duckdb'), [files]);
    try {
      const before = await derived(warehouse);
      const again = await ingestFiles(warehouse, files);
      expect(again.files.every((f) => f.skipped)).toBe(true);
      expect(await derived(warehouse)).toEqual(before);
    } finally {
      warehouse.close();
    }
  });

  it('follow a change of the center\'s zone, and a read-only open in another zone refuses', async () => {
    const db = path.join(dir, 'w.duckdb');
    (await load(db, [[week1()]])).close();
    process.env.ZHIJIAN_TZ = 'Europe/London';
    const readOnly = Warehouse.open(db, { readOnly: true });
    await expect(readOnly).rejects.toThrow(/keeps its local times in Asia\/Shanghai, not Europe\/London/);
    const london = await Warehouse.open(db);
    try {
      expect(london.timeZone).toBe('Europe/London');
      // 09:00 in Shanghai is 02:00 in London (summer time)
      const a1 = await london.one<{ local: string; next: string }>(
        `SELECT strftime(enqueued_local, '%Y-%m-%d %H:%M') AS local, strftime(next_inbound_local, '%Y-%m-%d %H:%M') AS next FROM calls WHERE call_id = 'a1'`
      );
      expect(a1).toEqual({ local: '2026-07-01 02:00', next: '2026-07-03 02:00' });
      for (const r of await derived(london)) {
        expect(r.local).toBe(r.local_expected);
        expect(r.next).toBe(r.next_expected);
      }
    } finally {
      london.close();
    }
    // The zone is kept: without ZHIJIAN_TZ the warehouse stays in London time.
    delete process.env.ZHIJIAN_TZ;
    const again = await Warehouse.open(db, { readOnly: true });
    try {
      expect(again.timeZone).toBe('Europe/London');
    } finally {
      again.close();
    }
  });

  it('are filled in for calls written without them when the warehouse opens', async () => {
    const db = path.join(dir, 'w.duckdb');
    const warehouse = await load(db, [[week1()]]);
    await warehouse.run('UPDATE calls SET enqueued_local = NULL, next_inbound_local = NULL');
    warehouse.close();
    const reopened = await Warehouse.open(db);
    try {
      const rows = await derived(reopened);
      expect(rows.filter((r) => r.next !== null).map((r) => r.call_id)).toEqual(['a1', 'a3']);
      for (const r of rows) {
        expect(r.local).toBe(r.local_expected);
        expect(r.next).toBe(r.next_expected);
      }
    } finally {
      reopened.close();
    }
  });
});
