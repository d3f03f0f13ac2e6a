// A warehouse for the complaint pages: a third-party complaint export loaded through its mapping
// file, plus one complaint without a cause that came from a transcribed call with a recording;
// the classifier has labelled it from what was said on the call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import wavefile from 'wavefile';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { ingestFiles } from '../ingest/load/index.ts';
import { DIALOGS } from '../ingest/generate/dialogs.ts';
import { scriptCall } from '../ingest/generate/transcripts.ts';
import { Rng } from '../ingest/generate/random.ts';
import { classifyComplaints } from '../web/lib/server/complaints/classify.ts';

export const FIXTURES = path.join(import.meta.dirname, '..', 'data', 'fixtures', 'complaints');
export const CALL_TICKET = 'TK-CALL-1';

export async function complaintsWarehouse(): Promise<{ warehouse: Warehouse; dir: string; dbPath: string; recordings: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-complaints-e2e-'));
  const dbPath = path.join(dir, 'c.duckdb');
  const warehouse = await Warehouse.open(dbPath);
  await ingestFiles(warehouse, [path.join(FIXTURES, 'kefu-complaints.csv')], { map: path.join(FIXTURES, 'kefu-complaints.map.json') });

  const dialog = DIALOGS.find((d) => d.id === 'complaint-good-delivery')!;
  const { transcript, talkS, holdS } = scriptCall(dialog, 'cq1', '1002', 'cq1.wav', new Rng(7));
  const values = transcript.utterances.map((u, seq) => `('cq1', ${seq}, '${u.speaker}', ${u.start_ms}, ${u.end_ms}, '${u.text.replace(/'/g, "''")}', '${JSON.stringify(u.redactions)}', 'script')`);
  await warehouse.run(`
    INSERT INTO teams VALUES ('T01', '一组', NULL);
    INSERT INTO agents (agent_id, name, team_id, role) VALUES ('1002', '李娜', 'T01', 'agent');
    INSERT INTO queues (queue_id, name, kind, language) VALUES ('complaint', '投诉建议', 'complaint', 'zh');
    INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, caller_number, enqueued_at, answered_at, ended_at, wait_s, talk_s, hold_s, recording)
      VALUES ('cq1', 'inbound', 'answered', 'complaint', '1002', '13900000999', '2026-07-20 10:00:00+08', '2026-07-20 10:00:12+08',
              '2026-07-20 10:00:12+08'::TIMESTAMPTZ + INTERVAL ${Math.ceil(transcript.duration_ms / 1000)} SECOND, 12, ${talkS}, ${holdS}, 'cq1.wav');
    INSERT INTO utterances (call_id, seq, speaker, start_ms, end_ms, text, redactions, source) VALUES ${values.join(',\n')};
    INSERT INTO tickets (ticket_id, type, status, severity, department, customer_number, call_id, opened_by, opened_at, received_due_at, contact_due_at, solution_due_at, summary)
      VALUES ('${CALL_TICKET}', 'complaint', 'in_progress', 3, NULL, '13900000999', 'cq1', '1002', '2026-07-20 10:06:00+08',
              '2026-07-20 13:06:00+08', '2026-07-21 10:06:00+08', '2026-07-22 10:06:00+08', '顾客来电投诉，详见通话录音');
    INSERT INTO ticket_events (ticket_id, seq, event, occurred_at, actor, department, result, note) VALUES
      ('${CALL_TICKET}', 1, 'intake', '2026-07-20 10:06:00+08', '1002', '客户服务部', NULL, '顾客来电投诉，详见通话录音'),
      ('${CALL_TICKET}', 2, 'judged', '2026-07-20 10:50:00+08', '1002', NULL, 'valid', '投诉成立'),
      ('${CALL_TICKET}', 3, 'investigated', '2026-07-20 16:20:00+08', NULL, '物流配送部', NULL, '物流配送部已致电顾客核实情况');
  `);
  await warehouse.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  await classifyComplaints(warehouse);
  // Forget the stored taxonomy: the server then seeds it from its bundled default on the first
  // request, as on a fresh install (a built server once failed to find the file).
  await warehouse.run('DELETE FROM complaint_sub_causes; DELETE FROM complaint_causes; DELETE FROM complaint_cause_groups;');

  // A recording as long as the transcript (a quiet tone; the player only needs real audio).
  const recordings = path.join(dir, 'recordings');
  fs.mkdirSync(recordings);
  const rate = 8000;
  const samples = new Int16Array(Math.ceil(((transcript.duration_ms + 1000) / 1000) * rate)).map((_, i) => Math.round(600 * Math.sin((2 * Math.PI * 440 * i) / rate)));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, rate, '16', samples);
  fs.writeFileSync(path.join(recordings, 'cq1.wav'), wav.toBuffer());
  return { warehouse, dir, dbPath, recordings };
}
