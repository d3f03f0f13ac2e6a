// The named SQL catalogue: every file in queries/metrics/ has a valid header, and the parser
// refuses headers that would mislead (undeclared parameters, missing formula, wrong file name).
import { describe, expect, it } from 'vitest';
import { MetricRegistry, parseMetric } from '../web/lib/server/metrics/registry.ts';

const header = (extra = '') => `-- name: demo_metric
-- description.zh: 示例
-- description.en: Example
-- formula.zh: 甲 ÷ 乙
-- formula.en: a ÷ b
-- unit: count
-- params:
--   from date required
--   queue text null
--   threshold_s integer 20
${extra}SELECT count(*) AS value FROM calls WHERE enqueued_at >= $from::DATE AND ($queue::VARCHAR IS NULL OR queue_id = $queue) AND wait_s <= $threshold_s;
`;

describe('queries/metrics/', () => {
  it('every metric file parses, with both languages and a formula', () => {
    const metrics = MetricRegistry.load().list();
    expect(metrics.length).toBeGreaterThanOrEqual(8);
    for (const m of metrics) {
      expect(m.formula.zh, m.file).toMatch(/[\u4e00-\u9fff]/);
      expect(m.formula.en, m.file).toMatch(/[a-z]/);
      expect(m.sql, m.file).toMatch(/^(SELECT|WITH)\b/);
    }
  });
});

describe('parseMetric', () => {
  it('reads the header and builds a validator with defaults', () => {
    const m = parseMetric(header(), '/x/demo_metric.sql');
    expect(m.params).toEqual([
      { name: 'from', type: 'date', default: undefined },
      { name: 'queue', type: 'text', default: null },
      { name: 'threshold_s', type: 'integer', default: 20 }
    ]);
    expect(m.schema.parse({ from: '2026-07-01' })).toEqual({ from: '2026-07-01', queue: null, threshold_s: 20 });
    expect(m.schema.parse({ from: '2026-07-01', queue: '', threshold_s: '30' })).toEqual({ from: '2026-07-01', queue: null, threshold_s: 30 });
    expect(m.schema.safeParse({}).success).toBe(false);
    expect(m.schema.safeParse({ from: '2026-02-30' }).success).toBe(false);
    expect(m.schema.safeParse({ from: '2026-07-01', threshold_s: '-1' }).success).toBe(false);
    expect(m.schema.safeParse({ from: '2026-07-01', other: 'x' }).success).toBe(false);
  });

  it('refuses a parameter the SQL uses but the header does not declare', () => {
    const text = header().replace('AND wait_s <= $threshold_s', 'AND wait_s <= $threshold_s AND agent_id = $agent');
    expect(() => parseMetric(text, '/x/demo_metric.sql')).toThrow(/\$agent.*not declare/);
  });

  it('refuses a missing formula or a file named differently from the metric', () => {
    expect(() => parseMetric(header().replace(/-- formula\.en:.*\n/, ''), '/x/demo_metric.sql')).toThrow(/formula\.en/);
    expect(() => parseMetric(header(), '/x/other.sql')).toThrow(/file name/);
  });
});
