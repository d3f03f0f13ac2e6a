// Transcription settings: command-line options over environment over the config file over defaults.
// The config file (--config, $ZHIJIAN_CONFIG, else zhijian.config.json in the repository root) may hold:
//   {"transcribe": {"model": "data/models/ggml-base.bin", "agentChannel": "left",
//                   "sources": {"pbx-b": {"agentChannel": "right"}}, "keepAudio": true,
//                   "language": "zh", "jobs": 1, "threads": 2}}
// A source is the first folder of a recording's path under the recordings folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../../web/lib/server/config.ts';
import { UserError } from '../../web/lib/server/errors.ts';

const Channel = z.enum(['left', 'right']);
export type AgentChannel = z.infer<typeof Channel>;

const TranscribeConfig = z
  .object({
    model: z.string().optional(),
    agentChannel: Channel.optional(),
    sources: z.record(z.string(), z.object({ agentChannel: Channel.optional(), language: z.string().optional() }).strict()).optional(),
    keepAudio: z.boolean().optional(),
    language: z.string().optional(),
    jobs: z.number().int().positive().optional(),
    threads: z.number().int().positive().optional()
  })
  .strict();
export type TranscribeConfig = z.infer<typeof TranscribeConfig>;

export function configPath(option?: string): string {
  return path.resolve(option ?? process.env.ZHIJIAN_CONFIG ?? path.join(repoRoot, 'zhijian.config.json'));
}

/** The "transcribe" section of the config file; empty when there is no file. */
export function readTranscribeConfig(option?: string): TranscribeConfig {
  const file = configPath(option);
  if (!fs.existsSync(file)) {
    if (option) throw new UserError(`config file ${file} not found`);
    return {};
  }
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const section = (doc as { transcribe?: unknown })?.transcribe ?? {};
  const parsed = TranscribeConfig.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${file}: transcribe.${issue.path.join('.')}: ${issue.message}`);
  }
  if (parsed.data.model && !path.isAbsolute(parsed.data.model)) parsed.data.model = path.resolve(path.dirname(file), parsed.data.model);
  return parsed.data;
}

/**
 * Parallel jobs × threads each, filling the machine's cores. Separate whisper.cpp processes scale better
 * than threads within one (bench/transcribe.ts on 2 cores: 2 × 1 about 1.9× faster than 1 × 2), so
 * threads grow only on big machines: 2 cores → 2 × 1, 8 → 4 × 2, 16 → 4 × 4.
 */
export function defaultConcurrency(cores = os.availableParallelism()): { jobs: number; threads: number } {
  const threads = Math.max(1, Math.min(4, Math.floor(cores / 4)));
  return { jobs: Math.max(1, Math.floor(cores / threads)), threads };
}

export function sourceOf(recording: string): string {
  const parts = recording.split(/[\\/]/);
  return parts.length > 1 ? parts[0] : '';
}

export function agentChannelFor(recording: string, config: TranscribeConfig, option?: AgentChannel): AgentChannel {
  return option ?? config.sources?.[sourceOf(recording)]?.agentChannel ?? config.agentChannel ?? 'left';
}
