// Which built-in profile (or the given mapping) reads a file: by its header, or by the shape of
// its first line for files without one (Asterisk queue_log and Master.csv).
import path from 'node:path';
import type { LoadedMapping } from './mapping.ts';

export type Reader = 'csv' | 'tsv' | 'xlsx' | 'jsonl' | 'queue_log' | 'transcript';

/** How the file itself must be read, from its name (the profile's format decides the rest). */
export function readerFor(file: string): Reader {
  const ext = path.extname(file).toLowerCase();
  const base = path.basename(file).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'transcript';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (base.startsWith('queue_log')) return 'queue_log';
  return 'csv';
}

const DATA_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.txt', '.jsonl', '.ndjson', '.json', '.xlsx', '.log']);

/** Files a folder walk picks up: data files, not recordings, notes or hidden files. */
export function isDataFile(file: string): boolean {
  const base = path.basename(file);
  if (base.startsWith('.') || base.startsWith('~$')) return false;
  return DATA_EXTENSIONS.has(path.extname(base).toLowerCase()) || base.toLowerCase().startsWith('queue_log');
}

export interface Candidate {
  /** Column names of the header, when the file has one. */
  header: string[];
  firstLine: string;
  reader: Reader;
}

/**
 * The profile that fits best: every column its match.header lists is in the file's header (the
 * most such columns wins), or its match.firstLine pattern fits the first line.
 */
export function chooseProfile(candidate: Candidate, profiles: LoadedMapping[]): LoadedMapping | undefined {
  let best: LoadedMapping | undefined;
  let bestScore = 0;
  const header = new Set(candidate.header.map((h) => h.trim()));
  for (const p of profiles) {
    const format = p.source.format;
    if ((format === 'transcript') !== (candidate.reader === 'transcript')) continue;
    if ((format === 'jsonl') !== (candidate.reader === 'jsonl')) continue;
    let score = 0;
    if (p.match?.firstLine && new RegExp(p.match.firstLine).test(candidate.firstLine)) score = 1000;
    else if (p.match?.header && p.match.header.every((h) => header.has(h))) score = p.match.header.length;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}
