// Bulk auto-QA: one streaming pass over the utterances of the transcribed calls that have no
// results yet for the scorecard version, sorted by call (DuckDB sorts out of core), so memory
// stays flat however many utterances there are. Results go through DuckDB's appender on a
// second connection and are merged into qa_auto_results every BATCH calls.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../../warehouse.ts';
import type { Scorecard } from '../scorecard.ts';
import { runRules, type Evidence, type Utterance } from './rules.ts';

export interface AutoRunSummary {
  calls: number;
  results: number;
}

const BATCH = 5000;

const PENDING_UTTERANCES = `
  SELECT u.call_id, u.seq, u.speaker, u.start_ms, u.end_ms, u.text FROM utterances u
  WHERE ($only IS NULL OR list_contains(($only::JSON)::VARCHAR[], u.call_id))
    AND u.call_id NOT IN (SELECT call_id FROM qa_auto_results WHERE scorecard_id = $id AND scorecard_version = $v)
  ORDER BY u.call_id, u.start_ms, u.seq`;

/** Runs the scorecard's rules on every transcribed call not yet checked against this version. */
export async function runAutoQa(
  warehouse: Warehouse,
  card: Scorecard,
  options: { calls?: string[]; force?: boolean } = {}
): Promise<AutoRunSummary> {
  const only = options.calls ? JSON.stringify(options.calls) : null;
  const summary: AutoRunSummary = { calls: 0, results: 0 };
  const key = { id: card.id, v: card.version };
  await warehouse.withConnection(async (writer) => {
    if (options.force) {
      await writer.run(
        `DELETE FROM qa_auto_results WHERE scorecard_id = $id AND scorecard_version = $v AND ($only IS NULL OR list_contains(($only::JSON)::VARCHAR[], call_id))`,
        { ...key, only }
      );
    }
    await writer.run(`CREATE OR REPLACE TEMP TABLE qa_auto_batch (call_id VARCHAR, rule VARCHAR, passed BOOLEAN, value DOUBLE, evidence VARCHAR)`);
    let appender = await writer.createAppender('qa_auto_batch');
    let pendingCalls = 0;
    const merge = async () => {
      appender.closeSync();
      await mergeBatch(writer, key);
      appender = await writer.createAppender('qa_auto_batch');
      pendingCalls = 0;
    };
    const check = (callId: string, utterances: Utterance[]) => {
      for (const r of runRules(utterances, card.definition.auto)) {
        appender.appendVarchar(callId);
        appender.appendVarchar(r.rule);
        if (r.passed === null) appender.appendNull();
        else appender.appendBoolean(r.passed);
        if (r.value === null) appender.appendNull();
        else appender.appendDouble(r.value);
        appender.appendVarchar(JSON.stringify(r.evidence));
        appender.endRow();
        summary.results++;
      }
      summary.calls++;
      pendingCalls++;
    };
    await warehouse.withConnection(async (reader) => {
      const result = await reader.stream(PENDING_UTTERANCES, { ...key, only });
      const names = result.deduplicatedColumnNames();
      let current: string | null = null;
      let buffer: Utterance[] = [];
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunk.getRowObjects(names)) {
          const callId = String(row.call_id);
          if (callId !== current) {
            if (current !== null) check(current, buffer);
            current = callId;
            buffer = [];
          }
          buffer.push({ seq: Number(row.seq), speaker: row.speaker as Utterance['speaker'], start_ms: Number(row.start_ms), end_ms: Number(row.end_ms), text: String(row.text) });
        }
        if (pendingCalls >= BATCH) await merge();
      }
      if (current !== null) check(current, buffer);
    });
    appender.closeSync();
    await mergeBatch(writer, key);
  });
  return summary;
}

/** Moves the appended results into qa_auto_results (new calls only, so a plain insert). */
async function mergeBatch(conn: DuckDBConnection, key: { id: string; v: number }): Promise<void> {
  await conn.run(
    `INSERT INTO qa_auto_results (call_id, scorecard_id, scorecard_version, rule, passed, value, evidence, computed_at)
     SELECT call_id, $id, $v, rule, passed, value, evidence::JSON, current_timestamp FROM qa_auto_batch`,
    key
  );
  await conn.run('DELETE FROM qa_auto_batch');
}

export interface StoredAutoResult {
  rule: string;
  passed: boolean | null;
  value: number | null;
  evidence: Evidence[];
}

/** A call's stored auto-QA results for a scorecard version, computing them first if missing. */
export async function autoResultsFor(warehouse: Warehouse, card: Scorecard, callId: string): Promise<StoredAutoResult[]> {
  const read = () =>
    warehouse.all<{ rule: string; passed: boolean | null; value: number | null; evidence: string }>(
      `SELECT rule, passed, value, evidence::VARCHAR AS evidence FROM qa_auto_results
       WHERE call_id = $call AND scorecard_id = $id AND scorecard_version = $v`,
      { call: callId, id: card.id, v: card.version }
    );
  let rows = await read();
  if (!rows.length && !warehouse.readOnly) {
    await runAutoQa(warehouse, card, { calls: [callId] });
    rows = await read();
  }
  return rows.map((r) => ({ ...r, evidence: JSON.parse(r.evidence) }));
}
