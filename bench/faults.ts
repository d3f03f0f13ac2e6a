// Fault suite: kills `zhijian ingest` and `zhijian transcribe` with SIGKILL at random moments, runs
// them again to completion, and compares the whole warehouse with an uninterrupted run's — every
// table's full contents, as an order-independent hash over all columns but the ones that record
// when or how often something ran. Nothing lost, nothing doubled.
//   npx tsx bench/faults.ts [--runs 20] [--transcribe-runs N] [--seed N] [--work DIR]
// Markdown on stdout (each run and a summary), progress on stderr; exit 1 on any mismatch.
// test/faults.test.ts runs a few chosen kills of the same machinery in CI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import wavefile from 'wavefile';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { decodeAudio, encodeWav16, encodeWavChannels } from '../ingest/transcribe/audio.ts';
import { Rng } from '../ingest/generate/random.ts';
import { fmt, machineDescription } from './measure.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'zhijian.js');
export const shared = path.resolve(repoRoot, '..', 'shared');
export const testModel = path.join(shared, 'models', 'for-tests-ggml-tiny.bin');
const clips = { en: path.join(shared, 'audio', 'jfk.wav'), zh: path.join(shared, 'audio', 'BAC009S0764W0121.wav') };

/** Columns that say when or how often something ran, not what the warehouse holds. */
const VOLATILE = new Set(['ingest_id', 'started_at', 'finished_at', 'created_at', 'attempts', 'processing_s']);

export interface TableDigest {
  rows: number;
  hash: string;
}
export type Digest = Record<string, TableDigest>;

/**
 * Every table's row count and an order-independent hash of its rows (the sum of the rows' hashes,
 * so a doubled row changes it). Paths of transcript files count by their file name only, since
 * each run writes them to its own folder.
 */
export async function digest(dbPath: string): Promise<Digest> {
  const w = await Warehouse.open(dbPath, { readOnly: true });
  try {
    const tables = await w.all<{ t: string }>(
      `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY 1`
    );
    const out: Digest = {};
    for (const { t } of tables) {
      const cols = await w.all<{ c: string }>(
        `SELECT column_name AS c FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $t ORDER BY column_index`,
        { t }
      );
      const exprs = cols
        .map((x) => x.c)
        .filter((c) => !VOLATILE.has(c))
        .map((c) => (t === 'transcription_jobs' && c === 'transcript' ? `regexp_extract("transcript", '[^/]*$') AS "transcript"` : `"${c}"`));
      const row = await w.one<{ n: number; h: string }>(
        `SELECT count(*) AS n, CAST(coalesce(sum(CAST(hash(CAST(to_json(x) AS VARCHAR)) AS HUGEINT)), 0) AS VARCHAR) AS h
         FROM (SELECT ${exprs.join(', ')} FROM "${t}") x`
      );
      out[t] = { rows: Number(row!.n), hash: row!.h };
    }
    return out;
  } finally {
    w.close();
  }
}

/** Tables whose contents differ, with both row counts. */
export function differences(reference: Digest, run: Digest): string[] {
  const names = [...new Set([...Object.keys(reference), ...Object.keys(run)])].sort();
  return names
    .filter((t) => reference[t]?.hash !== run[t]?.hash || reference[t]?.rows !== run[t]?.rows)
    .map((t) => `${t} (${reference[t]?.rows ?? 'missing'} rows in the reference, ${run[t]?.rows ?? 'missing'} here)`);
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Milliseconds after the start when the kill was sent, if it was. */
  killedAtMs: number | null;
  /** Milliseconds after the start of the first output on stderr (the loader's first committed file). */
  firstStderrMs: number | null;
}

export interface KillPlan {
  /** Kill this many milliseconds after the start. */
  afterMs?: number;
  /** Kill as soon as stderr so far matches (the loader writes one line per file as it commits). */
  onStderr?: RegExp | ((stderr: string) => boolean);
  /** Kill as soon as this returns true (polled every 10 ms). */
  when?: () => boolean;
}

