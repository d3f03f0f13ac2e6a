// Where generated files go: a hidden staging folder inside the target, moved into place only when
// everything is written, so a killed run never leaves files that look complete. Rows are encoded
// into 1 MB buffers and written with backpressure, so memory stays bounded at any size.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import iconv from 'iconv-lite';

const BATCH_BYTES = 1 << 20;
const STAGING = '.generate-partial';
export const MANIFEST_NAME = 'MANIFEST.json';

export interface FileEntry {
  path: string;
  rows: number;
  bytes: number;
}

export class TextFile {
  rows = 0;
  /** UTF-8 files: lines are encoded straight into a buffer (no big joined strings to collect). */
  private buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  /** Other encodings (small vendor files): lines are batched as text and encoded on flush. */
  private batch: string[] = [];
  private readonly stream: fs.WriteStream;
  private closed = false;

  constructor(
    readonly relPath: string,
    absPath: string,
    header: string | null,
    private readonly encoding: 'utf8' | 'gb18030' = 'utf8'
  ) {
    fs.mkdirSync(path.dirname(absPath), { recursive: true });
    this.stream = fs.createWriteStream(absPath);
    if (header !== null) {
      this.append(header);
      this.rows = 0;
    }
  }

  /** Adds one line (without its newline). Call `drain()` now and then to respect backpressure. */
  line(text: string): void {
    this.append(text);
  }

  private append(text: string): void {
    this.rows++;
    if (this.encoding !== 'utf8') {
      this.batch.push(text, '\n');
      if (this.batch.length > 20_000) this.flush();
      return;
    }
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 + 1 > this.buffer.length) {
      this.flush();
      if (text.length * 3 + 1 > this.buffer.length) this.buffer = Buffer.allocUnsafe(text.length * 3 + 1);
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used++] = 10;
  }

  private flush(): void {
    if (this.encoding !== 'utf8') {
      if (this.batch.length > 0) this.stream.write(iconv.encode(this.batch.join(''), this.encoding));
      this.batch = [];
      return;
    }
    if (this.used === 0) return;
    // The stream keeps the written slice until it reaches the disk; start a fresh buffer.
    this.stream.write(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(Math.max(BATCH_BYTES, this.buffer.length));
    this.used = 0;
  }

  /** Waits until the operating system has taken what was written so far. */
  async drain(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export class OutputDir {
  readonly staging: string;
  private readonly files = new Map<string, TextFile>();
  private readonly extraFiles = new Map<string, number>();

  constructor(readonly dir: string) {
    this.staging = path.join(dir, STAGING);
  }

  /** Checks the target and prepares an empty staging folder. */
  prepare(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const foreign = fs
      .readdirSync(this.dir)
      .filter((name) => name !== STAGING && name !== MANIFEST_NAME && !previousOutputs(this.dir).has(name));
    if (foreign.length > 0) {
      throw new Error(
        `${this.dir} holds files zhijian generate did not write (${foreign.slice(0, 3).join(', ')}); choose an empty or new folder`
      );
    }
    fs.rmSync(this.staging, { recursive: true, force: true });
    fs.mkdirSync(this.staging, { recursive: true });
  }

  text(relPath: string, header: string | null, encoding: 'utf8' | 'gb18030' = 'utf8'): TextFile {
    const file = new TextFile(relPath, path.join(this.staging, relPath), header, encoding);
    this.files.set(relPath, file);
    return file;
  }

  /** A small file written whole (xlsx, transcript JSON); `rows` is what the manifest reports. */
  writeWhole(relPath: string, content: string | Buffer, rows: number): void {
    const abs = path.join(this.staging, relPath);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
    this.extraFiles.set(relPath, rows);
  }

  async closeAll(): Promise<void> {
    for (const file of this.files.values()) await file.close();
  }

  /** Lists every written file with its rows and size, sorted by path. */
  entries(): FileEntry[] {
    const rows = new Map<string, number>(this.extraFiles);
    for (const [rel, file] of this.files) rows.set(rel, file.rows);
    return [...rows.keys()].sort().map((rel) => ({
      path: rel,
      rows: rows.get(rel)!,
      bytes: fs.statSync(path.join(this.staging, rel)).size
    }));
  }

  /**
   * Moves the staged files into place: the old manifest goes first (so a half-replaced folder has
   * none), then every top-level entry, then the new manifest.
   */
  commit(manifest: object): void {
    const manifestPath = path.join(this.dir, MANIFEST_NAME);
    for (const name of previousOutputs(this.dir)) fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
    fs.rmSync(manifestPath, { force: true });
    for (const name of fs.readdirSync(this.staging)) {
      const target = path.join(this.dir, name);
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(path.join(this.staging, name), target);
    }
    fs.rmSync(this.staging, { recursive: true, force: true });
    const tmp = manifestPath + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n');
    fs.renameSync(tmp, manifestPath);
  }
}

/** Top-level names listed by a previous run's manifest in `dir`. */
function previousOutputs(dir: string): Set<string> {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')) as { files?: FileEntry[] };
    return new Set((manifest.files ?? []).map((f) => f.path.split('/')[0]));
  } catch {
    return new Set();
  }
}
