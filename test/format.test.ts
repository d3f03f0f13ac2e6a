// The pages' number formats, per language; formatters are reused, so one style's digits or
// another language must never leak into the next figure.
import { describe, expect, it } from 'vitest';
import { formatCount, formatDecimal, formatShare } from '../web/lib/format.ts';

describe('number formats', () => {
  it('format counts, shares and decimals in the reader’s language', () => {
    expect(formatCount(1234567, 'zh-CN')).toBe('1,234,567');
    expect(formatCount(1234567, 'de')).toBe('1.234.567');
    expect(formatShare(0.8123, 'en')).toBe('81.2%');
    expect(formatShare(0.8123, 'de')).toBe('81,2\u00a0%'); // a no-break space before the sign
    expect(formatDecimal(3.14159, 'en')).toBe('3.1');
    expect(formatDecimal(3.14159, 'en', 2)).toBe('3.14');
    expect(formatDecimal(3.14159, 'en')).toBe('3.1');
    expect(formatCount(null, 'en')).toBe('—');
    expect(formatShare(undefined, 'zh-CN')).toBe('—');
  });
});
