// Whisper models: files the user supplies, or official ggml models fetched by `zhijian model download`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../web/lib/server/config.ts';
import { UserError } from '../../web/lib/server/errors.ts';

/** Where downloaded models go (git-ignored). */
export const MODELS_DIR = path.join(repoRoot, 'data', 'models');

/** SHA-1 of the official ggml models, from whisper.cpp's models/README.md. */
export const OFFICIAL_MODELS: Record<string, { sha1: string; mib: number }> = {
  tiny: { sha1: 'bd577a113a864445d4c299885e0cb97d4ba92b5f', mib: 75 },
  'tiny.en': { sha1: 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df', mib: 75 },
  base: { sha1: '465707469ff3a37a2b9b8d8f89f2f99de7299dac', mib: 142 },
  'base.en': { sha1: '137c40403d78fd54d454da0f9bd998f78703390c', mib: 142 }
};

export const MODEL_URL = (name: string) => `https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-${name}.bin`;

export const MODEL_HELP =
  'no whisper model: run "zhijian model download tiny" (or base), or pass --model PATH / set ZHIJIAN_WHISPER_MODEL to a ggml model file';

/** --model, else ZHIJIAN_WHISPER_MODEL, else the config entry, else a downloaded model in data/models. */
export function resolveModel(option?: string, configured?: string): string {
  const chosen = option ?? process.env.ZHIJIAN_WHISPER_MODEL ?? configured;
  if (chosen) {
    const file = path.resolve(chosen);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UserError(`whisper model ${file} not found; ${MODEL_HELP}`);
    return file;
  }
  for (const name of Object.keys(OFFICIAL_MODELS)) {
    const file = path.join(MODELS_DIR, `ggml-${name}.bin`);
    if (fs.existsSync(file)) return file;
  }
  throw new UserError(MODEL_HELP);
}

/** Whether the file is one of whisper.cpp's weight-free test models (they load and run but produce no text). */
export function isTestModel(file: string): boolean {
  return path.basename(file).startsWith('for-tests-');
}

export async function sha1File(file: string): Promise<string> {
  const hash = crypto.createHash('sha1');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Downloads an official model into dir, verifies its SHA-1, and returns its path. */
export async function downloadModel(name: string, dir = MODELS_DIR, onProgress?: (bytes: number, total: number) => void): Promise<string> {
  const known = OFFICIAL_MODELS[name];
  if (!known) throw new UserError(`unknown model "${name}"; known: ${Object.keys(OFFICIAL_MODELS).join(', ')}`);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `ggml-${name}.bin`);
  if (fs.existsSync(target) && (await sha1File(target)) === known.sha1) return target;
  const url = MODEL_URL(name);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UserError(
      `cannot download ${url} (${cause?.code ?? cause?.message ?? (err as Error).message}); fetch it on a connected machine, check its SHA-1 is ${known.sha1}, and pass --model PATH`
    );
  }
  if (!response.ok || !response.body) throw new UserError(`cannot download ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const partial = `${target}.part`;
  const out = fs.createWriteStream(partial);
  const hash = crypto.createHash('sha1');
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
    onProgress?.(bytes, total);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const sha1 = hash.digest('hex');
  if (sha1 !== known.sha1) {
    fs.rmSync(partial, { force: true });
    throw new UserError(`downloaded ggml-${name}.bin has SHA-1 ${sha1}, expected ${known.sha1}; not kept`);
  }
  fs.renameSync(partial, target);
  return target;
}