/** Runs `zhijian <args>` as a child process; with a plan, SIGKILLs it at that moment. */
export function runCli(args: string[], kill?: KillPlan): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ZHIJIAN_TZ: 'Asia/Shanghai' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  let killedAtMs: number | null = null;
  let firstStderrMs: number | null = null;
  const doKill = (): void => {
    if (killedAtMs !== null || child.exitCode !== null) return;
    killedAtMs = performance.now() - started;
    child.kill('SIGKILL');
  };
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => {
    firstStderrMs ??= performance.now() - started;
    stderr += d;
    const on = kill?.onStderr;
    if (on && (typeof on === 'function' ? on(stderr) : on.test(stderr))) doKill();
  });
  const timer = kill?.afterMs !== undefined ? setTimeout(doKill, kill.afterMs) : undefined;
  const poll = kill?.when ? setInterval(() => kill.when!() && doKill(), 10) : undefined;
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, killedAtMs, firstStderrMs });
    })
  );
}

function must(step: string, r: CliRun): CliRun {
  if (r.code !== 0) throw new Error(`${step} failed (exit ${r.code ?? r.signal}): ${(r.stderr + r.stdout).slice(-2000)}`);
  return r;
}

export function removeDb(file: string): void {
  for (const f of [file, `${file}.wal`]) fs.rmSync(f, { force: true });
}

/** A copy of a closed warehouse (its file and write-ahead log, if any). */
export function copyDb(from: string, to: string): void {
  removeDb(to);
  fs.copyFileSync(from, to);
  if (fs.existsSync(`${from}.wal`)) fs.copyFileSync(`${from}.wal`, `${to}.wal`);
}

// ---------------------------------------------------------------------------------------------
// The ingest: a small export of every kind (agents, queues, shifts, GB18030 punches, an .xlsx of
// leave, two months of calls, transcripts, tickets, ticket events), about 60 files.

export async function makeIngestExport(dir: string): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  must('generate', await runCli(['generate', '--out', dir, '--agents', '8', '--days', '45', '--start', '2026-08-20', '--seed', '11']));
}

export function ingestArgs(db: string, exportDir: string): string[] {
  return ['--db', db, 'ingest', '--no-progress', exportDir];
}

export interface KillResult {
  killedAtMs: number | null;
  /** Files committed before the kill (ingest_log rows), or null for transcription. */
  committed: number | null;
  /** The killed run had finished before the kill could land. */
  finishedFirst: boolean;
  /** What the killed run wrote on stderr. */
  killedStderr: string;
  mismatches: string[];
}

/** The first line of an error, without DuckDB's stack trace. */
const firstLine = (err: unknown): string => String((err as Error).message ?? err).split('\n')[0];

/**
 * Kills an ingest into a fresh warehouse, reruns it, and compares with the reference digest. A
 * killed warehouse that no longer opens, or a rerun that fails, is a mismatch too.
 */
