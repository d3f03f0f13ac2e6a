// The whole transcription path with the real whisper.cpp binary, real speech files and the weight-free
// test model (it runs the full pipeline but yields no text): conversion, per-channel runs, JSON parsing,
// merge, redaction, jobs and storage in a temporary warehouse.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Mp3Encoder } from '@breezystack/lamejs';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, encodeWavChannels, to16k } from '../ingest/transcribe/audio.ts';
import { registerTranscribe } from '../ingest/transcribe/command.ts';
import { transcribeFolder } from '../ingest/transcribe/jobs.ts';
import { MODEL_HELP } from '../ingest/transcribe/models.ts';
import { transcribeFile } from '../ingest/transcribe/pipeline.ts';
import { runWhisper } from '../ingest/transcribe/whisper.ts';
import { repoRoot } from '../web/lib/server/config.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';

const { WaveFile } = wavefile;
const shared = path.resolve(repoRoot, '..', 'shared');
const haveShared = fs.existsSync(path.join(shared, 'models')) && fs.existsSync(path.join(shared, 'audio'));
const model = path.join(shared, 'models', 'for-tests-ggml-tiny.bin');
const jfk = path.join(shared, 'audio', 'jfk.wav');
const mandarin = path.join(shared, 'audio', 'BAC009S0764W0121.wav');

if (!haveShared) console.warn(`skipping the whisper.cpp tests: ${shared}/models or ${shared}/audio not found`);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-transcribe-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stereo call from the two clips: the English one on the left (agent), the Mandarin one on the right (customer). */
async function stereoFromClips(rate = 16000): Promise<Buffer> {
  const left = (await decodeAudio(fs.readFileSync(jfk))).channels[0];
  const right = (await decodeAudio(fs.readFileSync(mandarin))).channels[0];
  const frames = Math.max(left.length, right.length);
  const pad = (c: Float32Array) => {
    const out = new Float32Array(frames);
    out.set(c);
    return out;
  };
  const wav = new WaveFile(encodeWavChannels([pad(left), pad(right)], 16000));
  if (rate !== 16000) {
    wav.toSampleRate(rate);
  }
  return Buffer.from(wav.toBuffer());
}

/** An MP3 of 16 kHz channels (lamejs, a dev dependency used only to make test files). */
function mp3(channels: Float32Array[]): Buffer {
  const pcm = channels.map((c) => Int16Array.from(c, (x) => Math.round(Math.max(-1, Math.min(1, x)) * 32767)));
  const encoder = new Mp3Encoder(channels.length, 16000, 64);
  const parts = [encoder.encodeBuffer(pcm[0], pcm[1]), encoder.flush()];
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}

