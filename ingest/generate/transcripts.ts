// Turns a scripted dialog into the transcription step's output form (transcripts/<call_id>.json),
// with speaking times from text length, pauses, holds and interruptions, and personal numbers
// already replaced by a tag whose span is listed in `redactions`.
import { Rng } from './random.ts';
import { ITEMS } from './catalog.ts';
import { DIALOGS, PHONE_TAG } from './dialogs.ts';
import type { DialogTemplate } from './dialogs.ts';

const ENGLISH_ITEMS: Record<string, string> = {};
ITEMS.forEach((item, i) => (ENGLISH_ITEMS[item] = ['rice cooker', 'air purifier', 'kettle', 'blender', 'water heater'][i % 5]));

export interface TranscriptUtterance {
  speaker: 'agent' | 'customer';
  start_ms: number;
  end_ms: number;
  text: string;
  redactions: Array<{ start: number; end: number; kind: 'phone' }>;
}

export interface Transcript {
  call_id: string;
  recording: string | null;
  language: 'zh' | 'en';
  engine: 'script';
  model: null;
  duration_ms: number;
  utterances: TranscriptUtterance[];
}

export interface ScriptedCall {
  transcript: Transcript;
  talkS: number;
  holdS: number;
}

/** Speaking time: about 4.3 Chinese characters or 2.8 English words per second. */
function speakingMs(text: string, language: 'zh' | 'en', rng: Rng): number {
  const units = language === 'zh' ? [...text].length : text.split(/\s+/).length * 1.5;
  return Math.round(400 + units * 230 * rng.uniform(0.85, 1.2));
}

export function scriptCall(template: DialogTemplate, callId: string, agentId: string, recording: string | null, rng: Rng): ScriptedCall {
  const zhItem = rng.pick(ITEMS);
  const item = template.language === 'zh' ? zhItem : ENGLISH_ITEMS[zhItem];
  const tag = PHONE_TAG[template.language];
  const utterances: TranscriptUtterance[] = [];
  let cursor = rng.int(300, 900);
  let holdMs = 0;
  let prev: TranscriptUtterance | null = null;
  for (const turn of template.turns) {
    const text = turn.t.replaceAll('{agentId}', agentId).replaceAll('{item}', item).replaceAll('{phone}', tag);
    const redactions: TranscriptUtterance['redactions'] = [];
    for (let at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + tag.length)) {
      redactions.push({ start: at, end: at + tag.length, kind: 'phone' });
    }
    let start: number;
    if (turn.hold) {
      const hold = Math.round(turn.hold * 1000 * rng.uniform(0.8, 1.3));
      holdMs += hold;
      start = cursor + hold;
    } else if (turn.interrupt && prev) {
      // Cuts in before the other side has finished.
      start = Math.max(prev.start_ms + 400, prev.end_ms - rng.int(600, 1500));
    } else {
      start = cursor + rng.int(250, 1100);
    }
    const end = start + speakingMs(text, template.language, rng);
    const utterance: TranscriptUtterance = { speaker: turn.s === 'a' ? 'agent' : 'customer', start_ms: start, end_ms: end, text, redactions };
    utterances.push(utterance);
    prev = utterance;
    cursor = Math.max(cursor, end);
  }
  const durationMs = cursor + rng.int(300, 1200);
  return {
    transcript: { call_id: callId, recording, language: template.language, engine: 'script', model: null, duration_ms: durationMs, utterances },
    talkS: Math.round((durationMs - holdMs) / 1000),
    holdS: Math.round(holdMs / 1000)
  };
}

export interface TranscriptSlot {
  template: DialogTemplate;
  /** Earliest enqueue time for the call that gets this dialog. */
  notBefore: number;
  filled: boolean;
}

/** Spreads `count` dialogs over the period; each goes to the first fitting call after its time. */
export function planTranscriptSlots(count: number, dayCount: number, rng: Rng): Map<number, TranscriptSlot[]> {
  const byDay = new Map<number, TranscriptSlot[]>();
  for (let i = 0; i < count; i++) {
    const day = Math.min(dayCount - 1, Math.floor(((i + 0.5) * dayCount) / count));
    const notBefore = day * 86_400 + 9.5 * 3600 + rng.int(0, 7 * 3600);
    const slot = { template: DIALOGS[i % DIALOGS.length], notBefore, filled: false };
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day)!.push(slot);
  }
  return byDay;
}
