// Warehouse.transaction commits its work together; Warehouse.snapshot reads one snapshot and
// throws its work away (metrics/rollup.ts builds temporary tables in one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../web/lib/server/warehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterAll(() => warehouse.close());

const teams = async () => (await warehouse.all<{ team_id: string }>('SELECT team_id FROM teams ORDER BY team_id')).map((r) => r.team_id);

describe('transactions', () => {
  it('transaction commits all of its statements, or none when one fails', async () => {
    await warehouse.transaction(async (conn) => {
      await conn.run(`INSERT INTO teams (team_id, name) VALUES ('T1', '一组')`);
      await conn.run(`INSERT INTO teams (team_id, name) VALUES ('T2', '二组')`);
    });
    expect(await teams()).toEqual(['T1', 'T2']);
    await expect(
      warehouse.transaction(async (conn) => {
        await conn.run(`INSERT INTO teams (team_id, name) VALUES ('T3', '三组')`);
        await conn.run(`INSERT INTO teams (team_id, name) VALUES ('T1', '重复')`);
      })
    ).rejects.toThrow(/PRIMARY KEY|unique|Duplicate/i);
    expect(await teams()).toEqual(['T1', 'T2']);
  });

  it('snapshot gives its result and keeps nothing it made', async () => {
    const seen = await warehouse.snapshot(async (conn) => {
      await conn.run('CREATE TEMP TABLE scratch AS SELECT team_id FROM teams');
      return (await conn.runAndReadAll('SELECT count(*)::INTEGER FROM scratch')).getRows()[0][0];
    });
    expect(seen).toBe(2);
    // What a snapshot writes is rolled back, whether it ends well or not.
    await warehouse.snapshot((conn) => conn.run(`INSERT INTO teams (team_id, name) VALUES ('T9', '九组')`));
    expect(await teams()).toEqual(['T1', 'T2']);
    await expect(warehouse.snapshot(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
