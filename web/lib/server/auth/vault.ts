// The personal numbers that transcription redacts are kept, encrypted, so that someone allowed to
// (transcript.unredacted) can see one when a case needs it, each view audited. AES-256-GCM with a
// key file beside the warehouse (<db>.vault-key, owner-only): a copy of the warehouse alone, or
// an analyst's SQL, never shows them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBBlobValue } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse.ts';

const keys = new Map<string, Buffer>();

export const vaultKeyFile = (dbPath: string) => `${dbPath}.vault-key`;

/** The warehouse's key, made on first use (an in-memory warehouse gets one for the process). */
export function vaultKey(dbPath: string): Buffer {
  const known = keys.get(dbPath);
  if (known) return known;
  let key: Buffer;
  if (dbPath === ':memory:') key = crypto.randomBytes(32);
  else {
    const file = vaultKeyFile(dbPath);
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} is not a vault key (expected 32 bytes, base64)`);
  }
  keys.set(dbPath, key);
  return key;
}

export interface SealedSpan {
  seq: number;
  span: number;
  kind: string;
  original: string;
}

/** Replaces the call's sealed originals with these, on the caller's transaction. */
export async function sealOriginals(conn: DuckDBConnection, dbPath: string, callId: string, spans: SealedSpan[]): Promise<void> {
  await conn.run(`DELETE FROM restricted.redaction_vault WHERE call_id = $id`, { id: callId });
  if (!spans.length) return;
  const key = vaultKey(dbPath);
  const insert = await conn.prepare(
    `INSERT INTO restricted.redaction_vault (call_id, seq, span, kind, iv, ciphertext, auth_tag) VALUES ($1, $2, $3, $4, $5, $6, $7)`
  );
  for (const s of spans) {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    // The call, utterance and span are authenticated too: a sealed value cannot be moved to another span.
    cipher.setAAD(Buffer.from(`${callId}\u0000${s.seq}\u0000${s.span}`));
    const ciphertext = Buffer.concat([cipher.update(s.original, 'utf8'), cipher.final()]);
    insert.bind([callId, s.seq, s.span, s.kind, new DuckDBBlobValue(iv), new DuckDBBlobValue(ciphertext), new DuckDBBlobValue(cipher.getAuthTag())]);
    await insert.run();
  }
  insert.destroySync();
}

/** The original text of one redaction, or null when none was kept (e.g. transcripts loaded from files). */
export async function revealOriginal(warehouse: Warehouse, callId: string, seq: number, span: number): Promise<{ kind: string; original: string } | null> {
  const row = await warehouse.withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT kind, iv, ciphertext, auth_tag FROM restricted.redaction_vault WHERE call_id = $id AND seq = $seq AND span = $span`,
      { id: callId, seq, span }
    );
    return reader.getRows()[0];
  });
  if (!row) return null;
  const [kind, iv, ciphertext, tag] = row as [string, DuckDBBlobValue, DuckDBBlobValue, DuckDBBlobValue];
  const decipher = crypto.createDecipheriv('aes-256-gcm', vaultKey(warehouse.path), Buffer.from(iv.bytes));
  decipher.setAAD(Buffer.from(`${callId}\u0000${seq}\u0000${span}`));
  decipher.setAuthTag(Buffer.from(tag.bytes));
  const original = Buffer.concat([decipher.update(Buffer.from(ciphertext.bytes)), decipher.final()]).toString('utf8');
  return { kind, original };
}
