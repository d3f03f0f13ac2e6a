// Auto-QA rules, each on short transcripts that should pass and fail it, in Chinese and English,
// then on the demo's scripted dialogs and through the bulk runner into the warehouse.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD } from '../web/lib/server/qa/scorecard.ts';
import { runRule, runRules, type Utterance } from '../web/lib/server/qa/auto/rules.ts';
import { runAutoQa } from '../web/lib/server/qa/auto/run.ts';
import { activeScorecard } from '../web/lib/server/qa/scorecard.ts';
import { Warehouse } from '../web/lib/server/warehouse.ts';
import { DIALOGS } from '../ingest/generate/dialogs.ts';
import { scriptCall } from '../ingest/generate/transcripts.ts';
import { Rng } from '../ingest/generate/random.ts';

const rules = DEFAULT_SCORECARD.auto;

/** Turns [speaker, text, start s, end s] into utterances. */
function t(...turns: Array<['a' | 'c', string, number, number]>): Utterance[] {
  return turns.map(([s, text, start, end], seq) => ({ seq, speaker: s === 'a' ? 'agent' : 'customer', start_ms: start * 1000, end_ms: end * 1000, text }));
}

describe('opening: greeting and identification at the start', () => {
  it('zh: passes with 您好 and 工号, quoting the first agent utterance', () => {
    const r = runRule('opening', t(['a', '您好，客服中心，工号1023为您服务。', 0.5, 4], ['c', '你好。', 4.5, 5]), rules);
    expect(r.passed).toBe(true);
    expect(r.evidence[0]).toMatchObject({ seq: 0, start_ms: 500, text: '您好，客服中心，工号1023为您服务。' });
  });
  it('zh: fails without identification', () => {
    const r = runRule('opening', t(['a', '喂，说吧。', 0.5, 1.5]), rules);
    expect(r.passed).toBe(false);
    expect(r.evidence[0]).toMatchObject({ code: 'no_greeting_no_id', text: '喂，说吧。' });
  });
  it('en: passes with a greeting and "this is agent"', () => {
    expect(runRule('opening', t(['a', 'Good morning, this is agent 1023. How may I help you?', 0.4, 4]), rules).passed).toBe(true);
  });
  it('en: fails on a bare "Yes?"', () => {
    expect(runRule('opening', t(['a', 'Yes?', 0.4, 1]), rules).passed).toBe(false);
  });
});

describe('courtesy words', () => {
  it('zh: counts 请, 谢谢 and 请稍等 once each (请稍等 is not also 请)', () => {
    const r = runRule('courtesy', t(['a', '请您提供手机号。', 1, 3], ['a', '好的，请稍等。', 4, 5], ['a', '谢谢您的耐心。', 30, 32]), rules);
    expect(r.passed).toBe(true);
    expect(r.value).toBe(3);
  });
  it('zh: fails without courtesy words', () => {
    const r = runRule('courtesy', t(['a', '喂，说吧。', 0, 1], ['a', '你过几天再打吧。', 5, 7]), rules);
    expect(r).toMatchObject({ passed: false, value: 0 });
  });
  it('en: passes with please and thank you; fails without', () => {
    expect(runRule('courtesy', t(['a', 'Could you give me the number, please?', 1, 3], ['a', 'Thank you.', 5, 6]), rules).passed).toBe(true);
    expect(runRule('courtesy', t(['a', 'We do not deliver to hotels.', 1, 3], ['a', 'Anything else?', 5, 6]), rules).passed).toBe(false);
  });
});

