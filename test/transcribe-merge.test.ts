// From whisper.cpp's JSON output (fixtures in its exact -oj shape) to stored utterances: parsing,
// speaker attribution by channel, merge by time, overlap marks, simplified characters, redaction;
// and the error rates the benchmark reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanText, mergeChannels, type Transcript } from '../ingest/transcribe/merge.ts';
import { channelSpeakers } from '../ingest/transcribe/pipeline.ts';
import { cer, editDistance, wer } from '../ingest/transcribe/score.ts';
import { agentChannelFor, defaultConcurrency, readTranscribeConfig } from '../ingest/transcribe/settings.ts';
import { storeTranscript } from '../ingest/transcribe/store.ts';
import { parseWhisperJson } from '../ingest/transcribe/whisper.ts';
import { repoRoot } from '../web/lib/server/config.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';

const fixtures = path.join(repoRoot, 'data', 'fixtures', 'transcribe');
const read = (name: string) => parseWhisperJson(fs.readFileSync(path.join(fixtures, name)));

describe('parseWhisperJson', () => {
  it('reads segments in milliseconds from offsets, and the detected language', () => {
    const left = read('agent-left.json');
    expect(left.language).toBe('zh');
    expect(left.segments[0]).toEqual({ startMs: 0, endMs: 3200, text: '您好，很高兴为您服务，我是工号1023。' });
    expect(left.segments).toHaveLength(4);
    expect(read('empty.json').segments).toEqual([]);
  });

  it('copes with what whisper.cpp writes unescaped: a raw newline in a text and a character split between segments', () => {
    const raw = Buffer.concat([
      Buffer.from('{\n\t"result": {\n\t\t"language": "zh"\n\t},\n\t"transcription": [\n\t\t{\n\t\t\t"offsets": {\n\t\t\t\t"from": 0,\n\t\t\t\t"to": 1500\n\t\t\t},\n\t\t\t"text": "第一行\n第二行'),
      Buffer.from('好', 'utf8').subarray(0, 2), // half of a UTF-8 character
      Buffer.from('"\n\t\t}\n\t]\n}\n')
    ]);
    const parsed = parseWhisperJson(raw);
    expect(parsed.segments).toEqual([{ startMs: 0, endMs: 1500, text: '第一行\n第二行' }]);
  });

  it('names the problem when the output is not whisper.cpp JSON', () => {
    expect(() => parseWhisperJson('{"transcription": ')).toThrow(/JSON that cannot be read/);
    expect(() => parseWhisperJson('{"result": {}}')).toThrow(/no "transcription" list/);
  });
});

