// Transcription throughput: a batch of demo recordings (spoken from scripted dialogs) transcribed at
// several concurrency settings (parallel jobs × threads each), reporting audio seconds per wall second;
// with a real model (not a weight-free test model) also the CER (Chinese) / WER (English) against the scripts.
//
//   npx tsx bench/transcribe.ts [--transcripts DIR] [--count 12] [--model PATH] [--settings 1x2,2x1]
//
// --transcripts: scripted transcripts (engine "script", e.g. the demo's transcripts folder); without it the
// demo generator's dialogs are scripted here. Recordings are synthesized once into bench/out/transcribe/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { transcribeFolder } from '../ingest/transcribe/jobs.ts';
import type { Transcript } from '../ingest/transcribe/merge.ts';
import { isTestModel, resolveModel } from '../ingest/transcribe/models.ts';
import { cer, wer } from '../ingest/transcribe/score.ts';
import { synthesizeDialog } from '../ingest/transcribe/synth.ts';
import { repoRoot } from '../web/lib/server/config.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { fmt, machineDescription } from './measure.ts';

const { values } = parseArgs({
  options: {
    transcripts: { type: 'string' },
    count: { type: 'string', default: '12' },
    model: { type: 'string' },
    settings: { type: 'string' }
  }
});
const count = Number(values.count);
const cores = os.availableParallelism();
const settings = (values.settings ?? [`1x${cores}`, cores > 1 ? `${cores}x1` : '', cores >= 4 ? `${cores / 2}x2` : ''].filter(Boolean).join(','))
  .split(',')
  .map((s) => s.split('x').map(Number) as [number, number]);

/** The model given or configured; else the weight-free test model next to the repository, if present. */
function benchModel(): string {
  try {
    return resolveModel(values.model);
  } catch (err) {
    const testModel = path.join(repoRoot, '..', 'shared', 'models', 'for-tests-ggml-tiny.bin');
    if (!values.model && fs.existsSync(testModel)) return testModel;
    throw err;
  }
}
const model = benchModel();

async function scripts(): Promise<Transcript[]> {
  if (values.transcripts) {
    return fs.readdirSync(values.transcripts).filter((f) => f.endsWith('.json')).sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(values.transcripts!, f), 'utf8')) as Transcript)
      .filter((t) => t.engine === 'script' && t.utterances.length > 0)
      .slice(0, count);
  }
  // No folder given: script calls with the demo generator's dialogs.
  const { DIALOGS } = await import('../ingest/generate/dialogs.ts');
  const { scriptCall } = await import('../ingest/generate/transcripts.ts');
  const { Rng } = await import('../ingest/generate/random.ts');
  const rng = new Rng(20260701);
  return Array.from({ length: count }, (_, k) => {
    const callId = `bench.${k + 1}`;
    return scriptCall(DIALOGS[k % DIALOGS.length], callId, String(1001 + k), `${callId}.wav`, rng).transcript as Transcript;
  });
}

const out = path.join(repoRoot, 'bench', 'out', 'transcribe');
const recordings = path.join(out, 'recordings');
fs.mkdirSync(recordings, { recursive: true });
const batch = await scripts();
if (batch.length === 0) throw new Error('no scripted transcripts to synthesize');
for (const t of batch) {
  const file = path.join(recordings, `${t.call_id}.wav`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, await synthesizeDialog({ ...t, recording: `${t.call_id}.wav` }));
}
const audioS = batch.reduce((s, t) => s + t.duration_ms, 0) / 1000;
const realModel = !isTestModel(model);

console.log(`# Transcription benchmark\n`);
console.log(`Machine: ${machineDescription()}`);
console.log(`Model: ${path.basename(model)}${realModel ? '' : ' (weight-free test model: no text, so no error rates)'}`);
console.log(`Batch: ${batch.length} stereo 8 kHz μ-law recordings, ${fmt(audioS / 60)} min of audio\n`);
console.log('| jobs × threads | wall s | audio s / wall s | failed |' + (realModel ? ' CER (zh) | WER (en) |' : ''));
console.log('|---|---|---|---|' + (realModel ? '---|---|' : ''));

for (const [jobs, threads] of settings) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-bench-'));
  const warehouse = await Warehouse.open(path.join(dir, 'w.duckdb'));
  try {
    const summary = await transcribeFolder({
      warehouse, recordingsDir: recordings, outDir: path.join(dir, 'transcripts'), model, config: {}, jobs, threads, keepAudio: true
    });
    let rates = '';
    if (realModel) {
      const errors = { zh: [] as number[], en: [] as number[] };
      for (const script of batch) {
        const file = path.join(dir, 'transcripts', `${script.call_id}.json`);
        if (!fs.existsSync(file)) continue;
        const hyp = JSON.parse(fs.readFileSync(file, 'utf8')) as Transcript;
        const join = (t: Transcript) => t.utterances.map((u) => u.text).join(' ');
        if (script.language === 'en') errors.en.push(wer(join(script), join(hyp)));
        else errors.zh.push(cer(join(script), join(hyp)));
      }
      const mean = (xs: number[]) => (xs.length ? `${fmt((100 * xs.reduce((a, b) => a + b, 0)) / xs.length)} %` : '–');
      rates = ` ${mean(errors.zh)} | ${mean(errors.en)} |`;
    }
    console.log(`| ${jobs} × ${threads} | ${fmt(summary.wallS)} | ${fmt(summary.audioS / summary.wallS, 2)} | ${summary.failed.length} |${rates}`);
  } finally {
    warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
