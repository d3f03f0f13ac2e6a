// Runs a command as a child process and measures its wall time and peak resident memory.
// Peak memory is read from /proc/<pid>/status (VmHWM, the high-water mark) while it runs,
// so DuckDB's native allocations are counted too. Linux only; elsewhere peak is reported as null.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface Measured {
  command: string;
  wallSeconds: number;
  peakRssMiB: number | null;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const started = process.hrtime.bigint();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let peakKiB: number | null = null;
  const poll = setInterval(() => {
    const kib = readHighWaterKiB(child.pid);
    if (kib !== null) peakKiB = Math.max(peakKiB ?? 0, kib);
  }, 100);
  const exitCode: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  clearInterval(poll);
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    command: [cmd, ...args].join(' '),
    wallSeconds,
    peakRssMiB: peakKiB === null ? null : peakKiB / 1024,
    exitCode,
    stdout,
    stderr
  };
}

function readHighWaterKiB(pid: number | undefined): number | null {
  if (!pid || os.platform() !== 'linux') return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null; // the process has exited between polls
  }
}

export function machineDescription(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