describe.skipIf(!haveShared)('transcription with whisper.cpp (../shared/models and ../shared/audio)', () => {
  it('runs whisper.cpp on both speech files and reads its JSON output (empty with the test model)', async () => {
    const work = fs.mkdtempSync(path.join(dir, 'run-'));
    const results = await runWhisper({ model, inputs: [jfk, mandarin], language: 'auto', threads: 2, workDir: work });
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.segments).toEqual([]);
      expect(typeof r.language).toBe('string');
    }
  });

  it('surfaces whisper.cpp errors: exit code and the error line from stderr', async () => {
    const work = fs.mkdtempSync(path.join(dir, 'err-'));
    const missing = path.join(dir, 'no-such-model.bin');
    await expect(runWhisper({ model: missing, inputs: [jfk], language: 'zh', threads: 1, workDir: work })).rejects.toThrow(
      /exited with code 3: .*failed to (open|initialize)/
    );
  });

  it('transcribes a stereo recording per channel and reads PBX μ-law / A-law WAVs and MP3s', async () => {
    const stereo = path.join(dir, 'stereo.wav');
    fs.writeFileSync(stereo, await stereoFromClips());
    const result = await transcribeFile(stereo, { model, language: 'zh', agentChannel: 'left', threads: 2 });
    expect(result.channels).toBe(2);
    expect(result.durationMs).toBe(11000);
    expect(result.audioFormat).toBe('WAV PCM 16-bit 16000 Hz stereo');
    expect(result.utterances).toEqual([]);

    const pbx = new WaveFile(await stereoFromClips(8000));
    pbx.toBitDepth('16');
    pbx.toMuLaw();
    const mulaw = path.join(dir, 'mulaw.wav');
    fs.writeFileSync(mulaw, pbx.toBuffer());
    const fromPbx = await decodeAudio(fs.readFileSync(mulaw));
    expect(fromPbx.description).toBe('WAV μ-law 8000 Hz stereo');
    expect(fromPbx.channels).toHaveLength(2);
    expect(to16k(fromPbx.channels[0], 8000)).toHaveLength(176000);
    expect(Math.abs(fromPbx.durationMs - 11000)).toBeLessThan(5);

    const mono = new WaveFile(fs.readFileSync(mandarin));
    mono.toSampleRate(8000);
    mono.toALaw();
    const alaw = path.join(dir, 'alaw.wav');
    fs.writeFileSync(alaw, mono.toBuffer());
    const fromMono = await transcribeFile(alaw, { model, language: 'zh', agentChannel: 'left', threads: 2 });
    expect(fromMono.audioFormat).toBe('WAV A-law 8000 Hz mono');
    expect(fromMono.channels).toBe(1);
    expect(fromMono.utterances).toEqual([]);

    const stereoMp3 = path.join(dir, 'stereo.mp3');
    fs.writeFileSync(stereoMp3, mp3((await decodeAudio(await stereoFromClips())).channels));
    const fromMp3 = await decodeAudio(fs.readFileSync(stereoMp3));
    expect(fromMp3.description).toBe('MP3 16000 Hz stereo');
    expect(fromMp3.channels).toHaveLength(2);
    expect(Math.abs(fromMp3.durationMs - 11000)).toBeLessThan(150); // MP3 frames pad the end

    const monoMp3 = await decodeAudio(mp3([(await decodeAudio(fs.readFileSync(mandarin))).channels[0]]));
    expect(monoMp3.description).toBe('MP3 16000 Hz mono');
  });

  it('runs jobs into a warehouse: matched and unmatched recordings, bad files fail alone, reruns skip, late calls attach', async () => {
    const recordings = path.join(dir, 'recordings');
    const out = path.join(dir, 'transcripts');
    fs.mkdirSync(path.join(recordings, 'pbx-a'), { recursive: true });
    fs.writeFileSync(path.join(recordings, 'pbx-a', '1700000001.42.wav'), await stereoFromClips());
    fs.copyFileSync(mandarin, path.join(recordings, '1700000002.7.wav'));
    const corrupt = fs.readFileSync(jfk).subarray(0, 30); // a WAV header cut short
    fs.writeFileSync(path.join(recordings, 'corrupt.wav'), corrupt);
    fs.writeFileSync(path.join(recordings, 'empty.wav'), Buffer.alloc(0));
    fs.writeFileSync(path.join(recordings, 'notes.mp3'), '通话备注：客户要求回电\n');

    const warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
    try {
      await warehouse.run(`INSERT INTO queues (queue_id, name, language) VALUES ('consult', '业务咨询', 'zh')`);
      await warehouse.run(
        `INSERT INTO calls (call_id, direction, disposition, queue_id, agent_id, enqueued_at, answered_at, ended_at, recording)
         VALUES ('1700000001.42', 'inbound', 'answered', 'consult', '1023', TIMESTAMPTZ '2026-07-01 09:00:00+08', TIMESTAMPTZ '2026-07-01 09:00:10+08', TIMESTAMPTZ '2026-07-01 09:05:00+08', 'pbx-a/1700000001.42.wav')`
      );
      const run = () =>
        transcribeFolder({ warehouse, recordingsDir: recordings, outDir: out, model, config: {}, jobs: 2, threads: 1, keepAudio: true });
      const first = await run();
      expect(first.total).toBe(5);
      expect(first.done).toBe(2);
      const failures = Object.fromEntries(first.failed.map((f) => [f.recording, f.error]));
      expect(Object.keys(failures).sort()).toEqual(['corrupt.wav', 'empty.wav', 'notes.mp3']);
      expect(failures['empty.wav']).toBe('empty file (0 bytes)');
      expect(failures['corrupt.wav']).toMatch(/unreadable WAV|no audio samples/);
      expect(failures['notes.mp3']).toMatch(/not a WAV or MP3 file/);
      expect(first.unmatched).toEqual(['1700000002.7.wav']);

      const jobs = await warehouse.all<Record<string, unknown>>(
        'SELECT recording, call_id, status, attempts, error, audio_s, model, channels, language FROM transcription_jobs ORDER BY recording'
      );
      const byName = Object.fromEntries(jobs.map((j) => [j.recording as string, j]));
      expect(byName['pbx-a/1700000001.42.wav']).toMatchObject({
        call_id: '1700000001.42', status: 'done', attempts: 1, error: null, audio_s: 11, model: 'for-tests-ggml-tiny.bin', channels: 2, language: 'zh'
      });
      expect(byName['1700000002.7.wav']).toMatchObject({ call_id: null, status: 'done', channels: 1, audio_s: 4.204 });
      expect(byName['empty.wav']).toMatchObject({ status: 'failed', error: 'empty file (0 bytes)', attempts: 1 });

      const transcript = JSON.parse(fs.readFileSync(path.join(out, '1700000001.42.json'), 'utf8'));
      expect(transcript).toEqual({
        call_id: '1700000001.42', recording: 'pbx-a/1700000001.42.wav', language: 'zh', engine: 'whisper.cpp',
        model: 'for-tests-ggml-tiny.bin', duration_ms: 11000, utterances: []
      });
      expect(fs.existsSync(path.join(out, '1700000002.7.json'))).toBe(true);

      // A killed run leaves a job "running": the next run does it again; done ones are skipped.
      await warehouse.run(`UPDATE transcription_jobs SET status = 'running' WHERE recording = '1700000002.7.wav'`);
      const second = await run();
      expect(second).toMatchObject({ done: 1, skipped: 4, failed: [] });

      // The call record of the unmatched recording arrives: the next run attaches it.
      await warehouse.run(
        `INSERT INTO calls (call_id, direction, disposition, enqueued_at, ended_at, recording)
         VALUES ('1700000002.7', 'outbound', 'answered', TIMESTAMPTZ '2026-07-01 10:00:00+08', TIMESTAMPTZ '2026-07-01 10:02:00+08', '1700000002.7.wav')`
      );
      const third = await run();
      expect(third).toMatchObject({ done: 0, attached: 1, unmatched: [] });
      const attached = await warehouse.one('SELECT call_id, attempts FROM transcription_jobs WHERE recording = $r', { r: '1700000002.7.wav' });
      expect(attached).toEqual({ call_id: '1700000002.7', attempts: 2 });
      const failedAgain = await run().then((s) => s.failed.length);
      expect(failedAgain).toBe(0); // failed jobs wait for --retry-failed
    } finally {
      warehouse.close();
    }
  });
});

