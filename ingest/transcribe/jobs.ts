// Transcribing a folder of recordings as jobs: each recording is one job with its status in the
// warehouse; done jobs are skipped, interrupted ones start again, a bad file fails alone.
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Warehouse } from '../../web/lib/server/warehouse.ts';
import { transcriptJson, type Transcript } from './merge.ts';
import { transcribeFile } from './pipeline.ts';
import { agentChannelFor, type AgentChannel, type TranscribeConfig } from './settings.ts';
import {
  attachLateCalls, findCall, markFailed, markRunning, queueLanguage, registerJobs, storeTranscript, unmatchedRecordings,
  type Recording
} from './store.ts';

const AUDIO_FILE = /\.(wav|mp3)$/i;

/** Every .wav/.mp3 under dir, as paths relative to it, sorted. */
export function listRecordings(dir: string): Recording[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`no recordings folder ${dir}`);
  const found: Recording[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && AUDIO_FILE.test(entry.name)) found.push({ recording: child, recordingId: entry.name.replace(AUDIO_FILE, '') });
    }
  };
  walk('');
  return found.sort((a, b) => a.recording.localeCompare(b.recording));
}

export interface RunOptions {
  warehouse: Warehouse;
  recordingsDir: string;
  /** Where transcript JSON files go (transcripts/<call_id>.json). */
  outDir: string;
  model: string;
  config: TranscribeConfig;
  /** Overrides queue and config languages; 'auto' lets whisper detect it. */
  language?: string;
  agentChannel?: AgentChannel;
  jobs: number;
  threads: number;
  retryFailed?: boolean;
  keepAudio: boolean;
  progress?: boolean;
  binary?: string;
}

export interface RunSummary {
  total: number;
  done: number;
  skipped: number;
  failed: { recording: string; error: string }[];
  attached: number;
  unmatched: string[];
  audioS: number;
  wallS: number;
}

export async function transcribeFolder(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const { warehouse } = options;
  fs.mkdirSync(options.outDir, { recursive: true });
  const attached = await attachLateCalls(warehouse);
  for (const a of attached) if (a.transcript) moveTranscript(a.transcript, a.callId);

  const recordings = listRecordings(options.recordingsDir);
  const jobs = await registerJobs(warehouse, recordings);
  const todo = recordings.filter((r) => {
    const status = jobs.get(r.recording)?.status;
    return status === 'pending' || status === 'running' || (status === 'failed' && options.retryFailed);
  });
  const summary: RunSummary = {
    total: recordings.length, done: 0, skipped: recordings.length - todo.length, failed: [], attached: attached.length,
    unmatched: [], audioS: 0, wallS: 0
  };

  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: '转写 |{bar}| {value}/{total} recordings | {hours} h audio | RTF {rtf} | {failed} failed', hideCursor: true },
        cliProgress.Presets.shades_classic
      )
    : null;
  bar?.start(todo.length, 0, { hours: '0.00', rtf: '-', failed: 0 });

  // DuckDB writes go one at a time; the whisper.cpp runs are what runs in parallel.
  let writes: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = writes.then(fn);
    writes = next.catch(() => undefined);
    return next;
  };

  const queue = [...todo];
  const worker = async () => {
    for (let rec = queue.shift(); rec; rec = queue.shift()) {
      const t0 = performance.now();
      await serialized(() => markRunning(warehouse, rec.recording));
      try {
        const file = path.join(options.recordingsDir, rec.recording);
        const call = await serialized(() => warehouse.withConnection((conn) => findCall(conn, rec)));
        const queueLang = call ? await serialized(() => warehouse.withConnection((conn) => queueLanguage(conn, call.queue_id))) : null;
        const source = rec.recording.includes('/') ? rec.recording.split('/')[0] : '';
        const language = options.language ?? queueLang ?? options.config.sources?.[source]?.language ?? options.config.language ?? 'zh';
        const result = await transcribeFile(file, {
          model: options.model,
          language,
          agentChannel: agentChannelFor(rec.recording, options.config, options.agentChannel),
          threads: options.threads,
          binary: options.binary
        });
        const callId = call?.call_id ?? rec.recordingId;
        const transcript: Transcript = {
          call_id: callId,
          recording: rec.recording,
          language: result.language,
          engine: 'whisper.cpp',
          model: path.basename(options.model),
          duration_ms: result.durationMs,
          utterances: result.utterances
        };
        const transcriptFile = path.join(options.outDir, `${callId}.json`);
        fs.writeFileSync(transcriptFile, transcriptJson(transcript));
        const processingS = (performance.now() - t0) / 1000;
        await serialized(() =>
          storeTranscript(warehouse, {
            recording: rec.recording, callId: call?.call_id ?? null, transcript, transcriptFile,
            audioS: result.durationMs / 1000, processingS, channels: result.channels, audioFormat: result.audioFormat
          })
        );
        if (!options.keepAudio) fs.rmSync(file, { force: true });
        summary.done++;
        summary.audioS += result.durationMs / 1000;
      } catch (err) {
        const error = (err as Error).message;
        summary.failed.push({ recording: rec.recording, error });
        await serialized(() => markFailed(warehouse, rec.recording, error, (performance.now() - t0) / 1000));
      }
      const wall = (performance.now() - started) / 1000;
      bar?.increment(1, {
        hours: (summary.audioS / 3600).toFixed(2),
        rtf: summary.audioS > 0 ? (wall / summary.audioS).toFixed(2) : '-',
        failed: summary.failed.length
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  await writes;
  bar?.stop();
  summary.unmatched = await unmatchedRecordings(warehouse);
  summary.wallS = (performance.now() - started) / 1000;
  return summary;
}

/** A transcript written under the recording's id moves to the call's id once its call record arrives. */
function moveTranscript(from: string, callId: string): void {
  if (!fs.existsSync(from)) return;
  const doc = JSON.parse(fs.readFileSync(from, 'utf8')) as Transcript;
  doc.call_id = callId;
  const to = path.join(path.dirname(from), `${callId}.json`);
  fs.writeFileSync(to, JSON.stringify(doc, null, 1) + '\n');
  if (to !== from) fs.rmSync(from);
}
