// The review form's logic: pre-filling from auto-QA, the running total, redaction marks.
import { describe, expect, it } from 'vitest';
import { clock, markRedactions, prefill, runningScore } from '../web/lib/qa/review.ts';
import { DEFAULT_SCORECARD } from '../web/lib/server/qa/scorecard.ts';

describe('prefill', () => {
  it('auto pass → top score, fail → lowest, not applicable → N/A where allowed; items without a rule stay empty', () => {
    const d = prefill(DEFAULT_SCORECARD, [
      { rule: 'opening', passed: true },
      { rule: 'forbidden', passed: false },
      { rule: 'hold', passed: null },
      { rule: 'acknowledgement', passed: null }
    ], null);
    expect(d.items.greeting).toEqual({ score: 10, na: false, auto: true, comment: '' });
    expect(d.items.no_forbidden).toEqual({ score: 0, na: false, auto: true, comment: '' });
    expect(d.items.hold).toEqual({ score: null, na: true, auto: true, comment: '' });
    expect(d.items.acknowledge).toBeUndefined(); // N/A not allowed: the reviewer decides
    expect(d.items.accurate).toBeUndefined();
  });
  it('a saved review wins over auto-QA', () => {
    const d = prefill(DEFAULT_SCORECARD, [{ rule: 'opening', passed: true }], { advice: '注意', items: [{ item_id: 'greeting', score: 5, na: false, auto: false, comment: '没报工号' }] });
    expect(d).toEqual({ advice: '注意', items: { greeting: { score: 5, na: false, auto: false, comment: '没报工号' } } });
  });
});

describe('runningScore', () => {
  it('scores what is scored so far and lists the rest as missing', () => {
    const r = runningScore(DEFAULT_SCORECARD, { advice: '', items: { greeting: { score: 5, na: false, auto: false, comment: '' }, courtesy: { score: 10, na: false, auto: false, comment: '' } } });
    expect(r.score).toBe(75); // (5 + 10) of 20
    expect(r.missing).toHaveLength(12);
  });
});

describe('markRedactions', () => {
  it('splits the text around the redaction tags by character offset', () => {
    expect(markRedactions('我的号码是[手机号]。', [{ start: 5, end: 10 }])).toEqual([
      { text: '我的号码是', redacted: false },
      { text: '[手机号]', redacted: true, span: 0 },
      { text: '。', redacted: false }
    ]);
    // Spans stored out of order keep their stored index (the vault's key for the original).
    expect(markRedactions('电话[手机号]，邮箱[邮箱]', [{ start: 10, end: 14 }, { start: 2, end: 7 }]).filter((p) => p.redacted)).toEqual([
      { text: '[手机号]', redacted: true, span: 1 },
      { text: '[邮箱]', redacted: true, span: 0 }
    ]);
    expect(markRedactions('no tags', [])).toEqual([{ text: 'no tags', redacted: false }]);
  });
  it('clock times', () => {
    expect(clock(83_500)).toBe('1:23');
    expect(clock(0)).toBe('0:00');
  });
});
