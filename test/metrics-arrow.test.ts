// Arrow encoding of metric results: numbers stay numbers, and a list column (BIGINT[]) is not
// mistaken for a number (it came out as NaN before), and bigints inside lists and structs
// become numbers like top-level ones (they made JSON.stringify throw before).
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultToArrowIPC } from '../web/lib/server/metrics/arrow.ts';
import { queryTable } from '../web/lib/server/query.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';

describe('metric results as Arrow', () => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await Warehouse.open(':memory:');
  });
  afterAll(() => w.close());

  it('turns bigints nested in lists and structs into numbers', async () => {
    const result = await queryTable(w, "SELECT [7::BIGINT] AS l, {'a': 8::BIGINT, 'b': [9::HUGEINT]} AS s");
    expect(result.rows[0]).toEqual({ l: [7], s: { a: 8, b: [9] } });
    expect(() => JSON.stringify(result.rows)).not.toThrow();
  });

  it('keeps a BIGINT as a number and a BIGINT[] as its list', async () => {
    const result = await queryTable(w, 'SELECT 42::BIGINT AS n, [1, 2, 3]::BIGINT[] AS ids, 1.25::DECIMAL(9,2) AS d');
    const table = tableFromIPC(resultToArrowIPC(result));
    const row = table.get(0)!.toJSON() as Record<string, unknown>;
    expect(row.n).toBe(42);
    expect(row.d).toBe(1.25);
    expect(JSON.parse(row.ids as string)).toEqual([1, 2, 3]);
  });
});
