// `zhijian qa sample` and `zhijian qa auto` on a warehouse file (no server running): the draw is
// printed, recorded with its seed, repeatable on a copy, and auto-QA results are stored.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { registerQa } from '../web/lib/server/commands/qa.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { qaWarehouse } from './qa-fixture.ts';

let dir: string;
let dbPath: string;
beforeAll(async () => {
  const made = await qaWarehouse();
  made.warehouse.close();
  ({ dir, dbPath } = made);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(db: string, ...args: string[]): Promise<string> {
  const program = new Command('zhijian').option('--db <path>').exitOverride();
  registerQa(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'zhijian', '--db', db, 'qa', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('zhijian qa sample', () => {
  it('prints the draw: period, seed, per-agent counts, reviewers and every call', async () => {
    const copy = path.join(dir, 'copy.duckdb');
    fs.copyFileSync(dbPath, copy);
    const out = await cli(dbPath, 'sample', '--period', 'week', '--per-agent', '2', '--seed', 'w28', '--date', '2026-07-08', '--reviewers', '王芳,刘洋');
    expect(out).toContain('draw 1: week 2026-07-06 to 2026-07-12, 2 per agent, seed w28');
    expect(out).toContain('4 calls drawn for 2 agents');
    expect(out).toMatch(/agent 1001: 2 of 3 eligible/);
    expect(out).toMatch(/agent 1002: 2 of 2 eligible/);
    expect(out).toContain('reviewers: 王芳 2, 刘洋 2');
    // The same seed on a copy of the data prints the same calls.
    const again = await cli(copy, 'sample', '--period', 'week', '--per-agent', '2', '--seed', 'w28', '--date', '2026-07-08', '--reviewers', '王芳,刘洋');
    expect(again.split('\n').slice(1)).toEqual(out.split('\n').slice(1));
  });

  it('a second run takes the reviewers of the previous draw and draws only calls not drawn before', async () => {
    const out = await cli(dbPath, 'sample', '--period', 'week', '--per-agent', '5', '--date', '2026-07-08', '--json');
    const draw = JSON.parse(out);
    expect(draw.seed).toMatch(/^[0-9a-f]{16}$/);
    expect(draw.calls.map((c: { call_id: string }) => c.call_id)).toHaveLength(1);
    expect(Object.keys(draw.workload).sort()).toEqual(['刘洋', '王芳']);
  });

  it('refuses a bad period with commander\'s message', async () => {
    await expect(cli(dbPath, 'sample', '--period', 'year', '--per-agent', '2')).rejects.toThrow(/Allowed choices are week, month/);
  });
});

describe('zhijian qa auto', () => {
  it('checks the transcribed calls not checked yet, then none', async () => {
    // The drawn calls were checked when drawn; the rest now.
    const out = await cli(dbPath, 'auto');
    expect(out).toMatch(/auto-QA: \d+ calls checked/);
    expect(await cli(dbPath, 'auto')).toContain('auto-QA: 0 calls checked, 0 rule results stored (scorecard standard v1)');
    const w = await Warehouse.open(dbPath, { readOnly: true });
    try {
      expect((await w.one<{ n: number }>(`SELECT count(DISTINCT call_id) AS n FROM qa_auto_results`))!.n).toBe(5);
    } finally {
      w.close();
    }
  });
});
