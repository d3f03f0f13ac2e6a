/// <reference path="./espeak-ng.d.ts" />
// Playable demo recordings from scripted dialogs: each utterance is spoken by eSpeak-NG (compiled to
// WebAssembly, voice cmn) at its scripted time, the agent on the left channel and the customer on the
// right, as a PBX would record it (8 kHz μ-law by default). The script stays the reference text.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import wavefile from 'wavefile';
import ESpeakNg from 'espeak-ng';
import { decodeAudio, encodeWavChannels } from './audio.ts';
import waveResampler from 'wave-resampler';
import type { RedactionKind } from './redact.ts';
import type { Transcript, Utterance } from './merge.ts';

const { WaveFile } = wavefile;
const { resample } = waveResampler;

export type SynthFormat = 'mulaw' | 'pcm16';

export interface SynthOptions {
  /** mulaw: 8 kHz G.711 μ-law stereo, what PBXs write (default); pcm16: 16 kHz 16-bit stereo. */
  format?: SynthFormat;
  /** eSpeak voice for zh transcripts; en transcripts use en-us. */
  voice?: string;
  /** Words per minute. */
  speed?: number;
}

/** Spoken stand-ins for redacted numbers, so the audio holds a number the transcriber will redact again. */
const SPOKEN_STAND_INS: Record<'zh' | 'en', Record<RedactionKind, string>> = {
  zh: {
    phone: '幺三八 零零幺三 八零零零',
    id_card: '幺幺零幺零五 幺九四九幺二三幺 零零二叉',
    bank_card: '六二二二 零二零二 零零幺幺 二三四五 六七九',
    email: '张三 艾特 example 点 com'
  },
  en: {
    phone: 'one three eight, zero zero one three, eight zero zero zero',
    id_card: 'one one zero one zero five, one nine four nine one two three one, zero zero two X',
    bank_card: 'six two two two, zero two zero two, zero zero one one, two three four five, six seven nine',
    email: 'zhang san at example dot com'
  }
};

let compiled: Promise<WebAssembly.Module> | null = null;

/** eSpeak's WebAssembly is compiled once and instantiated per utterance (its main() runs once per instance). */
function espeakModule(): Promise<WebAssembly.Module> {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve('espeak-ng/package.json')), 'dist', 'espeak-ng.wasm');
    compiled = WebAssembly.compile(fs.readFileSync(wasmPath));
  }
  return compiled;
}

/** Speaks one line; returns mono samples in -1..1 and their rate. */
export async function speak(text: string, voice: string, speed = 165): Promise<{ samples: Float32Array; sampleRate: number }> {
  const module = await espeakModule();
  const errors: string[] = [];
  const instance = await ESpeakNg({
    arguments: ['-v', voice, '-s', String(speed), '-w', 'out.wav', text],
    print: () => undefined,
    printErr: (line: string) => errors.push(line),
    instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
      void WebAssembly.instantiate(module, imports).then((inst) => done(inst, module));
      return {};
    }
  });
  let bytes: Uint8Array;
  try {
    bytes = instance.FS.readFile('out.wav');
  } catch {
    throw new Error(`eSpeak-NG produced no audio for "${text}"${errors.length ? `: ${errors.join(' ')}` : ''}`);
  }
  const audio = await decodeAudio(bytes);
  return { samples: audio.channels[0], sampleRate: audio.sampleRate };
}

/** The line as it is said: each redaction tag (its span in `redactions`) becomes a made-up number of its kind. */
export function spokenText(u: Utterance, language: string): string {
  const standIns = SPOKEN_STAND_INS[language === 'en' ? 'en' : 'zh'];
  let out = u.text;
  for (const span of [...(u.redactions ?? [])].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, span.start) + (standIns[span.kind] ?? '') + out.slice(span.end);
  }
  return out;
}

/** A stereo WAV of the dialog: agent left, customer right (unknown speakers on both). */
export async function synthesizeDialog(transcript: Transcript, options: SynthOptions = {}): Promise<Buffer> {
  const format = options.format ?? 'mulaw';
  const rate = format === 'mulaw' ? 8000 : 16000;
  const voice = transcript.language === 'en' ? 'en-us' : options.voice ?? 'cmn';
  const lines: { speaker: string; startMs: number; samples: Float32Array }[] = [];
  let endMs = transcript.duration_ms ?? 0;
  for (const u of transcript.utterances) {
    const said = await speak(spokenText(u, transcript.language), voice, options.speed);
    const samples = Float32Array.from(resample(said.samples as unknown as Float64Array, said.sampleRate, rate, { method: 'linear', LPF: true }));
    lines.push({ speaker: u.speaker, startMs: u.start_ms, samples });
    endMs = Math.max(endMs, u.end_ms, u.start_ms + (samples.length / rate) * 1000);
  }
  const frames = Math.ceil((endMs / 1000) * rate) + rate / 4;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (const line of lines) {
    const at = Math.round((line.startMs / 1000) * rate);
    const targets = line.speaker === 'agent' ? [left] : line.speaker === 'customer' ? [right] : [left, right];
    for (const target of targets) {
      for (let k = 0; k < line.samples.length && at + k < frames; k++) target[at + k] += line.samples[k] * 0.8;
    }
  }
  const pcm = encodeWavChannels([left, right], rate);
  if (format === 'pcm16') return pcm;
  const wav = new WaveFile(pcm);
  wav.toMuLaw();
  return Buffer.from(wav.toBuffer());
}

export interface SynthSummary {
  written: string[];
  skipped: string[];
}

/** Synthesizes transcripts/<call_id>.json (engine "script") into <out>/<recording or call_id.wav>. */
export async function synthesizeFolder(transcriptsDir: string, outDir: string, options: SynthOptions & { limit?: number } = {}): Promise<SynthSummary> {
  const files = fs.readdirSync(transcriptsDir).filter((f) => f.endsWith('.json')).sort();
  fs.mkdirSync(outDir, { recursive: true });
  const summary: SynthSummary = { written: [], skipped: [] };
  for (const file of files) {
    if (options.limit !== undefined && summary.written.length >= options.limit) break;
    const doc = JSON.parse(fs.readFileSync(path.join(transcriptsDir, file), 'utf8')) as Transcript;
    if (doc.engine !== 'script' || !doc.utterances?.length) {
      summary.skipped.push(file);
      continue;
    }
    const name = doc.recording ?? `${doc.call_id}.wav`;
    const target = path.join(outDir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, await synthesizeDialog(doc, options));
    summary.written.push(target);
  }
  return summary;
}
