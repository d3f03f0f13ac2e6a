// The audit trail: account changes, sign-ins, and views of redacted personal numbers write their
// records (reviews, disputes, scorecards and recordings are covered in qa-api.test.ts; targets,
// taxonomy, labels and callbacks in complaints-audit.test.ts and targets/stars tests); a change
// that fails writes none; the trail survives a restart; nothing in the product can edit it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../web/lib/server/api/index.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { listAudit } from '../web/lib/server/auth/audit.ts';
import { vaultKeyFile } from '../web/lib/server/auth/vault.ts';
import { runSql } from '../web/lib/server/sql.ts';
import { mergeChannels, transcriptJson, type Transcript } from '../ingest/transcribe/merge.ts';
import { storeTranscript } from '../ingest/transcribe/store.ts';
import { qaWarehouse } from './qa-fixture.ts';
import { addAccount, signedIn, type SignedIn } from './auth-fixture.ts';

let warehouse: Warehouse;
let dir: string;
let dbPath: string;
let api: Api;
let admin: SignedIn;
let reviewer: SignedIn;

beforeAll(async () => {
  ({ warehouse, dir, dbPath } = await qaWarehouse());
  await addAccount(warehouse, 'admin', { username: 'boss' });
  await addAccount(warehouse, 'reviewer', { username: 'wangfang' });
  api = createApi({ warehouse });
  admin = await signedIn(api, 'boss');
  reviewer = await signedIn(api, 'wangfang');
});
afterAll(() => {
  warehouse?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('account changes', () => {
  it('adding, changing, disabling and resetting an account each leave who, what, before and after', async () => {
    const added = await admin.send('POST', '/api/users', { username: 'liqiang', display_name: '李强', role: 'reviewer' });
    expect(added.status).toBe(201);
    const { generated_password } = await added.json();
    expect(generated_password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect((await admin.send('PATCH', '/api/users/liqiang', { role: 'manager', teams: ['T01'] })).status).toBe(200);
    expect((await admin.send('PATCH', '/api/users/liqiang', { disabled: true })).status).toBe(200);
    expect((await admin.send('PUT', '/api/users/liqiang/password', {})).status).toBe(200);
    const trail = (await listAudit(warehouse, { target: 'user:liqiang' })).reverse();
    expect(trail.map((r) => [r.actor, r.action])).toEqual([
      ['boss', 'user.add'],
      ['boss', 'user.update'],
      ['boss', 'user.update'],
      ['boss', 'user.password_reset']
    ]);
    expect(trail[0]).toMatchObject({ before: null, after: { username: 'liqiang', role: 'reviewer', display_name: '李强' } });
    expect(trail[1]).toMatchObject({ before: { role: 'reviewer', teams: null }, after: { role: 'manager', teams: ['T01'] } });
    expect(trail[2]).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
    expect(JSON.stringify(trail)).not.toContain(generated_password); // no password, no hash, ever
    expect(JSON.stringify(trail)).not.toContain('scrypt$');
  });

  it('a change that fails writes no record', async () => {
    const before = (await listAudit(warehouse)).length;
    expect((await admin.send('POST', '/api/users', { username: 'x1', role: 'agent' })).status).toBe(400); // an agent needs a 工号
    expect((await admin.send('POST', '/api/users', { username: 'x2', role: 'analyst', password: 'short' })).status).toBe(400);
    expect((await admin.send('PATCH', '/api/users/boss', { role: 'analyst' })).status).toBe(403); // not your own role
    expect((await admin.send('PATCH', '/api/users/nobody', { role: 'analyst' })).status).toBe(404);
    expect((await listAudit(warehouse)).length).toBe(before);
  });

  it('sign-ins and failed sign-ins are recorded; five failures lock the account', async () => {
    await addAccount(warehouse, 'analyst', { username: 'chensi' });
    const attempt = (password: string) => api.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chensi', password }) });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password-x')).status).toBe(401);
    const locked = await attempt('test-password-4711');
    expect(locked.status).toBe(403);
    expect((await locked.json()).error.message).toMatch(/locked .* until/);
    const trail = await listAudit(warehouse, { target: 'user:chensi' });
    expect(trail.filter((r) => r.action === 'session.sign_in_failed')).toHaveLength(5);
    // An administrator's reset unlocks it.
    expect((await admin.send('PUT', '/api/users/chensi/password', { password: 'a-new-password-2' })).status).toBe(200);
    expect((await attempt('a-new-password-2')).status).toBe(200);
    expect((await listAudit(warehouse, { target: 'user:chensi' }))[0].action).toBe('session.sign_in');
  });

  it('changing one’s own password needs the current one and ends the other sessions', async () => {
    const other = await signedIn(api, 'wangfang');
    expect((await reviewer.send('PUT', '/api/session/password', { current: 'not-it-at-all', password: 'brand-new-secret-9' })).status).toBe(403);
    expect((await reviewer.send('PUT', '/api/session/password', { current: 'test-password-4711', password: 'brand-new-secret-9' })).status).toBe(200);
    expect((await reviewer.request('/api/qa/queue')).status).toBe(200); // this session goes on
    expect((await other.request('/api/qa/queue')).status).toBe(401); // the other session ended
    const [record] = await listAudit(warehouse, { target: 'user:wangfang', action: 'user.password_change' });
    expect(record.actor).toBe('wangfang');
  });
});

