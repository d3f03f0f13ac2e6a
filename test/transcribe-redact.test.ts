// Redaction of personal numbers in transcript text: what the stored text and its tag spans look like.
import { describe, expect, it } from 'vitest';
import { classify, isBankCard, isResidentId, luhnValid, redact } from '../ingest/transcribe/redact.ts';

/** The tagged pieces of a redacted text, read back through the spans. */
function tags(text: string) {
  const r = redact(text);
  return { text: r.text, tagged: r.redactions.map((s) => [r.text.slice(s.start, s.end), s.kind]) };
}

describe('checksums', () => {
  it('validates resident ID check characters, X included, and birth dates', () => {
    expect(isResidentId('11010519491231002X')).toBe(true);
    expect(isResidentId('11010519491231002x')).toBe(true);
    expect(isResidentId('110105194912310021')).toBe(false); // wrong check digit
    expect(isResidentId('440308199901011238')).toBe(false);
    expect(isResidentId('110105194913310029')).toBe(false); // month 13
  });

  it('validates bank cards by Luhn over 16–19 digits', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(isBankCard('6222020200112345679')).toBe(true); // UnionPay 62, 19 digits
    expect(isBankCard('6222020200112345678')).toBe(false);
    expect(isBankCard('411111111111111')).toBe(false); // 15 digits
  });

  it('classifies mobiles by their prefix 1[3-9] and accepts the 86 country code', () => {
    expect(classify('13800138000')).toBe('phone');
    expect(classify('19912345678')).toBe('phone');
    expect(classify('12800138000')).toBeNull();
    expect(classify('8613800138000')).toBe('phone');
  });
});

describe('redact', () => {
  it('replaces a written mobile number with [手机号] and records the tag span', () => {
    const r = redact('您好，我的电话是13800138000，麻烦尽快回电。');
    expect(r.text).toBe('您好，我的电话是[手机号]，麻烦尽快回电。');
    expect(r.redactions).toEqual([{ start: 8, end: 13, kind: 'phone' }]);
  });

  it('finds mobile numbers spoken as Chinese numerals, 幺 for one, in groups with spaces, commas or dashes', () => {
    expect(tags('幺三八零零幺三八零零零').text).toBe('[手机号]');
    expect(tags('一三八 零零 一三八 零零零').text).toBe('[手机号]');
    expect(tags('号码是一三八，零零一三，八零零零，对').text).toBe('号码是[手机号]，对');
    expect(tags('138-0013-8000').text).toBe('[手机号]');
    expect(tags('１３８００１３８０００').text).toBe('[手机号]');
    expect(tags('一三八 零零 138 零零零').text).toBe('[手机号]'); // digits and numerals mixed
    expect(tags('+86 138 0013 8000').text).toBe('+[手机号]');
  });

  it('stops a spoken number where ordinary words start (…零零零一下 keeps 一下)', () => {
    expect(tags('您记一下，一三八零零一三八零零零一下就好').text).toBe('您记一下，[手机号]一下就好');
  });

  it('keeps numbers that are not personal: job numbers, amounts, dates, a landline', () => {
    for (const text of ['我是工号1023。', '上个月交了三百多块，合计256.80元', '2026年7月1日', '请拨打95598', '我要一个一百二十八兆的套餐', '订单号12800138000']) {
      expect(redact(text)).toEqual({ text, redactions: [], originals: [] });
    }
  });

  it('tags resident ID numbers, written or spoken, with an X check character', () => {
    expect(tags('身份证号11010519491231002X，谢谢').tagged).toEqual([['[身份证号]', 'id_card']]);
    expect(tags('幺幺零幺零五 幺九四九幺二三幺 零零二X').text).toBe('[身份证号]');
    expect(tags('联系人13800138000 X先生').text).toBe('联系人[手机号] X先生');
    expect(tags('联系人13800138000X先生').text).toBe('联系人[手机号]X先生');
    expect(tags('身份证号110105194912310021').text).toBe('身份证号110105194912310021'); // check digit wrong: not an ID
  });

  it('tags bank card numbers in groups of four, UnionPay included', () => {
    expect(tags('卡号6222 0202 0011 2345 679，户名张三').text).toBe('卡号[银行卡号]，户名张三');
    expect(tags('卡号六二二二零二零二零零幺幺二三四五六七九').text).toBe('卡号[银行卡号]');
    expect(tags('4111-1111-1111-1111').tagged).toEqual([['[银行卡号]', 'bank_card']]);
  });

  it('tags e-mail addresses, written and spoken (艾特 … 点 com)', () => {
    expect(tags('邮箱是zhang.san@example.com。').text).toBe('邮箱是[邮箱]。');
    expect(tags('发到 幺二三四五六七八九 艾特 qq 点 com 就行').text).toBe('发到 [邮箱] 就行');
    expect(tags('send it to li.si at 163 dot com please').text).toBe('send it to [邮箱] please');
    expect(tags('1234567890@qq.com').tagged).toEqual([['[邮箱]', 'email']]); // digits in an address are the address
  });

  it('separates two numbers in one sentence and keeps every span pointing at its tag', () => {
    const r = redact('手机13800138000，卡号6222020200112345679，邮箱a@b.cn');
    expect(r.text).toBe('手机[手机号]，卡号[银行卡号]，邮箱[邮箱]');
    expect(r.redactions.map((s) => r.text.slice(s.start, s.end))).toEqual(['[手机号]', '[银行卡号]', '[邮箱]']);
    expect(r.redactions.map((s) => s.kind)).toEqual(['phone', 'bank_card', 'email']);
  });

  it('joins digit groups across a comma list only when together they make a number', () => {
    expect(tags('13800138000,13900139000').text).toBe('[手机号],[手机号]');
  });
});
