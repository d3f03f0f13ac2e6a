// The complaint cause classifier on hand-written complaints in Chinese and English (not the
// demo's templates): it learns from a few labelled examples plus the taxonomy's keywords, tells
// the causes apart on new wordings, shows its evidence, and its figures are computed correctly.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, isHeldOut, ComplementNB } from '../web/lib/server/complaints/classifier.ts';
import { defaultTaxonomy, flattenCauses, parseTaxonomy } from '../web/lib/server/complaints/taxonomy.ts';
import { keywordHits, tokens, words } from '../web/lib/server/complaints/segment.ts';

const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'data', 'fixtures', 'complaints', 'labelled-zh-en.json'), 'utf8')) as {
  train: Array<{ text: string; cause: string }>;
  test: Array<{ text: string; cause: string; lang: 'zh' | 'en' }>;
};
const taxonomy = defaultTaxonomy();
const causes = flattenCauses(taxonomy);
const labels = causes.map((c) => ({ label: c.zh, keywords: [...c.keywords, ...c.subCauses.flatMap((s) => s.keywords)] }));
const model = ComplementNB.train(labels, fixture.train.map((d) => ({ text: d.text, label: d.cause })));

describe('segmentation', () => {
  it('splits Chinese into words with the ICU segmenter and keeps neighbouring pairs', () => {
    expect(words('顾客反映购买的牛奶已变质')).toEqual(expect.arrayContaining(['顾客', '反映', '牛奶', '变质']));
    expect(tokens('收银员找零错误')).toContain('找零');
  });
  it('drops English function words and numbers', () => {
    expect(words('The cashier gave me the wrong change for 20 yuan')).toEqual(['cashier', 'gave', 'wrong', 'change', 'yuan']);
  });
  it('finds English keywords as whole words only', () => {
    expect(keywordHits('I was overcharged', ['charged', 'overcharged'])).toEqual(['overcharged']);
    expect(keywordHits('价签与结账价格不一致', ['价签', '缺货'])).toEqual(['价签']);
  });
});

describe('classifier', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`labels new ${lang} wordings with their cause (at least 9 in 10 held-out complaints)`, () => {
      const cases = fixture.test.filter((t) => t.lang === lang);
      const pairs = cases.map((t) => ({ truth: t.cause, predicted: model.predict([{ source: 'summary', text: t.text }]).label }));
      const e = evaluate(pairs, causes.map((c) => c.zh));
      expect(e.micro.recall!).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('recognises a cause from its keywords alone when no complaint of it was labelled yet', () => {
    const withoutExpired = ComplementNB.train(labels, fixture.train.filter((d) => d.cause !== '过期').map((d) => ({ text: d.text, label: d.cause })));
    expect(withoutExpired.predict([{ source: 'summary', text: '买到的酱油已经过了保质期' }]).label).toBe('过期');
  });

  it('gives evidence: the piece of text and the words that decided, keywords marked', () => {
    const p = model.predict([
      { source: 'summary', text: '顾客来电反映问题' },
      { source: 'transcript', seq: 4, start_ms: 12000, text: '收银员多收了我二十块钱，找零也不对' }
    ]);
    expect(p.label).toBe('收银作业不当');
    expect(p.confidence).toBeGreaterThan(0.5);
    expect(p.confidence).toBeLessThanOrEqual(1);
    expect(p.evidence[0]).toMatchObject({ source: 'transcript', seq: 4, start_ms: 12000 });
    expect(p.evidence[0].terms.some((t) => t.keyword && t.term === '多收')).toBe(true);
  });

  it('is less sure of an ambiguous complaint than of a clear one', () => {
    const clear = model.predict([{ source: 'summary', text: '收银员多收款，找零错误' }]);
    const vague = model.predict([{ source: 'summary', text: '顾客对门店不满意' }]);
    expect(vague.confidence).toBeLessThan(clear.confidence);
  });

  it('learns from a correction: a new wording labelled once is recognised afterwards', () => {
    const text = '会员积分兑换的时候被系统吞了积分';
    const corrected = ComplementNB.train(labels, [...fixture.train, { text, cause: '现有服务作业不当' }].map((d) => ({ text: d.text, label: d.cause })));
    expect(corrected.predict([{ source: 'summary', text: '积分兑换时积分被吞' }]).label).toBe('现有服务作业不当');
  });
});

describe('figures', () => {
  it('computes precision and recall per cause, micro and macro', () => {
    const e = evaluate(
      [
        { truth: 'a', predicted: 'a' },
        { truth: 'a', predicted: 'b' },
        { truth: 'b', predicted: 'b' },
        { truth: 'c', predicted: 'b' }
      ],
      ['a', 'b', 'c']
    );
    const [a, b, c] = e.classes;
    expect([a.precision, a.recall]).toEqual([1, 0.5]);
    expect([b.precision, b.recall]).toEqual([1 / 3, 1]);
    expect([c.precision, c.recall]).toEqual([null, 0]);
    expect(e.micro).toEqual({ precision: 0.5, recall: 0.5 });
    expect(e.macro.precision).toBeCloseTo((1 + 1 / 3 + 0) / 3);
    expect(e.macro.recall).toBeCloseTo((0.5 + 1 + 0) / 3);
  });

  it('holds out a stable fifth of the complaints', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `GD${i}`);
    const held = ids.filter((id) => isHeldOut(id));
    expect(held.length / ids.length).toBeGreaterThan(0.17);
    expect(held.length / ids.length).toBeLessThan(0.23);
    expect(ids.filter((id) => isHeldOut(id))).toEqual(held);
  });
});

describe('taxonomy document', () => {
  it('has the domain doc causes in three groups, each with a department', () => {
    expect(taxonomy.groups.map((g) => g.code)).toEqual(['product', 'service', 'safety']);
    expect(causes).toHaveLength(12);
    expect(causes.every((c) => c.department && c.keywords.length)).toBe(true);
  });
  it('rejects a cause named twice, naming where', () => {
    const bad = structuredClone(taxonomy);
    bad.groups[1].causes.push({ ...bad.groups[0].causes[0] });
    expect(() => parseTaxonomy(bad, 'my.json')).toThrow(/my\.json: groups\.1\.causes\.4\.zh: cause "价格" appears twice/);
  });
});
