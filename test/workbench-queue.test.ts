// The workbench under load: runs beyond the concurrent cap wait for their turn instead of being
// refused at once, and are refused as busy only when the wait passes its limit.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { cancel, MAX_CONCURRENT, runWorkbenchQuery, waitingRuns } from '../web/lib/server/workbench/run.ts';
import { fixtureWarehouse } from './api-fixture.ts';

let warehouse: Warehouse;
let dir: string;
beforeAll(async () => ({ warehouse, dir } = await fixtureWarehouse()));
afterAll(() => {
  warehouse.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ENDLESS = 'SELECT count(*) FROM range(100000000) a, range(100000000) b';

describe('the workbench queue', () => {
  it('runs a query that finds every slot taken once one frees, and refuses one whose wait runs out', async () => {
    const ids = Array.from({ length: MAX_CONCURRENT }, (_, i) => `queue-test-${i}`);
    const long = ids.map((id) => runWorkbenchQuery(warehouse, ENDLESS, { id }).then(() => 'finished', (err) => err.code));
    const queued = runWorkbenchQuery(warehouse, `SELECT count(*) AS n FROM calls WHERE direction = 'inbound'`);
    expect(waitingRuns()).toBe(1);
    // A second one that will not wait long: refused as busy, with a message that says why.
    await expect(runWorkbenchQuery(warehouse, 'SELECT 1', { maxWaitMs: 50 })).rejects.toMatchObject({ code: 'busy', message: expect.stringMatching(/waited 0\.05 s/) });
    expect(waitingRuns()).toBe(1);
    // Free one slot: the queued query gets it and answers.
    while (!cancel(ids[0])) await new Promise((r) => setTimeout(r, 10));
    const result = await queued;
    expect(result.rows).toEqual([[7n]]);
    for (const id of ids.slice(1)) while (!cancel(id)) await new Promise((r) => setTimeout(r, 10));
    expect(await Promise.all(long)).toEqual(ids.map(() => 'cancelled'));
    expect(waitingRuns()).toBe(0);
  });
});
