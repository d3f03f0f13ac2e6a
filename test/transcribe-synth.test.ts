// Demo recordings spoken from scripted transcripts: playable stereo, agent left, customer right,
// each line at its scripted time, redacted numbers spoken as made-up numbers of their kind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../ingest/transcribe/audio.ts';
import type { Transcript } from '../ingest/transcribe/merge.ts';
import { redact } from '../ingest/transcribe/redact.ts';
import { spokenText, synthesizeDialog, synthesizeFolder } from '../ingest/transcribe/synth.ts';

const script: Transcript = {
  call_id: '1751331600.118',
  recording: '1751331600.118.wav',
  language: 'zh',
  engine: 'script',
  model: null,
  duration_ms: 7000,
  utterances: [
    { speaker: 'agent', start_ms: 300, end_ms: 2600, text: '您好，很高兴为您服务。', redactions: [] },
    { speaker: 'customer', start_ms: 3500, end_ms: 6500, text: '我的手机号是[手机号]。', redactions: [{ start: 6, end: 11, kind: 'phone' }] }
  ]
};

/** Loudness (RMS) of a channel between two times. */
function rms(samples: Float32Array, rate: number, fromMs: number, toMs: number): number {
  const a = Math.floor((fromMs / 1000) * rate);
  const b = Math.min(samples.length, Math.floor((toMs / 1000) * rate));
  let sum = 0;
  for (let k = a; k < b; k++) sum += samples[k] * samples[k];
  return Math.sqrt(sum / Math.max(1, b - a));
}

describe('synthesizeDialog', () => {
  it('speaks the agent on the left and the customer on the right, at their scripted times, as 8 kHz μ-law', async () => {
    const wav = await synthesizeDialog(script);
    const audio = await decodeAudio(wav);
    expect(audio.description).toBe('WAV μ-law 8000 Hz stereo');
    expect(audio.durationMs).toBeGreaterThanOrEqual(7000);
    const [left, right] = audio.channels;
    const rate = audio.sampleRate;
    expect(rms(left, rate, 400, 1500)).toBeGreaterThan(0.02); // agent speaking
    expect(rms(right, rate, 400, 1500)).toBe(0);
    expect(rms(right, rate, 3600, 5000)).toBeGreaterThan(0.02); // customer speaking
    expect(rms(left, rate, 3600, 5000)).toBe(0);
    expect(rms(left, rate, 0, 250) + rms(right, rate, 0, 250)).toBe(0); // silence before the first line
  });

  it('says a made-up number where the script has a redaction tag, one the transcriber redacts again', () => {
    const said = spokenText(script.utterances[1], 'zh');
    expect(said).not.toContain('[手机号]');
    expect(redact(said).text).toBe('我的手机号是[手机号]。');
    expect(spokenText({ ...script.utterances[1], text: 'My number is [PHONE].', redactions: [{ start: 13, end: 20, kind: 'phone' }] }, 'en')).toBe(
      'My number is one three eight, zero zero one three, eight zero zero zero.'
    );
  });

  it('writes one recording per scripted transcript, named by its recording field, and skips transcribed ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-synth-'));
    try {
      const transcripts = path.join(dir, 'transcripts');
      fs.mkdirSync(transcripts);
      fs.writeFileSync(path.join(transcripts, `${script.call_id}.json`), JSON.stringify({ ...script, utterances: script.utterances.slice(0, 1) }));
      fs.writeFileSync(path.join(transcripts, 'c2.json'), JSON.stringify({ ...script, call_id: 'c2', engine: 'whisper.cpp' }));
      const summary = await synthesizeFolder(transcripts, path.join(dir, 'recordings'), { format: 'pcm16' });
      expect(summary.written).toEqual([path.join(dir, 'recordings', '1751331600.118.wav')]);
      expect(summary.skipped).toEqual(['c2.json']);
      const audio = await decodeAudio(fs.readFileSync(summary.written[0]));
      expect(audio.description).toBe('WAV PCM 16-bit 16000 Hz stereo');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
