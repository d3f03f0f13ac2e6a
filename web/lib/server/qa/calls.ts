// What the review page needs about one call: its facts (agent, queue, times, tickets), its
// transcript with redaction spans, its recording if the file exists, and the reviewer's queue.
import fs from 'node:fs';
import path from 'node:path';
import { resolveRecordingsDir } from '../config.ts';
import type { Warehouse } from '../warehouse.ts';

/** The call's recording file if it exists inside the recordings folder, else null. */
export function recordingPath(recording: string | null): string | null {
  if (!recording) return null;
  const root = resolveRecordingsDir();
  const file = path.resolve(root, recording);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

export interface CallFacts {
  call_id: string;
  direction: string;
  disposition: string;
  agent_id: string | null;
  agent_name: string | null;
  team_name: string | null;
  queue_id: string | null;
  queue_name: string | null;
  enqueued_at: string;
  answered_at: string | null;
  ended_at: string;
  wait_s: number;
  talk_s: number;
  hold_s: number;
  survey_score: number | null;
  resolved: boolean | null;
  recording: string | null;
  has_audio: boolean;
  tickets: Array<{ ticket_id: string; type: string; status: string; summary: string | null }>;
}

export interface TranscriptLine {
  seq: number;
  speaker: 'agent' | 'customer' | 'unknown';
  start_ms: number;
  end_ms: number;
  text: string;
  redactions: Array<{ start: number; end: number; kind: string }>;
}

export async function callFacts(warehouse: Warehouse, callId: string): Promise<CallFacts | null> {
  const row = await warehouse.one<Omit<CallFacts, 'has_audio' | 'tickets'>>(
    `SELECT c.call_id, c.direction, c.disposition, c.agent_id, a.name AS agent_name, t.name AS team_name, c.queue_id, q.name AS queue_name,
            strftime(c.enqueued_at, '%Y-%m-%d %H:%M:%S') AS enqueued_at, strftime(c.answered_at, '%Y-%m-%d %H:%M:%S') AS answered_at,
            strftime(c.ended_at, '%Y-%m-%d %H:%M:%S') AS ended_at, c.wait_s, c.talk_s, c.hold_s, c.survey_score, c.resolved, c.recording
     FROM calls c LEFT JOIN agents a ON a.agent_id = c.agent_id LEFT JOIN teams t ON t.team_id = a.team_id LEFT JOIN queues q ON q.queue_id = c.queue_id
     WHERE c.call_id = $id LIMIT 1`,
    { id: callId }
  );
  if (!row) return null;
  const tickets = await warehouse.all<CallFacts['tickets'][number]>(
    `SELECT ticket_id, type, status, summary FROM tickets WHERE call_id = $id ORDER BY opened_at`,
    { id: callId }
  );
  return { ...row, has_audio: recordingPath(row.recording) !== null, tickets };
}

export async function transcript(warehouse: Warehouse, callId: string): Promise<TranscriptLine[]> {
  const rows = await warehouse.all<Omit<TranscriptLine, 'redactions'> & { redactions: string | null }>(
    `SELECT seq, speaker, start_ms, end_ms, text, redactions::VARCHAR AS redactions FROM utterances WHERE call_id = $id ORDER BY start_ms, seq`,
    { id: callId }
  );
  return rows.map((r) => ({ ...r, redactions: r.redactions ? JSON.parse(r.redactions) : [] }));
}

export interface QueueRow {
  call_id: string;
  sample_id: number;
  agent_id: string;
  agent_name: string | null;
  queue_id: string | null;
  queue_name: string | null;
  enqueued_at: string;
  talk_s: number;
  survey_score: number | null;
  stratum: string;
  status: 'todo' | 'draft' | 'submitted';
  score: number | null;
  critical_failed: boolean | null;
  period_start: string;
  period_end: string;
}

/** The calls drawn for a reviewer, newest draw first, with their review status. */
export async function reviewerQueue(warehouse: Warehouse, reviewer: string, filter: { sample?: number; status?: string; agent?: string } = {}): Promise<QueueRow[]> {
  return warehouse.all<QueueRow>(
    `WITH mine AS (
       SELECT * FROM qa_reviews WHERE reviewer = $reviewer AND calibration_id IS NULL
       QUALIFY row_number() OVER (PARTITION BY call_id ORDER BY review_id DESC, version DESC) = 1)
     SELECT s.call_id, s.sample_id, s.agent_id, a.name AS agent_name, c.queue_id, q.name AS queue_name,
            strftime(c.enqueued_at, '%Y-%m-%d %H:%M') AS enqueued_at, c.talk_s, c.survey_score, s.stratum,
            CASE WHEN m.status IS NULL THEN 'todo' WHEN m.status = 'draft' THEN 'draft' ELSE 'submitted' END AS status,
            m.score, m.critical_failed,
            strftime(p.period_start, '%Y-%m-%d') AS period_start, strftime(p.period_end, '%Y-%m-%d') AS period_end
     FROM qa_sample_calls s
     JOIN qa_samples p ON p.sample_id = s.sample_id
     JOIN calls c ON c.call_id = s.call_id
     LEFT JOIN agents a ON a.agent_id = s.agent_id
     LEFT JOIN queues q ON q.queue_id = c.queue_id
     LEFT JOIN mine m ON m.call_id = s.call_id
     WHERE s.reviewer = $reviewer AND ($sample IS NULL OR s.sample_id = $sample) AND ($agent IS NULL OR s.agent_id = $agent)
       AND ($status IS NULL OR (CASE WHEN m.status IS NULL THEN 'todo' WHEN m.status = 'draft' THEN 'draft' ELSE 'submitted' END) = $status)
     ORDER BY s.sample_id DESC, (m.status IS NOT NULL AND m.status <> 'draft'), c.enqueued_at`,
    { reviewer, sample: filter.sample ?? null, status: filter.status ?? null, agent: filter.agent ?? null }
  );
}

/** Everyone who reviews: the reviewers named in draws, calibrations and reviews. */
export async function knownReviewers(warehouse: Warehouse): Promise<string[]> {
  const rows = await warehouse.all<{ name: string }>(
    `SELECT DISTINCT name FROM (
       SELECT unnest(reviewers::VARCHAR[]) AS name FROM qa_samples
       UNION ALL SELECT unnest(reviewers::VARCHAR[]) FROM qa_calibrations
       UNION ALL SELECT reviewer FROM qa_reviews)
     WHERE name IS NOT NULL ORDER BY name`
  );
  return rows.map((r) => r.name);
}