describe('zhijian transcribe command', () => {
  async function cli(args: string[], env: Record<string, string | undefined> = {}) {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    let output = '';
    const program = new Command('zhijian').option('--db <path>').exitOverride();
    program.configureOutput({ writeOut: (s) => (output += s), writeErr: (s) => (output += s) });
    registerTranscribe(program);
    for (const sub of program.commands) sub.configureOutput({ writeOut: (s) => (output += s), writeErr: (s) => (output += s) });
    try {
      await program.parseAsync(['node', 'zhijian', ...args]);
      return { output, error: null as string | null };
    } catch (err) {
      return { output, error: (err as Error).message };
    } finally {
      process.env = saved;
    }
  }

  it('documents model setup in --help', async () => {
    const { output } = await cli(['transcribe', '--help']);
    expect(output).toContain('Model setup:');
    expect(output).toContain('zhijian model download tiny');
    expect(output).toContain('ZHIJIAN_WHISPER_MODEL');
  });

  it('explains in one line how to get a model when none is present', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'nomodel-'));
    fs.writeFileSync(path.join(empty, 'config.json'), '{"transcribe": {}}');
    const { error } = await cli(['--db', path.join(empty, 'w.duckdb'), 'transcribe', empty, '--config', path.join(empty, 'config.json')], {
      ZHIJIAN_WHISPER_MODEL: undefined
    });
    expect(error).toBe(MODEL_HELP);
    expect(error).not.toContain('\n');
  });
});