describe('acknowledgements while listening', () => {
  const customer = (n: number): Array<['c', string, number, number]> => Array.from({ length: n }, (_, i) => ['c', 'I see the problem.', 10 + i * 10, 12 + i * 10]);
  it('zh: passes with 嗯/好的/明白, fails without', () => {
    expect(runRule('acknowledgement', t(['c', '我的货没到。', 1, 3], ['a', '嗯，明白，我帮您查。', 3.5, 6], ['c', '好。', 7, 8], ['c', '快点。', 9, 10]), rules).passed).toBe(true);
    expect(runRule('acknowledgement', t(['c', '我的货没到。', 1, 3], ['a', '查不了。', 3.5, 6], ['c', '为什么？', 7, 8], ['c', '你说话啊。', 9, 10]), rules).passed).toBe(false);
  });
  it('en: passes with "I understand", fails without; n/a with too few customer turns', () => {
    expect(runRule('acknowledgement', t(...customer(3), ['a', 'I understand, let me check.', 50, 52]), rules).passed).toBe(true);
    expect(runRule('acknowledgement', t(...customer(3), ['a', 'No pick-up points.', 50, 52]), rules).passed).toBe(false);
    expect(runRule('acknowledgement', t(['c', 'Hello?', 1, 2], ['a', 'Yes.', 3, 4]), rules).passed).toBeNull();
  });
});

describe('hold etiquette: 请稍等 before a silence, 让您久等了 after', () => {
  it('zh: passes when both are said around a 35 s silence', () => {
    const r = runRule('hold', t(['a', '好的，请稍等，我为您查询一下。', 10, 13], ['a', '让您久等了，查到您的订单了。', 48, 52]), rules);
    expect(r).toMatchObject({ passed: true, value: 1 });
    expect(r.evidence.map((e) => e.start_ms)).toEqual([10000, 48000]);
  });
  it('zh: fails a silent 70 s hold, quoting what was said before and after', () => {
    const r = runRule('hold', t(['a', '哦。', 10, 10.5], ['c', '能不能帮我重新开一张？', 11, 13], ['a', '那你要什么抬头？', 83, 85]), rules);
    expect(r.passed).toBe(false);
    expect(r.evidence.map((e) => [e.text, e.code])).toEqual([['哦。', 'hold_before_missing'], ['那你要什么抬头？', 'hold_after_missing']]);
  });
  it('en: passes with "one moment" and "thank you for waiting"; fails without', () => {
    expect(runRule('hold', t(['a', 'One moment please while I look it up.', 5, 8], ['a', 'Thank you for waiting, I found it.', 40, 43]), rules).passed).toBe(true);
    expect(runRule('hold', t(['c', 'Is there a pick-up point?', 5, 8], ['a', 'I do not know.', 9, 10], ['c', 'Hello? Are you still there?', 62, 64]), rules).passed).toBe(false);
  });
  it('does not apply to a call without a long silence', () => {
    expect(runRule('hold', t(['a', '您好。', 0, 1], ['c', '你好。', 2, 3]), rules).passed).toBeNull();
  });
});

describe('forbidden phrases', () => {
  it('zh: fails on 不知道 and 不行 said by the agent, quoting each', () => {
    const r = runRule('forbidden', t(['a', '不知道。', 5, 6], ['c', '那怎么办？', 7, 8], ['a', '不行，必须要小票。', 9, 11]), rules);
    expect(r).toMatchObject({ passed: false, value: 2 });
    expect(r.evidence.map((e) => e.note)).toEqual(['不知道', '不行']);
  });
  it('zh: the customer saying 不知道 does not count against the agent', () => {
    expect(runRule('forbidden', t(['c', '我也不知道型号。', 5, 6], ['a', '没关系，我帮您查。', 7, 8]), rules).passed).toBe(true);
  });
  it('en: fails on "I do not know", passes on a helpful answer', () => {
    expect(runRule('forbidden', t(['a', 'I do not know.', 5, 6]), rules).passed).toBe(false);
    expect(runRule('forbidden', t(['a', 'Let me find out for you.', 5, 6]), rules).passed).toBe(true);
  });
});

