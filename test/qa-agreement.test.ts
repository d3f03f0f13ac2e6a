// Agreement statistics against values computed by hand, and the calibration report built on them.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa } from '../web/lib/server/qa/agreement.ts';
import { autoHumanAgreement, calibrationReport, createCalibration } from '../web/lib/server/qa/calibration.ts';
import { saveReview } from '../web/lib/server/qa/reviews.ts';
import { activeScorecard, DEFAULT_SCORECARD, scorecardItems } from '../web/lib/server/qa/scorecard.ts';
import { runAutoQa } from '../web/lib/server/qa/auto/run.ts';
import type { Warehouse } from '../web/lib/server/warehouse.ts';
import { qaWarehouse } from './qa-fixture.ts';

describe("Cohen's kappa", () => {
  it('4 subjects: po = 3/4, pe = 3/4·1/2 + 1/4·1/2 = 1/2, κ = 0.5', () => {
    expect(cohenKappa([[1, 1], [1, 1], [0, 0], [1, 0]])).toBeCloseTo(0.5, 12);
  });
  it('50 subjects, yes/yes 20, yes/no 5, no/yes 10, no/no 15: po = 0.7, pe = 0.5, κ = 0.4', () => {
    const pairs: Array<[string, string]> = [
      ...Array(20).fill(['y', 'y']),
      ...Array(5).fill(['y', 'n']),
      ...Array(10).fill(['n', 'y']),
      ...Array(15).fill(['n', 'n'])
    ];
    expect(cohenKappa(pairs)).toBeCloseTo(0.4, 12);
  });
  it('perfect disagreement on balanced labels is −1; no variation at all is undefined (null)', () => {
    expect(cohenKappa([[1, 0], [0, 1]])).toBeCloseTo(-1, 12);
    expect(cohenKappa([[1, 1], [1, 1]])).toBeNull();
  });
});

describe("Fleiss' kappa", () => {
  it('3 raters, 4 subjects: P̄ = (1 + 1/3 + 1 + 1/3)/4 = 2/3, P̄e = 1/2, κ = 1/3', () => {
    expect(fleissKappa([['a', 'a', 'a'], ['a', 'a', 'b'], ['b', 'b', 'b'], ['a', 'b', 'b']])).toBeCloseTo(1 / 3, 12);
  });
  it("Fleiss' (1971) style table of 10 subjects × 14 raters × 5 categories: P̄ = 0.378, P̄e = 0.213, κ ≈ 0.210", () => {
    const table = [
      [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]
    ];
    const subjects = table.map((row) => row.flatMap((n, k) => Array(n).fill(k + 1)));
    expect(fleissKappa(subjects)).toBeCloseTo(0.20993, 4);
  });
  it('two raters agreeing throughout on varied labels give 1', () => {
    expect(fleissKappa([[0, 0], [5, 5], [10, 10]])).toBeCloseTo(1, 12);
  });
});

describe('calibration and auto-QA agreement on a warehouse', () => {
  let warehouse: Warehouse;
  let dir: string;
  beforeAll(async () => ({ warehouse, dir } = await qaWarehouse()));
  afterAll(() => {
    warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const items = (patch: Record<string, number> = {}) =>
    scorecardItems(DEFAULT_SCORECARD).map((i) => ({ item_id: i.id, score: patch[i.id] ?? Math.max(...i.scores), na: false, comment: null }));

  it('per-item Fleiss kappa and each reviewer\'s deviation from the named expert', async () => {
    const id = await createCalibration(warehouse, { name: '七月校准', call_ids: ['q1', 'q4'], reviewers: ['甲', '乙', '丙'], expert: '甲' }, '组长');
    for (const reviewer of ['甲', '乙']) {
      for (const call_id of ['q1', 'q4']) await saveReview(warehouse, { call_id, items: items(), submit: true, calibration_id: id }, reviewer);
    }
    await saveReview(warehouse, { call_id: 'q1', items: items({ greeting: 5 }), submit: true, calibration_id: id }, '丙');
    let report = (await calibrationReport(warehouse, id))!;
    expect(report.complete_calls).toEqual(['q1']);
    expect(report.pending).toEqual([{ reviewer: '丙', call_id: 'q4' }]);
 await saveReview(warehouse, { call_id: 'q4', items: items(), submit: true, calibration_id: id }, '丙');
    // Only the session's reviewers score, and only its calls.
    await expect(saveReview(warehouse, { call_id: 'q4', items: items(), submit: true, calibration_id: id }, '丁')).rejects.toThrow(/does not ask 丁/);
    await expect(saveReview(warehouse, { call_id: 'q2', items: items(), submit: true, calibration_id: id }, '甲')).rejects.toThrow(/to score call q2/);
    report = (await calibrationReport(warehouse, id))!;
    // greeting: q1 [10, 10, 5], q4 [10, 10, 10]: P̄ = (1/3 + 1)/2 = 2/3, P̄e = (5/6)² + (1/6)² = 26/36, κ = −0.2.
    expect(report.items.find((i) => i.item_id === 'greeting')).toMatchObject({ fleiss_kappa: -0.2, agreement: 0.5 });
    // Every reviewer gave the same top score: agreement 1, kappa undefined.
    expect(report.items.find((i) => i.item_id === 'closing')).toMatchObject({ fleiss_kappa: null, agreement: 1 });
    // 丙 scored q1 95 (greeting 5 of 10, weight 10), the expert 100: deviations −5 and 0.
    expect(report.reviewers_deviation).toEqual([
      { reviewer: '甲', mean_abs_deviation: null, mean_signed_deviation: null },
      { reviewer: '乙', mean_abs_deviation: 0, mean_signed_deviation: 0 },
      { reviewer: '丙', mean_abs_deviation: 2.5, mean_signed_deviation: -2.5 }
    ]);
  });

  it("Cohen's kappa between auto-QA and reviewers per item (calibration reviews left out)", async () => {
    await runAutoQa(warehouse, await activeScorecard(warehouse));
    const auto = await warehouse.all<{ call_id: string; passed: boolean }>(`SELECT call_id, passed FROM qa_auto_results WHERE rule = 'opening' ORDER BY call_id`);
    // The opening rule: q3 ("喂，你好。") names no one; the others greet and give the 工号.
    expect(auto.map((a) => a.passed)).toEqual([true, true, false, true, true]);
    const human: Record<string, number> = { q1: 10, q2: 10, q3: 0, q4: 5, q5: 10 };
    for (const [call_id, greeting] of Object.entries(human)) await saveReview(warehouse, { call_id, items: items({ greeting }), submit: true }, '王芳');
    // auto/human pass: TT TT FF TF TT → po = 4/5; pe = 4/5·3/5 + 1/5·2/5 = 14/25; κ = (0.8 − 0.56)/0.44 = 0.545.
    const opening = (await autoHumanAgreement(warehouse)).find((a) => a.item_id === 'greeting');
    expect(opening).toEqual({ item_id: 'greeting', rule: 'opening', n: 5, agreement: 0.8, cohen_kappa: 0.545 });
  });
});