describe('mergeChannels', () => {
  const agent = read('agent-left.json').segments;
  const customer = read('customer-right.json').segments;
  const merged = mergeChannels([{ speaker: 'agent', segments: agent }, { speaker: 'customer', segments: customer }], 'zh');

  it('attributes each utterance to its channel and orders the call by time', () => {
    expect(merged.map((u) => [u.speaker, u.start_ms])).toEqual([
      ['agent', 0], ['customer', 3600], ['agent', 9000], ['customer', 12000], ['agent', 15800],
      ['customer', 18200], ['agent', 24000], ['customer', 28000], ['customer', 34000]
    ]);
  });

  it('marks both sides of an interruption as overlapping and leaves turn-taking unmarked', () => {
    const overlapping = merged.filter((u) => u.overlap).map((u) => `${u.speaker}@${u.start_ms}`);
    expect(overlapping).toEqual(['agent@9000', 'customer@12000', 'agent@15800', 'customer@18200']);
    expect(merged[0].overlap).toBe(false);
  });

  it('stores simplified characters and redacts numbers spoken as numerals, IDs, cards and e-mail', () => {
    const text = merged.map((u) => u.text);
    expect(text[4]).toBe('我跟您核对一下，[手机号]，对吗？');
    expect(text[3]).toBe('[手机号]。');
    expect(text[6]).toBe('请您提供一下身份证号码。'); // whisper wrote traditional characters
    expect(text[7]).toBe('[身份证号]');
    expect(text[8]).toBe('退款打到我的卡上，卡号[银行卡号]，邮箱是[邮箱]。');
    expect(text[0]).toBe('您好，很高兴为您服务，我是工号1023。');
    expect(merged[8].redactions).toEqual([
      { start: 11, end: 17, kind: 'bank_card' },
      { start: 21, end: 25, kind: 'email' }
    ]);
  });

  it('gives mono recordings speaker unknown and no overlap marks', () => {
    const mono = mergeChannels([{ speaker: 'unknown', segments: agent }], 'zh');
    expect(mono.every((u) => u.speaker === 'unknown' && u.overlap === undefined)).toBe(true);
  });

  it('drops whisper non-speech markers and the spaces whisper puts between Chinese words', () => {
    expect(cleanText(' [BLANK_AUDIO] ', 'zh')).toBe('');
    expect(cleanText('(音乐)', 'zh')).toBe('');
    expect(cleanText(' 甚至 出現 交易 幾乎 停滯 的 情況', 'zh')).toBe('甚至出现交易几乎停滞的情况');
    expect(cleanText(' And so my fellow Americans', 'en')).toBe('And so my fellow Americans');
  });

  it('loads the merged utterances with the job status in one transaction', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-merge-'));
    const warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
    try {
      await warehouse.run(`INSERT INTO transcription_jobs (recording, recording_id, status) VALUES ('c9.wav', 'c9', 'running')`);
      const transcript: Transcript = {
        call_id: 'c9', recording: 'c9.wav', language: 'zh', engine: 'whisper.cpp', model: 'ggml-base.bin', duration_ms: 38600, utterances: merged
      };
      const done = { recording: 'c9.wav', callId: 'c9', transcript, transcriptFile: path.join(dir, 'c9.json'), audioS: 38.6, processingS: 4.2, channels: 2, audioFormat: 'WAV μ-law 8000 Hz stereo' };
      await storeTranscript(warehouse, done);
      await storeTranscript(warehouse, done); // a rerun replaces, never duplicates
      const rows = await warehouse.all<{ seq: number; speaker: string; text: string; redactions: string; overlap: boolean; source: string }>(
        'SELECT seq, speaker, text, redactions::VARCHAR AS redactions, overlap, source FROM utterances WHERE call_id = $c ORDER BY seq',
        { c: 'c9' }
      );
      expect(rows).toHaveLength(9);
      expect(rows[8]).toMatchObject({ seq: 8, speaker: 'customer', overlap: false, source: 'asr' });
      expect(JSON.parse(rows[8].redactions)).toEqual(merged[8].redactions);
      expect(rows.filter((r) => r.overlap)).toHaveLength(4);
      const job = await warehouse.one('SELECT status, utterances, audio_s FROM transcription_jobs');
      expect(job).toEqual({ status: 'done', utterances: 9, audio_s: 38.6 });
    } finally {
      warehouse.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('speaker channels and settings', () => {
  it('puts the agent on the configured side, per source folder, left by default; mono is unknown', () => {
    const config = { agentChannel: 'left' as const, sources: { 'pbx-b': { agentChannel: 'right' as const } } };
    expect(agentChannelFor('pbx-a/1.wav', config)).toBe('left');
    expect(agentChannelFor('pbx-b/2.wav', config)).toBe('right');
    expect(agentChannelFor('pbx-b/2.wav', config, 'left')).toBe('left'); // the command-line option wins
    expect(agentChannelFor('3.wav', {})).toBe('left');
    expect(channelSpeakers(2, 'left')).toEqual(['agent', 'customer']);
    expect(channelSpeakers(2, 'right')).toEqual(['customer', 'agent']);
    expect(channelSpeakers(1, 'right')).toEqual(['unknown']);
  });

  it('reads the config file and names the bad entry', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-config-'));
    try {
      const file = path.join(dir, 'zhijian.config.json');
      fs.writeFileSync(file, JSON.stringify({ transcribe: { model: 'models/ggml-base.bin', keepAudio: false } }));
      expect(readTranscribeConfig(file)).toEqual({ model: path.join(dir, 'models', 'ggml-base.bin'), keepAudio: false });
      fs.writeFileSync(file, JSON.stringify({ transcribe: { agentChannel: 'middle' } }));
      expect(() => readTranscribeConfig(file)).toThrow(`${file}: transcribe.agentChannel`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fills the cores with parallel jobs before threads', () => {
    expect(defaultConcurrency(2)).toEqual({ jobs: 2, threads: 1 });
    expect(defaultConcurrency(8)).toEqual({ jobs: 4, threads: 2 });
    expect(defaultConcurrency(16)).toEqual({ jobs: 4, threads: 4 });
  });
});

describe('error rates', () => {
  it('counts edits between token lists', () => {
    expect(editDistance(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(editDistance([], ['x'])).toBe(1);
    expect(editDistance(['k', 'i', 't', 't', 'e', 'n'], ['s', 'i', 't', 't', 'i', 'n', 'g'])).toBe(3);
  });

  it('computes CER over Chinese characters, ignoring punctuation and spaces', () => {
    expect(cer('甚至出现交易几乎停滞的情况', '甚至 出现 交易 几乎 停滞 的 情况。')).toBe(0);
    expect(cer('甚至出现交易几乎停滞的情况', '甚至出现交易几乎停止的情况')).toBeCloseTo(1 / 13);
    expect(cer('我的电话是[手机号]', '我的电话是[手机号]')).toBe(0);
    expect(cer('我的电话是[手机号]', '我的电话是')).toBeCloseTo(1 / 6); // a tag is one token
    expect(cer('', '')).toBe(0);
  });

  it('computes WER over words, ignoring case and punctuation', () => {
    const ref = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
    expect(wer(ref, ref.toUpperCase())).toBe(0);
    expect(wer(ref, 'And so my fellow Americans ask not what your country can do for you')).toBeCloseTo(8 / 22);
  });
});
