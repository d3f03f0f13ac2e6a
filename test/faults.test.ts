// The fault suite's short, deterministic form (bench/faults.ts kills at random moments, many times):
// `zhijian ingest` killed with SIGKILL at three chosen moments and `zhijian transcribe` at two, each
// run again to completion and compared, table by table over all columns, with an uninterrupted run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyDb, digest, haveTranscription, ingestArgs, killIngest, killTranscribe, makeIngestExport, makeRecordings, makeTranscribeBase,
  runCli, transcribeArgs, transcriptFiles, type Digest
} from '../bench/faults.ts';
import { whisperBinary } from '../ingest/transcribe/whisper.ts';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-faults-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Lines the loader writes on stderr (no terminal) as each file commits. */
const committedLines = (stderr: string): number => stderr.split('\n').filter((l) => /: \w+ loaded \d+/.test(l)).length;

describe('zhijian ingest killed and run again', () => {
  let exportDir: string;
  let reference: Digest;

  beforeAll(async () => {
    exportDir = path.join(dir, 'export');
    await makeIngestExport(exportDir);
    const db = path.join(dir, 'ingest-reference.duckdb');
    const run = await runCli(ingestArgs(db, exportDir));
    expect(run.code, run.stderr).toBe(0);
    reference = await digest(db);
    expect(reference.calls.rows).toBeGreaterThan(10_000);
    expect(reference.ticket_events.rows).toBeGreaterThan(5_000);
    expect(reference.utterances.rows).toBeGreaterThan(0);
  }, 60_000);

  // The loader commits dimensions first, then shifts, punches, leave, calls by month,
  // transcripts, tickets and events: these moments fall inside the first files, between the
  // two calls files, and during the ticket events (the largest file).
  const moments: [string, (stderr: string) => boolean][] = [
    ['as soon as the first file has committed', (s) => committedLines(s) >= 1],
    ['after the first calls file, while the second loads', (s) => /calls-2026-08\.csv: calls loaded/.test(s)],
    ['after the tickets, while the ticket events load', (s) => /tickets\.csv: tickets loaded/.test(s)]
  ];
  for (const [name, ready] of moments) {
    it(`killed ${name}: the rerun leaves exactly the reference's rows`, async () => {
      const result = await killIngest(path.join(dir, 'ingest-killed.duckdb'), exportDir, reference, { onStderr: ready });
      expect(result.finishedFirst, 'the kill landed after the load had finished').toBe(false);
      // The killed warehouse held exactly the files reported committed (or one more that committed
      // in the moment before the kill).
      expect(result.committed! - committedLines(result.killedStderr)).toBeGreaterThanOrEqual(0);
      expect(result.committed! - committedLines(result.killedStderr)).toBeLessThanOrEqual(1);
      expect(result.mismatches).toEqual([]);
    }, 40_000);
  }
});

describe.skipIf(!haveTranscription() || !fs.existsSync(whisperBinary()))('zhijian transcribe killed and run again', () => {
  let base: string;
  let recordings: string;
  let reference: { digest: Digest; files: Record<string, string> };

  beforeAll(async () => {
    const made = await makeRecordings(dir, 2, true); // mono: one whisper.cpp run per recording keeps this short
    recordings = made.recordings;
    base = path.join(dir, 'transcribe-base.duckdb');
    await makeTranscribeBase(base, made.calls);
    const db = path.join(dir, 'transcribe-reference.duckdb');
    const out = path.join(dir, 'transcripts-reference');
    copyDb(base, db);
    const run = await runCli(transcribeArgs(db, recordings, out));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^2 transcribed, 0 skipped/);
    reference = { digest: await digest(db), files: transcriptFiles(out) };
    expect(reference.digest.transcription_jobs.rows).toBe(2);
    expect(Object.keys(reference.files)).toEqual(['FT-0001.json', 'FT-0002.json']);
  }, 60_000);

  // A transcript file is written just before its job's utterances and status commit, so its
  // appearing is the moment between the two.
  const moments: [string, number][] = [
    ['as the first transcript is being stored', 1],
    ['as the second transcript is being stored', 2]
  ];
  for (const [name, files] of moments) {
    it(`killed ${name}: the rerun leaves the reference's jobs, utterances and transcript files`, async () => {
      const out = path.join(dir, 'transcripts-killed');
      const result = await killTranscribe(base, path.join(dir, 'transcribe-killed.duckdb'), recordings, out, reference, {
        when: () => fs.existsSync(out) && fs.readdirSync(out).length >= files
      });
      expect(result.finishedFirst, 'the kill landed after the run had finished').toBe(false);
      expect(result.mismatches).toEqual([]);
    }, 40_000);
  }
});
