// The transcription step's writes to the warehouse: job rows and, with a finished job, its utterances,
// both in one transaction so a killed run never leaves utterances without a done job or the reverse.
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, type Warehouse } from '../../web/lib/server/warehouse.ts';
import type { Transcript } from './merge.ts';
import { sealOriginals } from '../../web/lib/server/auth/vault.ts';

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobRow {
  recording: string;
  recording_id: string;
  call_id: string | null;
  status: JobStatus;
  attempts: number;
  error: string | null;
  audio_s: number | null;
  processing_s: number | null;
  model: string | null;
}

export interface Recording {
  /** Path relative to the recordings folder, with forward slashes. */
  recording: string;
  recordingId: string;
}

/** The call whose record names the file: calls.recording equal to its relative path or its file name, else a call_id equal to the file's id. */
const MATCH_CALL = `
  SELECT call_id, queue_id FROM calls
  WHERE recording = $rel OR recording = $name OR call_id = $id
  ORDER BY (recording = $rel) DESC, (recording = $name) DESC
  LIMIT 1`;

export async function findCall(conn: DuckDBConnection, rec: Recording): Promise<{ call_id: string; queue_id: string | null } | null> {
  const name = rec.recording.split('/').pop()!;
  const rows = await queryRows<{ call_id: string; queue_id: string | null }>(conn, MATCH_CALL, { rel: rec.recording, name, id: rec.recordingId });
  return rows[0] ?? null;
}

/** The queue's language (queues.language) for a call, if known. */
export async function queueLanguage(conn: DuckDBConnection, queueId: string | null): Promise<string | null> {
  if (!queueId) return null;
  const rows = await queryRows<{ language: string }>(conn, 'SELECT language FROM queues WHERE queue_id = $q', { q: queueId });
  return rows[0]?.language ?? null;
}

/** Adds a pending job for each recording not seen before; returns every recording's job. */
export async function registerJobs(warehouse: Warehouse, recordings: Recording[]): Promise<Map<string, JobRow>> {
  await warehouse.transaction(async (conn) => {
    for (const rec of recordings) {
      await conn.run(
        `INSERT INTO transcription_jobs (recording, recording_id) VALUES ($rec, $id) ON CONFLICT (recording) DO NOTHING`,
        { rec: rec.recording, id: rec.recordingId }
      );
    }
  });
  const rows = await warehouse.all<JobRow>('SELECT recording, recording_id, call_id, status, attempts, error, audio_s, processing_s, model FROM transcription_jobs');
  return new Map(rows.map((r) => [r.recording, r]));
}

export async function markRunning(warehouse: Warehouse, recording: string): Promise<void> {
  await warehouse.run(
    `UPDATE transcription_jobs SET status = 'running', attempts = attempts + 1, error = NULL, started_at = now(), finished_at = NULL
     WHERE recording = $rec`,
    { rec: recording }
  );
}

export async function markFailed(warehouse: Warehouse, recording: string, error: string, processingS: number): Promise<void> {
  await warehouse.run(
    `UPDATE transcription_jobs SET status = 'failed', error = $error, processing_s = $p, finished_at = now() WHERE recording = $rec`,
    { rec: recording, error, p: processingS }
  );
}

export interface DoneJob {
  recording: string;
  callId: string | null;
  transcript: Transcript;
  transcriptFile: string;
  audioS: number;
  processingS: number;
  channels: number;
  audioFormat: string;
}

/** Replaces the call's ASR utterances and marks the job done, together. */
export async function storeTranscript(warehouse: Warehouse, job: DoneJob): Promise<void> {
  const t = job.transcript;
  await warehouse.transaction(async (conn) => {
    await conn.run(`DELETE FROM utterances WHERE call_id = $id AND source = 'asr'`, { id: t.call_id });
    const insert = await conn.prepare(
      `INSERT INTO utterances (call_id, seq, speaker, start_ms, end_ms, text, redactions, source, overlap)
       VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS JSON), 'asr', $8)`
    );
    for (const [seq, u] of t.utterances.entries()) {
      insert.bind([t.call_id, seq, u.speaker, u.start_ms, u.end_ms, u.text, JSON.stringify(u.redactions), u.overlap ?? false]);
      await insert.run();
    }
    insert.destroySync();
    const originals = t.utterances.flatMap((u, seq) => (u.originals ?? []).map((original, span) => ({ seq, span, kind: u.redactions[span]?.kind ?? 'unknown', original })));
    await sealOriginals(conn, warehouse.path, t.call_id, originals);
    await conn.run(
      `UPDATE transcription_jobs SET status = 'done', error = NULL, call_id = $call, audio_s = $audio, processing_s = $p,
         model = $model, language = $lang, channels = $channels, audio_format = $fmt, utterances = $n, transcript = $file,
         finished_at = now()
       WHERE recording = $rec`,
      {
        rec: job.recording, call: job.callId, audio: job.audioS, p: job.processingS, model: t.model, lang: t.language,
        channels: job.channels, fmt: job.audioFormat, n: t.utterances.length, file: job.transcriptFile
      }
    );
  });
}

export interface Attached {
  recording: string;
  recordingId: string;
  callId: string;
  transcript: string | null;
}

/** Done jobs without a call whose call record has since arrived: their utterances move to the call. */
export async function attachLateCalls(warehouse: Warehouse): Promise<Attached[]> {
  return warehouse.transaction(async (conn) => {
    const waiting = await queryRows<{ recording: string; recording_id: string; transcript: string | null }>(
      conn,
      `SELECT recording, recording_id, transcript FROM transcription_jobs WHERE call_id IS NULL AND status = 'done'`
    );
    const attached: Attached[] = [];
    for (const job of waiting) {
      const call = await findCall(conn, { recording: job.recording, recordingId: job.recording_id });
      if (!call) continue;
      if (call.call_id !== job.recording_id) {
        await conn.run(`DELETE FROM utterances WHERE call_id = $call AND source = 'asr'`, { call: call.call_id });
        await conn.run(`UPDATE utterances SET call_id = $call WHERE call_id = $id AND source = 'asr'`, { call: call.call_id, id: job.recording_id });
      }
      const moved = job.transcript ? path.join(path.dirname(job.transcript), `${call.call_id}.json`) : null;
      await conn.run(`UPDATE transcription_jobs SET call_id = $call, transcript = $file WHERE recording = $rec`, {
        call: call.call_id, file: moved, rec: job.recording
      });
      attached.push({ recording: job.recording, recordingId: job.recording_id, callId: call.call_id, transcript: job.transcript });
    }
    return attached;
  });
}

export async function unmatchedRecordings(warehouse: Warehouse): Promise<string[]> {
  const rows = await warehouse.all<{ recording: string }>(
    `SELECT recording FROM transcription_jobs WHERE call_id IS NULL AND status = 'done' ORDER BY recording`
  );
  return rows.map((r) => r.recording);
}
