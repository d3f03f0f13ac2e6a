// The named-SQL registry's additions for the dashboard: choice parameters, metrics that extend a
// base metric (with pinned parameters and their own), and runFamily computing a base once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricRegistry, parseMetric, runFamily, runMetric } from '../web/lib/server/metrics/registry.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { kpiWarehouse } from './kpi-fixture.ts';

const base = `-- name: base_counts
-- description.zh: 示例
-- description.en: Example
-- formula.zh: 甲
-- formula.en: a
-- unit: table
-- params:
--   from date required
--   interval choice(day|total) total
--   queue text null
SELECT CASE $interval WHEN 'day' THEN enqueued_at::DATE::VARCHAR ELSE 'all' END AS bucket, count(*) AS n
FROM calls WHERE enqueued_at >= $from::DATE AND ($queue::VARCHAR IS NULL OR queue_id = $queue) GROUP BY ALL ORDER BY ALL;
`;

const derived = (extra: string) => `-- name: derived_counts
-- description.zh: 派生
-- description.en: Derived
-- formula.zh: 乙
-- formula.en: b
-- unit: count
-- extends: base_counts
${extra}`;

describe('choice parameters and extends', () => {
  const b = parseMetric(base, '/x/base_counts.sql');

  it('a choice parameter accepts only its choices', () => {
    expect(b.params.find((p) => p.name === 'interval')).toEqual({ name: 'interval', type: 'choice', default: 'total', choices: ['day', 'total'] });
    expect(b.schema.parse({ from: '2024-01-01' }).interval).toBe('total');
    expect(b.schema.safeParse({ from: '2024-01-01', interval: 'week' }).success).toBe(false);
    expect(() => parseMetric(base.replace('choice(day|total) total', 'choice(day|total) week'), '/x/base_counts.sql')).toThrow(/not one of day, total/);
  });

  it('a derived metric reads `base`, inherits the parameters it does not pin, and may add its own', () => {
    const d = parseMetric(derived('-- fixed: interval=day\n-- params:\n--   min integer 0\nSELECT sum(n) AS value FROM base WHERE n >= $min;\n'), '/x/derived_counts.sql', new Map([['base_counts', b]]));
    expect(d.params.map((p) => p.name)).toEqual(['from', 'queue', 'min']);
    expect(d.sql).toMatch(/^WITH base AS \(/);
    expect(d.sql).toContain(`CASE 'day' WHEN 'day'`);
    expect(d.fixed).toEqual({ interval: 'day' });
  });

  it('refuses a missing base, a pin that is not a choice, and redeclaring a base parameter', () => {
    const bases = new Map([['base_counts', b]]);
    expect(() => parseMetric(derived('SELECT 1 FROM base;\n').replace('base_counts', 'nothing'), '/x/derived_counts.sql', bases)).toThrow(/extends "nothing"/);
    expect(() => parseMetric(derived('-- fixed: interval=week\nSELECT 1 FROM base;\n'), '/x/derived_counts.sql', bases)).toThrow(/fixed "interval=week"/);
    expect(() => parseMetric(derived('-- params:\n--   queue text null\nSELECT 1 FROM base;\n'), '/x/derived_counts.sql', bases)).toThrow(/"queue" is the base's/);
  });

  it('the registry loads bases before the metrics that extend them, whatever the file order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhijian-reg-'));
    try {
      fs.writeFileSync(path.join(dir, 'base_counts.sql'), base);
      fs.writeFileSync(path.join(dir, 'a_first.sql'), derived('SELECT sum(n) AS value FROM base;\n').replace('derived_counts', 'a_first'));
      const reg = MetricRegistry.load(dir);
      expect(reg.list().map((m) => m.name)).toEqual(['a_first', 'base_counts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runFamily', () => {
  let warehouse: Warehouse;
  let dir: string;
  beforeAll(async () => ({ warehouse, dir } = await kpiWarehouse()));
  afterAll(() => {
    warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives each headline metric the rows it gives alone', async () => {
    const reg = MetricRegistry.load();
    const names = ['calls_offered', 'calls_answered', 'service_level', 'average_handle_time', 'satisfaction'];
    const members = names.map((n) => reg.get(n)!);
    const params = members[0].schema.parse({ from: '2024-02-01', to: '2024-03-31', sl_variant: 'answered_only' });
    const together = await runFamily(warehouse, reg.get('call_kpis_core')!, members, params);
    for (const [i, m] of members.entries()) expect(together[i], m.name).toEqual(await runMetric(warehouse, m, params));
    expect(together[0][0].value).toBe(12);
  });
});