describe('interruptions: agent speech starting over the customer', () => {
  it('zh: fails when the agent cuts in 1.2 s before the customer finishes', () => {
    const r = runRule('interruption', t(['c', '我的电饭煲开机以后一直响，然后就自动关机了，我试了好几次', 5, 12], ['a', '型号多少？', 10.8, 12]), rules);
    expect(r).toMatchObject({ passed: false, value: 1 });
    expect(r.evidence[0]).toMatchObject({ text: '型号多少？', start_ms: 10800 });
  });
  it('zh: passes when the agent waits', () => {
    expect(runRule('interruption', t(['c', '我的电饭煲坏了。', 5, 8], ['a', '好的，请问型号是多少？', 8.5, 10]), rules).passed).toBe(true);
  });
  it('en: fails on talk-over, passes on turn-taking', () => {
    expect(runRule('interruption', t(['c', 'I bought it last week and it', 1, 5], ['a', 'Receipt?', 4, 5]), rules).passed).toBe(false);
    expect(runRule('interruption', t(['c', 'I bought it last week.', 1, 4], ['a', 'I see, do you have the receipt?', 4.5, 6]), rules).passed).toBe(true);
  });
});

describe('silence share (dead air)', () => {
  it('zh: fails when an unannounced 20 s silence fills a third of the call', () => {
    const r = runRule('silence', t(['a', '您好，工号1023。', 0, 3], ['c', '我的发票开错了。', 4, 7], ['a', '那你要什么抬头？', 27, 30], ['c', '公司全称。', 31, 33], ['a', '好。', 34, 35], ['c', '好的。', 36, 60]), rules);
    expect(r.passed).toBe(false);
    expect(r.value).toBeCloseTo(20 / 60, 3);
    expect(r.evidence[0]).toMatchObject({ text: '那你要什么抬头？', start_ms: 27000 });
  });
  it('zh: an announced hold is not dead air', () => {
    const r = runRule('silence', t(['a', '请稍等，我查一下。', 0, 3], ['a', '让您久等了。', 33, 35], ['c', '好。', 36, 37]), rules);
    expect(r).toMatchObject({ passed: true, value: 0 });
  });
  it('en: fails a long unannounced silence, passes a brisk call', () => {
    expect(runRule('silence', t(['c', 'Is there a pick-up point?', 0, 3], ['a', 'I do not know.', 4, 5], ['c', 'Hello? Are you still there?', 55, 57]), rules).passed).toBe(false);
    expect(runRule('silence', t(['a', 'Hello, this is agent 7.', 0, 3], ['c', 'Hi.', 3.5, 4], ['a', 'How can I help?', 4.5, 6]), rules).passed).toBe(true);
  });
});

describe('speaking rate', () => {
  it('zh: characters per minute, punctuation not counted; passes at 240/min, fails at 480/min', () => {
    const text = '您好欢迎致电客服中心我是工号一零二三请问有什么可以帮您'; // 27 characters
    const ok = runRule('speaking_rate', t(['a', text + '。', 0, 6.75]), rules);
    expect(ok).toMatchObject({ passed: true, value: 240 });
    const fast = runRule('speaking_rate', t(['a', text, 0, 3.375], ['a', text, 4, 7.375]), rules);
    expect(fast).toMatchObject({ passed: false, value: 480 });
    expect(fast.evidence[0].note).toContain('characters/min');
  });
  it('en: words per minute; passes at 150/min, fails at 60/min', () => {
    const text = 'Thank you for calling customer service, how may I help you today'; // 12 words
    expect(runRule('speaking_rate', t(['a', text, 0, 4.8], ['a', text, 6, 10.8]), rules)).toMatchObject({ passed: true, value: 150 });
    expect(runRule('speaking_rate', t(['a', text, 0, 12]), rules)).toMatchObject({ passed: false, value: 60 });
  });
});

describe('agent/customer talk ratio', () => {
  it('zh: fails when the agent talks 90 % of the time, passes at 50 %', () => {
    expect(runRule('talk_ratio', t(['a', '我给您详细介绍一下我们的会员政策。', 0, 9], ['c', '哦。', 9.5, 10.5]), rules)).toMatchObject({ passed: false, value: 0.9 });
    expect(runRule('talk_ratio', t(['a', '请问有什么可以帮您？', 0, 5], ['c', '我想查一下订单。', 5.5, 10.5]), rules)).toMatchObject({ passed: true, value: 0.5 });
  });
  it('en: fails when the customer does all the talking', () => {
    expect(runRule('talk_ratio', t(['c', 'I have been waiting for a week and nobody called me back.', 0, 18], ['a', 'Yes.', 18.5, 19.5]), rules).passed).toBe(false);
  });
});

