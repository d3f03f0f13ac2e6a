// One recording from file to transcript: decode, split channels, resample to 16 kHz, run whisper.cpp
// once per recording (the model loads once, each channel is its own input), merge by time, redact.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeAudio, encodeWav16, to16k } from './audio.ts';
import { mergeChannels, transcriptLanguage, type ChannelSegments, type Speaker, type Transcript } from './merge.ts';
import type { AgentChannel } from './settings.ts';
import { runWhisper } from './whisper.ts';

export interface TranscribeFileOptions {
  model: string;
  /** whisper.cpp language code (zh, en, …) or 'auto'. */
  language: string;
  agentChannel: AgentChannel;
  threads: number;
  binary?: string;
}

export interface FileResult {
  utterances: Transcript['utterances'];
  language: string;
  durationMs: number;
  channels: number;
  audioFormat: string;
}

/** Who speaks on each channel: stereo call recordings keep each party on its own side; mono is unknown. */
export function channelSpeakers(channelCount: number, agentChannel: AgentChannel): Speaker[] {
  if (channelCount < 2) return ['unknown'];
  // More than two channels is not a call recording layout; the first two are used.
  return agentChannel === 'left' ? ['agent', 'customer'] : ['customer', 'agent'];
}

export async function transcribeFile(file: string, options: TranscribeFileOptions): Promise<FileResult> {
  const audio = await decodeAudio(fs.readFileSync(file));
  const speakers = channelSpeakers(audio.channels.length, options.agentChannel);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-whisper-'));
  try {
    const inputs = speakers.map((_, k) => {
      const input = path.join(workDir, `channel-${k}.wav`);
      fs.writeFileSync(input, encodeWav16(to16k(audio.channels[k], audio.sampleRate)));
      return input;
    });
    const results = await runWhisper({
      binary: options.binary,
      model: options.model,
      inputs,
      language: options.language,
      threads: options.threads,
      workDir,
      timeoutMs: 120_000 + audio.durationMs * 10
    });
    const language = transcriptLanguage(options.language, results.map((r) => r.language));
    const channels: ChannelSegments[] = results.map((r, k) => ({ speaker: speakers[k], segments: r.segments }));
    return {
      utterances: mergeChannels(channels, language),
      language,
      durationMs: audio.durationMs,
      channels: speakers.length,
      audioFormat: audio.description
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
