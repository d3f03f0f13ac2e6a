// A small warehouse for the QA tests: two agents, a few answered calls with transcripts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { DIALOGS } from '../ingest/generate/dialogs.ts';
import { scriptCall } from '../ingest/generate/transcripts.ts';
import { Rng } from '../ingest/generate/random.ts';

export const QA_CALLS = [
  { call_id: 'q1', agent: '1001', queue: 'consult', dialog: 'consult-good-warranty', day: '2026-07-06', survey: 5 },
  { call_id: 'q2', agent: '1001', queue: 'consult', dialog: 'consult-bad-silenthold', day: '2026-07-07', survey: 2 },
  { call_id: 'q3', agent: '1002', queue: 'complaint', dialog: 'complaint-bad-argue', day: '2026-07-07', survey: 1 },
  { call_id: 'q4', agent: '1002', queue: 'complaint', dialog: 'complaint-good-quality', day: '2026-07-08', survey: 4 },
  { call_id: 'q5', agent: '1001', queue: 'english', dialog: 'english-good-refund', day: '2026-07-08', survey: 5 }
];

export async function qaWarehouse(): Promise<{ warehouse: Warehouse; dir: string; dbPath: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-qa-'));
  const dbPath = path.join(dir, 'qa.duckdb');
  const warehouse = await Warehouse.open(dbPath);
  const calls: string[] = [];
  const utterances: string[] = [];
  for (const [i, c] of QA_CALLS.entries()) {
    const d = DIALOGS.find((x) => x.id === c.dialog)!;
    const { transcript, talkS, holdS } = scriptCall(d, c.call_id, c.agent, `${c.call_id}.wav`, new Rng(100 + i));
    calls.push(
      `('${c.call_id}', 'inbound', 'answered', '${c.queue}', '${c.agent}', '${c.day} 10:0${i}:00+08', '${c.day} 10:0${i}:10+08', ` +
        `'${c.day} 10:0${i}:10+08'::TIMESTAMPTZ + INTERVAL ${Math.ceil(transcript.duration_ms / 1000)} SECOND, 10, ${talkS}, ${holdS}, '${c.call_id}.wav', ${c.survey})`
    );
    transcript.utterances.forEach((u, seq) =>
      utterances.push(`('${c.call_id}', ${seq}, '${u.speaker}', ${u.start_ms}, ${u.end_ms}, '${u.text.replace(/'/g, "''")}', '${JSON.stringify(u.redactions)}', 'script')`)
    );
  }
  await warehouse.run(`
    INSERT INTO teams VALUES ('T01', '一组', NULL);
    INSERT INTO agents (agent_id, name, team_id, role) VALUES ('1001', '张伟', 'T01', 'agent'), ('1002', '李娜', 'T01', 'agent'), ('9001', '陈静', 'T01', 'supervisor');
    INSERT INTO queues (queue_id, name, kind, language) VALUES ('consult', '业务咨询', 'consultation', 'zh'), ('complaint', '投诉建议', 'complaint', 'zh'), ('english', 'English line', 'consultation', 'en');
    INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, enqueued_at, answered_at, ended_at, wait_s, talk_s, hold_s, recording, survey_score) VALUES ${calls.join(',\n')};
    INSERT INTO utterances (call_id, seq, speaker, start_ms, end_ms, text, redactions, source) VALUES ${utterances.join(',\n')};
    INSERT INTO tickets (ticket_id, type, status, call_id, opened_by, opened_at) VALUES ('TK-9001', 'complaint', 'open', 'q3', '1002', '2026-07-07 10:05:00+08');
  `);
  await warehouse.deriveCalls(); // calls written by hand: their derived columns (the loader keeps them)
  return { warehouse, dir, dbPath };
}
