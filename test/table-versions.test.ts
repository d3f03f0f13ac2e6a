// Which tables a statement writes and reads (web/lib/server/table-versions.ts): what the result
// cache relies on to keep a dashboard's figures while a transcript or a QA review is saved, and to
// drop them when their tables change. Every doubtful statement must count as a write of everything.
import { describe, expect, it } from 'vitest';
import { namesIn, statementWrites, TableVersions, trackReads, noteReads } from '../web/lib/server/table-versions.ts';

const writes = (sql: string, temporary = new Set<string>()) => {
  const w = statementWrites(sql, temporary);
  return w instanceof Set ? [...w] : w;
};

describe('what a statement writes', () => {
  it('names the target of an INSERT, UPDATE or DELETE, after leading comments, quoted or qualified', () => {
    expect(writes(`INSERT INTO calls (call_id) VALUES ('x')`)).toEqual(['calls']);
    expect(writes(`-- Template, filled from the constants\n-- (never from input)\nINSERT OR REPLACE INTO agents BY NAME SELECT * FROM x`)).toEqual(['agents']);
    expect(writes(`/* why */ UPDATE "Calls" AS c SET wait_s = 0`)).toEqual(['calls']);
    expect(writes(`DELETE FROM restricted.sessions WHERE expires_at < now()`)).toEqual(['restricted.sessions']);
    expect(writes(`INSERT INTO "restricted"."audit_log" VALUES (1)`)).toEqual(['restricted.audit_log']);
    expect(writes(`UPDATE calls SET wait_s = wait_s WHERE call_id = 'c1' RETURNING call_id`)).toEqual(['calls']);
    // Semicolons and verbs in comments, strings and quoted names are not statements.
    expect(writes(`INSERT INTO calls SELECT * FROM x -- answer = enqueue + wait; wait = …\nWHERE note <> 'a; b' AND "x;y" = 1`)).toEqual(['calls']);
    expect(writes(`SELECT 'delete this' AS note /* ; update */ FROM calls`)).toBe('nothing');
  });

  it('reads, checkpoints and the connection’s own temporary objects write nothing', () => {
    const temporary = new Set<string>();
    expect(writes(`SELECT count(*) FROM calls`, temporary)).toBe('nothing');
    expect(writes(`WITH x AS (SELECT 1 AS n) SELECT n, 'created_at' AS updated_at FROM x`, temporary)).toBe('nothing');
    expect(writes('CHECKPOINT', temporary)).toBe('nothing');
    expect(writes(`CREATE OR REPLACE TEMP TABLE load_checked AS SELECT * FROM calls`, temporary)).toBe('nothing');
    expect(writes(`CREATE TEMPORARY VIEW IF NOT EXISTS load_src AS SELECT 1`, temporary)).toBe('nothing');
    expect(writes(`UPDATE load_checked AS c SET __status = 'present'`, temporary)).toBe('nothing');
    expect(writes(`INSERT INTO temp.load_rj VALUES (1)`, temporary)).toBe('nothing');
    expect(writes(`DROP TABLE IF EXISTS load_checked`, temporary)).toBe('nothing');
    expect(writes(`DROP TABLE IF EXISTS temp.load_rj`, temporary)).toBe('nothing');
  });

  it('counts everything else as a write of unknown tables', () => {
    for (const sql of [
      `CREATE TABLE x AS SELECT 1`,
      `CREATE OR REPLACE VIEW complaint_facts AS SELECT 1`,
      `ALTER TABLE calls ADD COLUMN x INTEGER`,
      `DROP TABLE calls`,
      `DROP TABLE IF EXISTS load_rj`, // not known here as temporary: it may be the warehouse's
      `COPY calls FROM 'x.csv'`,
      `WITH n AS (SELECT 1) INSERT INTO calls SELECT * FROM n`,
      `INSERT INTO load_rj VALUES (1); DELETE FROM calls`,
      `SELECT 1; DELETE FROM calls`,
      `ATTACH 'other.duckdb' AS o`,
      `SET threads = 1`
    ]) expect(writes(sql), sql).toBe('unknown');
  });
});

describe('what a statement reads', () => {
  it('is every name in its text, in lower case, quoted ones unquoted', () => {
    const names = namesIn(`SELECT c.call_id, "Agents".name FROM main.calls c JOIN "Agents" ON 1 = 1 WHERE x = '工单'`);
    expect(names).toEqual(expect.arrayContaining(['select', 'call_id', 'agents', 'main', 'calls', 'c', 'where']));
    expect(names).not.toContain('1');
  });

  it('is gathered across the awaits of one computation and not another', async () => {
    const [a, b] = await Promise.all([
      trackReads(async () => {
        noteReads('SELECT * FROM calls');
        await new Promise((r) => setTimeout(r, 5));
        noteReads('SELECT * FROM agents');
      }),
      trackReads(async () => {
        await new Promise((r) => setTimeout(r, 1));
        noteReads('SELECT * FROM tickets');
      })
    ]);
    expect([...a.reads]).toEqual(expect.arrayContaining(['calls', 'agents']));
    expect(a.reads.has('tickets')).toBe(false);
    expect(b.reads.has('calls')).toBe(false);
  });
});

describe('table versions', () => {
  const versions = () => {
    const v = new TableVersions();
    v.setViews(0, new Map([['complaint_facts', ['tickets', 'complaint_labels']], ['outer_view', ['complaint_facts']]]));
    return v;
  };

  it('say a result changed only when a table it read (or one under a view it read) was written', () => {
    const v = versions();
    const start = v.now();
    const reads = new Set(['calls', 'agents']);
    expect(v.changedSince(start, reads)).toBe(false);
    v.record(['utterances', 'restricted.audit_log']);
    expect(v.changedSince(start, reads)).toBe(false);
    v.record(['main.calls']);
    expect(v.changedSince(start, reads)).toBe(true);

    const before = v.now();
    expect(v.changedSince(before, new Set(['outer_view']))).toBe(false);
    v.record(['complaint_labels']);
    expect(v.changedSince(before, new Set(['outer_view']))).toBe(true);
  });

  it('say everything changed after an unknown write, until the views are read again, and for unknown reads', () => {
    const v = versions();
    const start = v.now();
    expect(v.changedSince(start, null)).toBe(false); // nothing written yet
    v.record(['utterances']);
    expect(v.changedSince(start, null)).toBe(true); // still computing: its reads are not known
    expect(v.changedSince(start, new Set())).toBe(true); // a computation that ran no statement
    const next = v.now();
    v.record('unknown');
    expect(v.changedSince(next, new Set(['calls']))).toBe(true);
    const after = v.now();
    v.record(['utterances']);
    // The views are those from before the unknown write: nothing is known to be unchanged.
    expect(v.changedSince(after, new Set(['calls']))).toBe(true);
    v.setViews(after.unknown, new Map());
    expect(v.changedSince(after, new Set(['calls']))).toBe(false);
  });
});
