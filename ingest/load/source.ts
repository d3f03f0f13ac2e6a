// Getting a file into a form DuckDB reads: its hash, its encoding (GB18030, UTF-16 and Excel
// files become a temporary UTF-8 CSV, streamed), and its first line for detection.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type ExcelJS from 'exceljs';

export type Encoding = 'utf-8' | 'gb18030' | 'gbk' | 'utf-16le' | 'utf-16be';

/**
 * One read of the file gives its SHA-256 and its number of lines (a last line without a line
 * break counts too). The loader uses the line count to know, without another pass, whether every
 * record of a CSV was loaded; it only trusts it for encodings whose line break is one byte.
 */
export async function hashAndCountLines(file: string): Promise<{ sha256: string; lines: number }> {
  const hash = crypto.createHash('sha256');
  let lines = 0;
  let last = -1;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1];
  }
  if (last !== -1 && last !== 10) lines++;
  return { sha256: hash.digest('hex'), lines };
}

function readHead(file: string, bytes = 65536): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** BOMs first; then valid UTF-8; anything else in a Chinese center is GB18030 (a superset of GBK). */
export function detectEncoding(file: string): Encoding {
  const head = readHead(file);
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  // Cut at the last newline so that a character split by the 64 KiB boundary is not "invalid".
  const cut = head.length === 65536 ? head.subarray(0, head.lastIndexOf(0x0a) + 1) : head;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(cut);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Streams a file through iconv-lite into a UTF-8 file (BOM dropped). */
export async function transcode(file: string, encoding: Encoding, out: string): Promise<void> {
  await pipeline(fs.createReadStream(file), iconv.decodeStream(encoding, { stripBOM: true }), iconv.encodeStream('utf-8'), fs.createWriteStream(out));
}

/** The first line of a UTF-8 file, without BOM or line end. */
export function firstLine(file: string): string {
  const text = readHead(file).toString('utf8').replace(/^\uFEFF/, '');
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Excel stores local wall-clock times; exceljs hands them over as UTC Dates with those digits. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const h = value.getUTCHours(), m = value.getUTCMinutes(), s = value.getUTCSeconds();
    return h || m || s ? `${date} ${pad(h)}:${pad(m)}:${pad(s)}` : date;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * Files up to this size are read whole, by exceljs's workbook reader; bigger ones are streamed.
 * The streaming reader now and then fails with "Cannot read properties of undefined (reading
 * 'sheets')" when it reaches a sheet before it has parsed the workbook part (seen on the demo's
 * leave export under load); the whole-file reader does not depend on that order. Exports of
 * leave and attendance are far below this size.
 */
export const STREAM_XLSX_ABOVE = 32 * 1024 * 1024;

/**
 * One sheet of an .xlsx as a CSV file, one CSV line per sheet row (empty rows kept as empty
 * lines, so that line N of the CSV is row N of the sheet).
 */
export async function xlsxToCsv(file: string, out: string, sheet: number | string = 1, streamAbove = STREAM_XLSX_ABOVE): Promise<void> {
  // Imported here: exceljs takes a third of a second to load, which every other command would pay.
  const { default: Excel } = await import('exceljs');
  const ws = fs.createWriteStream(out);
  let expected = 1;
  let width = 0;
  const writeRow = async (number: number, cells: ExcelJS.CellValue[]) => {
    const values = cells.slice(1).map(cellText);
    if (expected === 1) width = values.length;
    for (; expected < number; expected++) ws.write('\n');
    while (values.length < width) values.push('');
    if (!ws.write(values.map(csvField).join(',') + '\n')) await new Promise<void>((r) => ws.once('drain', () => r()));
    expected = number + 1;
  };
  let found = false;
  try {
    if (fs.statSync(file).size <= streamAbove) {
      const workbook = new Excel.Workbook();
      await workbook.xlsx.readFile(file);
      const worksheet = typeof sheet === 'number' ? workbook.worksheets[sheet - 1] : workbook.getWorksheet(sheet);
      if (worksheet) {
        found = true;
        const rows: ExcelJS.Row[] = [];
        worksheet.eachRow((row) => rows.push(row));
        for (const row of rows) await writeRow(row.number, row.values as ExcelJS.CellValue[]);
      }
    } else {
      const reader = new Excel.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'emit' });
      let index = 0;
      for await (const worksheet of reader) {
        index += 1;
        const name = (worksheet as unknown as { name?: string }).name;
        if (!(typeof sheet === 'number' ? index === sheet : name === sheet)) continue;
        found = true;
        for await (const row of worksheet) await writeRow(row.number, row.values as ExcelJS.CellValue[]);
        break;
      }
    }
  } finally {
    await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  if (!found) throw new Error(`${file} has no sheet ${JSON.stringify(sheet)}`);
}

export function tempPath(dir: string, file: string, ext: string): string {
  return path.join(dir, `${path.basename(file).replace(/[^\w.-]+/g, '_')}.${crypto.randomUUID().slice(0, 8)}${ext}`);
}
