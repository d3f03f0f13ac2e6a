// From whisper.cpp's per-channel segments to the utterances of a call: speaker from the channel,
// merged by time, overlaps (one party speaking over the other) marked, Chinese text in simplified
// characters, personal numbers redacted.
import * as OpenCC from 'opencc-js';
import { redact, type RedactionSpan } from './redact.ts';
import type { WhisperSegment } from './whisper.ts';

export type Speaker = 'agent' | 'customer' | 'unknown';

export interface Utterance {
  speaker: Speaker;
  start_ms: number;
  end_ms: number;
  text: string;
  redactions: RedactionSpan[];
  /** What each redaction replaced (see redact.ts); kept out of transcript files (transcriptJson). */
  originals?: string[];
  /** Spoken while the other party was speaking. Only on stereo recordings. */
  overlap?: boolean;
}

export interface Transcript {
  call_id: string;
  recording: string | null;
  language: string;
  engine: 'whisper.cpp' | 'script';
  model: string | null;
  duration_ms: number;
  utterances: Utterance[];
}

export interface ChannelSegments {
  speaker: Speaker;
  segments: WhisperSegment[];
}

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Whisper's non-speech markers: [BLANK_AUDIO], [音乐], (music), ♪ … */
const NON_SPEECH = /^(?:\s*(?:\[[^\]]*\]|\([^)]*\)|（[^）]*）|♪+|\*[^*]*\*)\s*)+$/;

export function cleanText(text: string, language: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  if (NON_SPEECH.test(t)) return '';
  if (language === 'zh') {
    t = toSimplified(t);
    // whisper puts spaces between Chinese words; Chinese text has none.
    t = t.replace(/(?<=[\p{Script=Han}，。？！、：；])\s+(?=[\p{Script=Han}，。？！、：；])/gu, '');
  }
  return t;
}

/** The transcript file's text: everything but the redacted originals, which go only to the encrypted vault. */
export function transcriptJson(transcript: Transcript): string {
  return JSON.stringify(transcript, (key, value) => (key === 'originals' ? undefined : value), 1) + '\n';
}

/** Merges the channels by start time; on stereo, marks utterances that overlap one of the other speaker. */
export function mergeChannels(channels: ChannelSegments[], language: string): Utterance[] {
  const all: Utterance[] = [];
  channels.forEach((channel) => {
    for (const seg of channel.segments) {
      const cleaned = cleanText(seg.text, language);
      if (!cleaned) continue;
      const { text, redactions, originals } = redact(cleaned);
      all.push({ speaker: channel.speaker, start_ms: seg.startMs, end_ms: Math.max(seg.startMs, seg.endMs), text, redactions, ...(originals.length ? { originals } : {}) });
    }
  });
  const order = (s: Speaker) => (s === 'agent' ? 0 : s === 'customer' ? 1 : 2);
  all.sort((a, b) => a.start_ms - b.start_ms || order(a.speaker) - order(b.speaker) || a.end_ms - b.end_ms);
  if (channels.length > 1) {
    for (const u of all) {
      u.overlap = all.some((v) => v.speaker !== u.speaker && u.start_ms < v.end_ms && v.start_ms < u.end_ms);
    }
  }
  return all;
}

/** The language to store: whisper's detected language when asked for auto, normalized to zh/en/…. */
export function transcriptLanguage(asked: string, detected: (string | null)[]): string {
  if (asked !== 'auto') return asked;
  return detected.find((d) => d && d !== 'auto') ?? 'zh';
}
