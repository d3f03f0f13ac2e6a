// `zhijian transcribe` (recordings → redacted, speaker-attributed transcripts), `zhijian transcribe synth`
// (demo recordings from scripted dialogs) and `zhijian model download` (official ggml models).
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { repoRoot, resolveDbPath, resolveRecordingsDir } from '../../web/lib/server/config.ts';
import { UserError } from '../../web/lib/server/errors.ts';
import { Warehouse } from '../../web/lib/server/warehouse.ts';
import { transcribeFolder } from './jobs.ts';
import { downloadModel, MODELS_DIR, OFFICIAL_MODELS, resolveModel } from './models.ts';
import { defaultConcurrency, readTranscribeConfig, type AgentChannel } from './settings.ts';
import { synthesizeFolder, type SynthFormat } from './synth.ts';
import { whisperBinary } from './whisper.ts';
import fs from 'node:fs';

const MODEL_SETUP = `
Model setup:
  A whisper model is a ggml file you supply; none ships with zhijian. Either
    zhijian model download tiny        (or base, tiny.en, base.en; saved in data/models, SHA-1 checked)
  or get ggml-<name>.bin from https://huggingface.co/ggerganov/whisper.cpp on a connected machine and
    --model PATH   or   ZHIJIAN_WHISPER_MODEL=PATH   or   {"transcribe": {"model": PATH}} in zhijian.config.json.
  whisper.cpp itself is built by "npm run whisper:build" (ZHIJIAN_WHISPER_CUDA=1 for the CUDA backend).

Recordings are matched to calls by calls.recording (the file name, usually <call_id>.wav); a recording
without a call record is transcribed under its own id, listed as unmatched, and attached to its call
when that call's record is loaded and transcribe runs again. Stereo: one party per channel (agent on
the left unless --agent-channel right or the config says otherwise); mono: speaker "unknown".`;

export function registerTranscribe(program: Command): void {
  const { jobs, threads } = defaultConcurrency();
  const transcribe = program
    .command('transcribe')
    .description('transcribe call recordings with whisper.cpp into redacted, speaker-attributed transcripts')
    .argument('[recordings]', 'folder of recordings (.wav, .mp3), searched recursively (default: $ZHIJIAN_RECORDINGS, else data/recordings)', resolveRecordingsDir())
    .option('--out <dir>', 'folder for transcript JSON files', path.join(repoRoot, 'data', 'transcripts'))
    .option('--model <path>', 'ggml whisper model file (default: $ZHIJIAN_WHISPER_MODEL, config, data/models)')
    .option('--language <code>', 'zh, en, … or auto (default: the call\'s queue language, else config, else zh)')
    .addOption(new Option('--agent-channel <side>', 'channel the agent is on, for stereo recordings (default: config, else left)').choices(['left', 'right']))
    .option('--jobs <n>', `recordings transcribed in parallel (default ${jobs} on this machine)`, toInt)
    .option('--threads <n>', `whisper.cpp threads per recording (default ${threads})`, toInt)
    .option('--retry-failed', 'run failed jobs again (done jobs are always skipped)')
    .option('--delete-audio', 'delete each recording once its transcript is stored (default: config keepAudio, else keep)')
    .option('--config <file>', 'config file (default: $ZHIJIAN_CONFIG, else zhijian.config.json)')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', MODEL_SETUP)
    .action(async (recordings: string, opts, cmd: Command) => {
      const config = readTranscribeConfig(opts.config);
      const model = resolveModel(opts.model, config.model);
      if (!fs.existsSync(whisperBinary())) throw new UserError(`whisper.cpp is not built (no ${whisperBinary()}); run "npm run whisper:build"`);
      const warehouse = await Warehouse.open(resolveDbPath(cmd.optsWithGlobals().db));
      try {
        const summary = await transcribeFolder({
          warehouse,
          recordingsDir: path.resolve(recordings),
          outDir: path.resolve(opts.out),
          model,
          config,
          language: opts.language,
          agentChannel: opts.agentChannel as AgentChannel | undefined,
          jobs: opts.jobs ?? config.jobs ?? jobs,
          threads: opts.threads ?? config.threads ?? threads,
          retryFailed: opts.retryFailed,
          keepAudio: opts.deleteAudio ? false : config.keepAudio ?? true,
          progress: opts.progress && process.stderr.isTTY
        });
        const rate = summary.wallS > 0 ? summary.audioS / summary.wallS : 0;
        console.log(
          `${summary.done} transcribed, ${summary.skipped} skipped (done earlier${opts.retryFailed ? '' : ' or failed; --retry-failed runs failed ones again'}), ` +
            `${summary.failed.length} failed; ${(summary.audioS / 60).toFixed(1)} min of audio in ${summary.wallS.toFixed(1)} s (${rate.toFixed(2)}× real time)`
        );
        if (summary.attached) console.log(`${summary.attached} earlier recording(s) attached to call records that arrived since`);
        for (const f of summary.failed) console.log(`failed: ${f.recording}: ${f.error}`);
        if (summary.unmatched.length) {
          console.log(`${summary.unmatched.length} recording(s) with no call record yet (stored under their file id): ${summary.unmatched.slice(0, 10).join(', ')}${summary.unmatched.length > 10 ? ', …' : ''}`);
        }
        if (summary.failed.length) process.exitCode = 1;
      } finally {
        warehouse.close();
      }
    });

  transcribe
    .command('synth')
    .description('speak scripted demo transcripts (engine "script") into stereo recordings: agent left, customer right')
    .requiredOption('--transcripts <dir>', 'folder of transcripts/<call_id>.json')
    .requiredOption('--out <dir>', 'folder for the recordings (named by each transcript\'s "recording")')
    .addOption(new Option('--format <format>', 'mulaw: 8 kHz G.711 like a PBX; pcm16: 16 kHz 16-bit').choices(['mulaw', 'pcm16']).default('mulaw'))
    .option('--limit <n>', 'at most this many recordings', toInt)
    .action(async (opts) => {
      const summary = await synthesizeFolder(path.resolve(opts.transcripts), path.resolve(opts.out), {
        format: opts.format as SynthFormat,
        limit: opts.limit
      });
      console.log(`${summary.written.length} recording(s) written to ${path.resolve(opts.out)}; ${summary.skipped.length} transcript(s) skipped (not scripted)`);
    });

  program
    .command('model')
    .description('whisper models')
    .command('download')
    .description(`download an official ggml whisper model into data/models and check its SHA-1 (${Object.keys(OFFICIAL_MODELS).join(', ')})`)
    .argument('<name>', 'model name, e.g. tiny or base')
    .option('--dir <dir>', 'where to save it', MODELS_DIR)
    .action(async (name: string, opts) => {
      const file = await downloadModel(name, path.resolve(opts.dir));
      console.log(`${file} (SHA-1 ${OFFICIAL_MODELS[name].sha1} checked)`);
    });
}

function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return n;
}