export async function killIngest(db: string, exportDir: string, reference: Digest, plan: KillPlan): Promise<KillResult> {
  removeDb(db);
  const killed = await runCli(ingestArgs(db, exportDir), plan);
  const result: KillResult = { killedAtMs: killed.killedAtMs, committed: null, finishedFirst: killed.signal !== 'SIGKILL', killedStderr: killed.stderr, mismatches: [] };
  if (fs.existsSync(db)) {
    // The killed warehouse must open as it is, and hold whole files only.
    try {
      const w = await Warehouse.open(db, { readOnly: true });
      try {
        // Killed before the schema was committed, the file holds no tables yet: nothing committed.
        const hasLog = (await w.one<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'ingest_log'`))!.n > 0;
        result.committed = hasLog ? Number((await w.one<{ n: number }>('SELECT count(*) AS n FROM ingest_log'))!.n) : 0;
      } finally {
        w.close();
      }
    } catch (err) {
      // Kept beside it for a post-mortem (the work folder is kept when --work is given).
      const kept = db.replace(/\.duckdb$/, `-unopenable-${Date.now()}.duckdb`);
      copyDb(db, kept);
      result.mismatches.push(`the killed warehouse does not open (copy kept as ${path.basename(kept)}): ${firstLine(err)}`);
    }
  }
  const rerun = await runCli(ingestArgs(db, exportDir));
  if (rerun.code !== 0) result.mismatches.push(`the rerun failed (exit ${rerun.code}): ${(rerun.stderr || rerun.stdout).trim().split('\n')[0]}`);
  else result.mismatches.push(...differences(reference, await digest(db)));
  return result;
}

// ---------------------------------------------------------------------------------------------
// Transcription: stereo and mono recordings made from the speech clips in ../shared/audio, named
// by call records loaded beforehand, transcribed with whisper.cpp and the weight-free test model
// (../shared/models), which runs the whole pipeline but yields no text.

export function haveTranscription(): boolean {
  return fs.existsSync(testModel) && fs.existsSync(clips.en) && fs.existsSync(clips.zh);
}

/**
 * count recordings and a calls file naming them: stereo 16 kHz both ways round, mono, stereo 8 kHz
 * in turn; or all mono (one whisper.cpp run each instead of two: the warehouse writes are the same).
 */
export async function makeRecordings(dir: string, count: number, mono = false): Promise<{ recordings: string; calls: string }> {
  const recordings = path.join(dir, 'recordings');
  fs.rmSync(recordings, { recursive: true, force: true });
  fs.mkdirSync(recordings, { recursive: true });
  const en = (await decodeAudio(fs.readFileSync(clips.en))).channels[0];
  const zh = (await decodeAudio(fs.readFileSync(clips.zh))).channels[0];
  const frames = Math.max(en.length, zh.length);
  const pad = (c: Float32Array): Float32Array => {
    const out = new Float32Array(frames);
    out.set(c);
    return out;
  };
  const lines = ['call_id,direction,disposition,queue_id,agent_id,caller_number,enqueued_at,answered_at,ended_at,wait_s,talk_s,hold_s,wrap_s,transferred_to,recording,survey_score,resolved'];
  for (let i = 0; i < count; i++) {
    const id = `FT-${String(i + 1).padStart(4, '0')}`;
    let bytes: Buffer;
    if (mono || i % 4 === 2) bytes = encodeWav16(i % 2 ? zh : en); // mono: speaker unknown
    else if (i % 4 === 3) {
      const wav = new wavefile.WaveFile(encodeWavChannels([pad(zh), pad(en)], 16000));
      wav.toSampleRate(8000); // a PBX's rate
      bytes = Buffer.from(wav.toBuffer());
    } else bytes = encodeWavChannels(i % 4 === 0 ? [pad(en), pad(zh)] : [pad(zh), pad(en)], 16000);
    fs.writeFileSync(path.join(recordings, `${id}.wav`), bytes);
    const minute = String(i % 60).padStart(2, '0');
    lines.push(`${id},inbound,answered,consult,1023,13800138001,2026-07-02 10:${minute}:00,2026-07-02 10:${minute}:10,2026-07-02 10:${minute}:40,10,30,0,5,,${id}.wav,,true`);
  }
  const calls = path.join(dir, 'calls-recorded.csv');
  fs.writeFileSync(calls, lines.join('\n') + '\n');
  return { recordings, calls };
}

/** A warehouse with the agents, queues and the calls that name the recordings (closed, ready to copy). */
export async function makeTranscribeBase(db: string, calls: string): Promise<void> {
  removeDb(db);
  const native = path.join(repoRoot, 'data', 'fixtures', 'ingest', 'native');
  must('ingest for transcription', await runCli(['--db', db, 'ingest', '--no-progress', path.join(native, 'agents.csv'), path.join(native, 'queues.csv'), calls]));
}

export function transcribeArgs(db: string, recordings: string, out: string): string[] {
  return ['--db', db, 'transcribe', recordings, '--out', out, '--model', testModel, '--jobs', '1', '--threads', '2', '--no-progress'];
}

/** Transcript JSON files of a folder, by name (their content must match the reference's too). */
export function transcriptFiles(out: string): Record<string, string> {
  if (!fs.existsSync(out)) return {};
  return Object.fromEntries(fs.readdirSync(out).sort().map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));
}

/** Kills a transcription of a fresh copy of base, reruns it, and compares warehouse and transcript files. */
export async function killTranscribe(
  base: string, db: string, recordings: string, out: string, reference: { digest: Digest; files: Record<string, string> }, plan: KillPlan
): Promise<KillResult> {
  copyDb(base, db);
  fs.rmSync(out, { recursive: true, force: true });
  const killed = await runCli(transcribeArgs(db, recordings, out), plan);
  const result: KillResult = { killedAtMs: killed.killedAtMs, committed: null, finishedFirst: killed.signal !== 'SIGKILL', killedStderr: killed.stderr, mismatches: [] };
  const rerun = await runCli(transcribeArgs(db, recordings, out));
  if (rerun.code !== 0) {
    result.mismatches.push(`the rerun failed (exit ${rerun.code}): ${(rerun.stderr || rerun.stdout).trim().split('\n')[0]}`);
    return result;
  }
  const mismatches = result.mismatches;
  mismatches.push(...differences(reference.digest, await digest(db)));
  const files = transcriptFiles(out);
  for (const name of new Set([...Object.keys(files), ...Object.keys(reference.files)])) {
    if (files[name] !== reference.files[name]) mismatches.push(`transcript file ${name} ${name in files ? (name in reference.files ? 'differs' : 'is extra') : 'is missing'}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '20' },
      'transcribe-runs': { type: 'string' },
      seed: { type: 'string' },
      work: { type: 'string' }
    }
  });
  const runs = Number(values.runs);
  const transcribeRuns = values['transcribe-runs'] !== undefined ? Number(values['transcribe-runs']) : Math.max(1, Math.ceil(runs / 2));
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(transcribeRuns) || transcribeRuns < 0 || !Number.isInteger(seed)) {
    throw new Error('--runs must be a whole number ≥ 1, --transcribe-runs ≥ 0, --seed a whole number');
  }
  const work = values.work ? path.resolve(values.work) : fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-faults-'));
  fs.mkdirSync(work, { recursive: true });
  const rng = new Rng(seed);
  for (let i = 0; i < 16; i++) rng.float(); // xoroshiro128+ from a small seed starts out near-constant
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`fault suite: seed ${seed}, ${runs} ingest kill(s), ${transcribeRuns} transcription kill(s), work folder ${work}`);
  const out: string[] = ['# Fault suite: SIGKILL at random moments, rerun, compare with an uninterrupted run', '', `Machine: ${machineDescription()}`, ''];
  out.push(`Seed ${seed} (\`npx tsx bench/faults.ts --runs ${runs} --transcribe-runs ${transcribeRuns} --seed ${seed}\` repeats these kill times).`, '');
  let failures = 0;

  // Ingest
  const exportDir = path.join(work, 'export');
  await makeIngestExport(exportDir);
  const refDb = path.join(work, 'ingest-reference.duckdb');
  removeDb(refDb);
  const ref = must('reference ingest', await runCli(ingestArgs(refDb, exportDir)));
  const reference = await digest(refDb);
  // Timings vary with what else the machine does: the kill window follows the faster of two loads.
  const again = path.join(work, 'ingest-reference-2.duckdb');
  removeDb(again);
  const ref2 = must('second reference ingest', await runCli(ingestArgs(again, exportDir)));
  const second = differences(reference, await digest(again));
  if (second.length) throw new Error(`two uninterrupted loads of the same export differ: ${second.join('; ')}`);
  if (ref2.ms < ref.ms) Object.assign(ref, { ms: ref2.ms, firstStderrMs: ref2.firstStderrMs });
  const files = ref.stdout.split('\n').filter((l) => /\s(ok|FAILED)$/.test(l)).length;
  const rows = Object.entries(reference).filter(([t]) => !['ingest_log', 'settings'].includes(t)).reduce((n, [, d]) => n + d.rows, 0);
  log(`ingest reference: ${files} files, ${rows} rows in ${fmt(ref.ms / 1000)} s`);
  // Most of the first second or two is Node and tsx starting: one kill in five lands there (or while
  // the warehouse opens), the others while files load, between the first commit and the end.
  const firstCommit = ref.firstStderrMs ?? 0;
  const killMoment = (): number => (rng.chance(0.2) ? rng.uniform(0, firstCommit) : rng.uniform(firstCommit, ref.ms * 0.95));
  out.push('## zhijian ingest', '', `Export: ${files} files of every kind (\`zhijian generate --agents 8 --days 45\`), ${rows.toLocaleString('en-US')} warehouse rows; an uninterrupted load takes ${fmt(ref.ms / 1000)} s, its first file commits at ${fmt(firstCommit / 1000)} s (Node start-up before; the faster of two uninterrupted loads, which agree). Each run: a fresh warehouse, \`zhijian ingest\` killed with SIGKILL at a random moment (one in five before the first commit, the others between it and ${fmt((ref.ms * 0.95) / 1000)} s), the same command again to completion, then every table compared with the reference.`, '');
  out.push('| run | killed at | files committed at the kill | result |', '|---:|---:|---:|---|');
  const db = path.join(work, 'ingest-run.duckdb');
  let ingestBad = 0;
  let ingestLanded = 0;
  for (let i = 1; i <= runs; i++) {
    const at = Math.round(killMoment());
    const r = await killIngest(db, exportDir, reference, { afterMs: at });
    const result = r.mismatches.length ? `**MISMATCH**: ${r.mismatches.join('; ')}` : r.finishedFirst ? 'finished before the kill; identical' : 'identical';
    if (r.mismatches.length) ingestBad++;
    if (!r.finishedFirst) ingestLanded++;
    log(`ingest run ${i}/${runs}: kill at ${at} ms, ${r.committed ?? 0} file(s) committed: ${result}`);
    out.push(`| ${i} | ${r.killedAtMs === null ? `${at} ms (not sent)` : `${Math.round(r.killedAtMs)} ms`} | ${r.committed ?? (r.mismatches.length ? '–' : 'no warehouse yet')} | ${result} |`);
  }
  failures += ingestBad;
  out.push('', `Ingest: ${runs} run(s), ${ingestLanded} killed mid-run (the others finished first), **${ingestBad} mismatch(es)**.`, '');

  // Transcription
  if (transcribeRuns > 0) {
    if (!haveTranscription()) {
      out.push('## zhijian transcribe', '', `Not run: ${testModel} or the clips in ${path.join(shared, 'audio')} are missing.`, '');
    } else {
      const { recordings, calls } = await makeRecordings(work, 4);
      const base = path.join(work, 'transcribe-base.duckdb');
      await makeTranscribeBase(base, calls);
      const refT = path.join(work, 'transcribe-reference.duckdb');
      const refOut = path.join(work, 'transcripts-reference');
      copyDb(base, refT);
      fs.rmSync(refOut, { recursive: true, force: true });
      const tref = must('reference transcription', await runCli(transcribeArgs(refT, recordings, refOut)));
      const treference = { digest: await digest(refT), files: transcriptFiles(refOut) };
      log(`transcription reference: 4 recordings in ${fmt(tref.ms / 1000)} s: ${tref.stdout.trim().split('\n')[0]}`);
      out.push('## zhijian transcribe', '', `Four recordings (stereo 16 kHz both ways round, mono, stereo 8 kHz) made from ../shared/audio, matched to loaded calls, transcribed with whisper.cpp and the weight-free test model (it runs the whole pipeline but yields no text, so the utterances compared are none: the comparison checks jobs, their outcome and that nothing is doubled or lost, not transcript text). An uninterrupted run takes ${fmt(tref.ms / 1000)} s. Each run: a fresh copy of the warehouse, \`zhijian transcribe\` killed at a random moment in [0, ${fmt((tref.ms * 0.95) / 1000)} s], run again, then every table and every transcript file compared with the reference.`, '');
      out.push('| run | killed at | result |', '|---:|---:|---|');
      const tdb = path.join(work, 'transcribe-run.duckdb');
      const tout = path.join(work, 'transcripts-run');
      let transcribeBad = 0;
      let transcribeLanded = 0;
      for (let i = 1; i <= transcribeRuns; i++) {
        const at = Math.round(rng.uniform(0, tref.ms * 0.95));
        const r = await killTranscribe(base, tdb, recordings, tout, treference, { afterMs: at });
        const result = r.mismatches.length ? `**MISMATCH**: ${r.mismatches.join('; ')}` : r.finishedFirst ? 'finished before the kill; identical' : 'identical';
        if (r.mismatches.length) transcribeBad++;
        if (!r.finishedFirst) transcribeLanded++;
        log(`transcription run ${i}/${transcribeRuns}: kill at ${at} ms: ${result}`);
        out.push(`| ${i} | ${r.killedAtMs === null ? `${at} ms (not sent)` : `${Math.round(r.killedAtMs)} ms`} | ${result} |`);
      }
      failures += transcribeBad;
      out.push('', `Transcription: ${transcribeRuns} run(s), ${transcribeLanded} killed mid-run, **${transcribeBad} mismatch(es)**.`, '');
    }
  }
  out.push(`**Summary: ${runs + transcribeRuns} kills, ${failures} mismatch(es).**`);
  console.log(out.join('\n'));
  if (!values.work) fs.rmSync(work, { recursive: true, force: true });
  process.exitCode = failures ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    process.stderr.write(`faults: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 2;
  });
}