describe('redacted personal numbers', () => {
  let transcript: Transcript;
  beforeAll(async () => {
    const utterances = mergeChannels(
      [
        { speaker: 'agent', segments: [{ startMs: 0, endMs: 2000, text: '您好，请问有什么可以帮您？' }] },
        { speaker: 'customer', segments: [{ startMs: 2500, endMs: 6000, text: '我的手机号是13912345678，身份证110101199003077571。' }] }
      ],
      'zh'
    );
    transcript = { call_id: 'q2', recording: 'q2.wav', language: 'zh', engine: 'whisper.cpp', model: 'test', duration_ms: 6000, utterances };
    await storeTranscript(warehouse, { recording: 'q2.wav', callId: 'q2', transcript, transcriptFile: 'q2.json', audioS: 6, processingS: 1, channels: 2, audioFormat: 'test' });
  });

  it('are stored as tags; the originals only encrypted, never in the transcript file', async () => {
    const text = (await warehouse.all<{ text: string }>(`SELECT text FROM utterances WHERE call_id = 'q2' AND source = 'asr'`)).map((r) => r.text).join(' ');
    expect(text).toContain('[手机号]');
    expect(text).not.toContain('13912345678');
    expect(transcriptJson(transcript)).not.toContain('13912345678');
    expect(transcriptJson(transcript)).not.toContain('originals');
    const vault = await warehouse.all<{ c: string }>(`SELECT ciphertext::VARCHAR AS c FROM restricted.redaction_vault WHERE call_id = 'q2'`);
    expect(vault).toHaveLength(2);
    expect(vault.map((v) => v.c).join('')).not.toContain('1391234');
    expect(fs.statSync(vaultKeyFile(dbPath)).mode & 0o077).toBe(0); // the key is the owner's only
  });

  it('an administrator sees one on request, recorded; a reviewer may not', async () => {
    const seq = (await warehouse.one<{ seq: number }>(`SELECT seq FROM utterances WHERE call_id = 'q2' AND source = 'asr' AND speaker = 'customer'`))!.seq;
    expect((await reviewer.request(`/api/qa/calls/q2/redactions/${seq}/0`)).status).toBe(403);
    const res = await admin.request(`/api/qa/calls/q2/redactions/${seq}/1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'id_card', original: '110101199003077571' });
    expect((await admin.request(`/api/qa/calls/q2/redactions/${seq}/0`)).status).toBe(200);
    const trail = await listAudit(warehouse, { action: 'transcript.unredacted' });
    expect(trail.map((r) => [r.actor, r.target, (r.after as { span: number }).span])).toEqual([
      ['boss', 'call:q2', 0],
      ['boss', 'call:q2', 1]
    ]);
    expect((await admin.request(`/api/qa/calls/q2/redactions/${seq}/5`)).status).toBe(404);
  });
});

describe('the trail itself', () => {
  it('cannot be read or changed through the SQL workbench, nor the accounts, sessions or vault', async () => {
    for (const sql of [
      'SELECT * FROM restricted.audit_log',
      'SELECT * FROM audit_log',
      'SELECT password_hash FROM restricted.users',
      'SELECT * FROM "restricted"."sessions"',
      'SELECT * FROM restricted.redaction_vault',
      'DELETE FROM restricted.audit_log',
      'UPDATE restricted.audit_log SET actor = 1'
    ]) {
      await expect(runSql(warehouse, sql), sql).rejects.toThrow();
    }
    // The product's routes under /api/audit read only.
    expect([...new Set(api.routes.filter((r) => r.path.startsWith('/api/audit') && r.method !== 'ALL').map((r) => r.method))]).toEqual(['GET']);
  });

  it('survives a restart', async () => {
    const before = await listAudit(warehouse, { limit: 500 });
    expect(before.length).toBeGreaterThan(10);
    warehouse.close();
    warehouse = await Warehouse.open(dbPath);
    expect(await listAudit(warehouse, { limit: 500 })).toEqual(before);
  });
});