describe('closing: asks for anything else and says goodbye', () => {
  it('zh: passes with 还有其他 and 再见; fails when the agent just hangs up', () => {
    expect(runRule('closing', t(['a', '请问还有其他可以帮您的吗？', 50, 53], ['c', '没有了。', 54, 55], ['a', '感谢您的来电，再见！', 56, 58]), rules).passed).toBe(true);
    const bad = runRule('closing', t(['a', '不行，价格都是定好的。', 40, 42], ['c', '那我再考虑一下。', 43, 45], ['a', '嗯。', 46, 46.5]), rules);
    expect(bad.passed).toBe(false);
    expect(bad.evidence.at(-1)).toMatchObject({ text: '嗯。', start_ms: 46000 });
  });
  it('en: passes with "anything else" and "goodbye"; fails with no farewell', () => {
    expect(runRule('closing', t(['a', 'Is there anything else I can help you with?', 50, 53], ['c', 'No.', 54, 55], ['a', 'Thank you for calling. Goodbye.', 56, 58]), rules).passed).toBe(true);
    expect(runRule('closing', t(['a', 'Yes. No pick-up points. Anything else?', 50, 53], ['c', 'No. Forget it.', 54, 55]), rules).passed).toBe(false);
  });
});

describe('the demo dialogs', () => {
  const script = (id: string) => {
    const template = DIALOGS.find((d) => d.id === id)!;
    return scriptCall(template, `call-${id}`, '1023', null, new Rng(7)).transcript.utterances.map((u, seq) => ({ seq, ...u }));
  };
  const outcome = (id: string) => Object.fromEntries(runRules(script(id), rules).map((r) => [r.rule, r.passed]));

  it('a good consultation passes every rule', () => {
    expect(outcome('consult-good-warranty')).toMatchObject({ opening: true, courtesy: true, acknowledgement: true, hold: true, forbidden: true, interruption: true, silence: true, closing: true });
  });
  it('the bad ones fail where they are bad', () => {
    expect(outcome('consult-bad-nogreeting')).toMatchObject({ opening: false, forbidden: false, closing: false });
    expect(outcome('consult-bad-silenthold')).toMatchObject({ hold: false, silence: false, forbidden: false });
    expect(outcome('repair-bad-interrupt')).toMatchObject({ interruption: false, opening: false });
    expect(outcome('english-bad-flat')).toMatchObject({ opening: false, hold: false, forbidden: false });
    expect(outcome('english-good-refund')).toMatchObject({ opening: true, hold: true, closing: true, forbidden: true });
  });
});

describe('bulk runner', () => {
  it('checks every transcribed call once per scorecard version and stores evidence', async () => {
    const w = await Warehouse.open(':memory:');
    try {
      const card = await activeScorecard(w);
      const rows: string[] = [];
      for (const [i, d] of DIALOGS.entries()) {
        const us = scriptCall(d, `c${i}`, '1023', null, new Rng(i)).transcript.utterances;
        us.forEach((u, seq) => rows.push(`('c${i}', ${seq}, '${u.speaker}', ${u.start_ms}, ${u.end_ms}, '${u.text.replace(/'/g, "''")}')`));
      }
      await w.run(`INSERT INTO utterances (call_id, seq, speaker, start_ms, end_ms, text) VALUES ${rows.join(',')}`);
      const first = await runAutoQa(w, card);
      expect(first).toEqual({ calls: DIALOGS.length, results: DIALOGS.length * 10 });
      expect(await runAutoQa(w, card)).toEqual({ calls: 0, results: 0 });
      const i = DIALOGS.findIndex((d) => d.id === 'consult-bad-silenthold');
      const hold = await w.one<{ passed: boolean; evidence: string }>(`SELECT passed, evidence::VARCHAR AS evidence FROM qa_auto_results WHERE call_id = $c AND rule = 'hold'`, { c: `c${i}` });
      expect(hold!.passed).toBe(false);
      expect(JSON.parse(hold!.evidence)[0]).toMatchObject({ speaker: 'agent', text: '哦。' });
    } finally {
      w.close();
    }
  });
});
