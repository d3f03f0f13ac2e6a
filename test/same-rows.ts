// Result rows compared column by column, for suites that check one computation against another.
import { expect } from 'vitest';
import type { Row } from '../web/lib/server/warehouse.ts';

/** Rows equal column by column; sums of seconds may differ in the last bits only (added in another order). */
export function expectSameRows(got: Row[], want: Row[], label: string): void {
  expect(got.length, label).toBe(want.length);
  got.forEach((row, i) => {
    expect(Object.keys(row), label).toEqual(Object.keys(want[i]));
    for (const [col, v] of Object.entries(row)) {
      const w = want[i][col];
      if (typeof v === 'number' && typeof w === 'number' && !Number.isInteger(w)) expect(v, `${label} row ${i} ${col}`).toBeCloseTo(w, 9);
      else expect(v, `${label} row ${i} ${col}`).toEqual(w);
    }
  });
}
