// Scorecards: the default Chinese scorecard is valid data, scoring follows the weights, N/A
// and critical items, and saving adds versions while old ones stay readable.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD, activeScorecard, getScorecard, saveScorecard, scoreReview, scorecardItems, scorecardSchema, scorecardVersions, type ItemScore } from '../web/lib/server/qa/scorecard.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';

const card = DEFAULT_SCORECARD;
const full = (): ItemScore[] => scorecardItems(card).map((i) => ({ item_id: i.id, score: Math.max(...i.scores), na: false }));
const set = (items: ItemScore[], id: string, patch: Partial<ItemScore>) => items.map((i) => (i.item_id === id ? { ...i, ...patch } : i));

describe('the default scorecard', () => {
  it('covers the domain\'s good-call points in Chinese, with weights summing to 100 and two red lines', () => {
    const items = scorecardItems(card);
    expect(items.map((i) => i.name)).toEqual(expect.arrayContaining(['开始语', '文明用语', '应声（三声服务）', '等待礼仪', '无服务禁语', '结束语', '首问负责']));
    expect(items.reduce((s, i) => s + i.weight, 0)).toBe(100);
    expect(items.filter((i) => i.critical).map((i) => i.id)).toEqual(['no_argue', 'no_leak']);
    expect(items.find((i) => i.id === 'hold')!.na_allowed).toBe(true);
    expect(card.auto.hold.before).toContain('请稍等');
    expect(card.auto.hold.after).toContain('让您久等了');
  });

  it('rejects a definition with a duplicate item id or an unknown auto rule', () => {
    const dup = structuredClone(card);
    dup.sections[1].items[0].id = 'greeting';
    expect(() => scorecardSchema.parse(dup)).toThrow(/used twice/);
    const bad = structuredClone(card) as unknown as { sections: Array<{ items: Array<{ auto?: string }> }> };
    bad.sections[0].items[0].auto = 'mind_reading';
    expect(() => scorecardSchema.parse(bad)).toThrow();
  });
});

describe('scoreReview', () => {
  it('full marks with hold N/A: 100, pass', () => {
    expect(scoreReview(card, set(full(), 'hold', { score: null, na: true }))).toEqual({ score: 100, critical_failed: false, critical_items: [], outcome: 'pass', missing: [] });
  });

  it('weights: greeting 5 of 10 (weight 10) with hold N/A gives 100 × (95 − 5) / 95 = 94.74', () => {
    expect(scoreReview(card, set(set(full(), 'greeting', { score: 5 }), 'hold', { score: null, na: true })).score).toBe(94.74);
  });

  it('below the pass mark fails: accurate 0 and ownership 0 lose 25 of 100 points → 75, fail', () => {
    const r = scoreReview(card, set(set(full(), 'accurate', { score: 0 }), 'ownership', { score: 0 }));
    expect(r).toMatchObject({ score: 75, outcome: 'fail', critical_failed: false });
  });

  it('a failed critical item fails the call whatever the score, shown apart from the score', () => {
    const r = scoreReview(card, set(full(), 'no_argue', { score: 0 }));
    expect(r).toMatchObject({ score: 100, critical_failed: true, critical_items: ['no_argue'], outcome: 'critical_fail' });
  });

  it('refuses scores the item does not allow and N/A where it is not allowed; lists missing items', () => {
    expect(() => scoreReview(card, set(full(), 'greeting', { score: 7 }))).toThrow(/allows the scores 0, 5, 10, not 7/);
    expect(() => scoreReview(card, set(full(), 'greeting', { score: null, na: true }))).toThrow(/cannot be marked N\/A/);
    expect(scoreReview(card, full().slice(2)).missing).toEqual(['greeting', 'courtesy']);
  });
});

describe('versioned storage', () => {
  it('stores the default on first use; an edit adds version 2 and version 1 stays readable', async () => {
    const w = await Warehouse.open(':memory:');
    try {
      const v1 = await activeScorecard(w);
      expect(v1).toMatchObject({ id: 'standard', version: 1, name: '通话质检标准评分表' });
      const edited = structuredClone(v1.definition);
      edited.pass_mark = 85;
      edited.auto.forbidden.phrases.push('没办法');
      const v2 = await saveScorecard(w, edited, '管理员');
      expect(v2).toMatchObject({ version: 2, created_by: '管理员' });
      expect((await activeScorecard(w)).version).toBe(2);
      expect((await getScorecard(w, 'standard', 1))!.definition.pass_mark).toBe(80);
      expect((await getScorecard(w, 'standard'))!.definition.auto.forbidden.phrases).toContain('没办法');
      expect((await scorecardVersions(w, 'standard')).map((v) => v.version)).toEqual([1, 2]);
      await expect(saveScorecard(w, { ...edited, pass_mark: 150 }, 'x')).rejects.toThrow();
    } finally {
      w.close();
    }
  });
});
