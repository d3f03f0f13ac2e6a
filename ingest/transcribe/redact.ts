// Redaction of personal numbers in transcript text, before anything is stored.
// Finds mobile numbers, resident ID numbers (check digit validated), bank card numbers (Luhn)
// and e-mail addresses, written as digits or spoken as Chinese numerals (幺三八 零零 …), with
// spaces, commas or dashes between digit groups, and puts a tag such as [手机号] in their place.
// Pure: text in, text and tag spans out.

export type RedactionKind = 'phone' | 'id_card' | 'bank_card' | 'email';

export interface RedactionSpan {
  /** Character offsets (UTF-16, as JavaScript strings index) of the tag in the redacted text. */
  start: number;
  end: number;
  kind: RedactionKind;
}

export interface Redacted {
  text: string;
  redactions: RedactionSpan[];
  /** The text each tag replaced, in the order of `redactions`: for the encrypted vault only, never written to a file. */
  originals: string[];
}

export const REDACTION_TAGS: Record<RedactionKind, string> = {
  phone: '[手机号]',
  id_card: '[身份证号]',
  bank_card: '[银行卡号]',
  email: '[邮箱]'
};

/** Digits as written or spoken: ASCII, full-width, Chinese numerals and the spoken forms 幺 (1), 拐 (7), 洞 (0). */
const DIGIT_VALUES: Record<string, string> = {
  零: '0', 〇: '0', '○': '0', 洞: '0',
  一: '1', 幺: '1', 壹: '1',
  二: '2', 两: '2', 贰: '2',
  三: '3', 叁: '3',
  四: '4', 肆: '4',
  五: '5', 伍: '5',
  六: '6', 陆: '6',
  七: '7', 拐: '7', 柒: '7',
  八: '8', 捌: '8',
  九: '9', 玖: '9'
};
for (let d = 0; d <= 9; d++) {
  DIGIT_VALUES[String(d)] = String(d);
  DIGIT_VALUES[String.fromCharCode(0xff10 + d)] = String(d); // full-width ０–９
}

/** What may stand between digit groups of one spoken or written number. */
const SEPARATOR = /[\s,，、\-－—–_]/;
const MAX_SEPARATOR_RUN = 3;

const EMAIL = /[A-Za-z0-9._%+-]+\s*[@＠]\s*[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)*\s*\.\s*[A-Za-z]{2,}/g;
/** Spoken addresses: "一三八…艾特qq点com", "zhang san at 163 dot com". */
const SPOKEN_EMAIL =
  /[A-Za-z0-9._\-零〇一幺二两三四五六七八九]+\s*(?:艾特|\bat\b)\s*[A-Za-z0-9\-零〇一幺二两三四五六七八九]+(?:\s*(?:点|\.|\bdot\b)\s*[A-Za-z0-9-]+)*\s*(?:点|\.|\bdot\b)\s*(?:com|cn|net|org|edu|gov|cc|io|me|info|biz)\b/gi;

export function redact(text: string): Redacted {
  const spans: { start: number; end: number; kind: RedactionKind }[] = [];
  for (const pattern of [EMAIL, SPOKEN_EMAIL]) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (!spans.some((s) => start < s.end && s.start < end)) spans.push({ start, end, kind: 'email' });
    }
  }
  // Numbers are searched in the text with e-mail addresses blanked out, so offsets stay the same.
  let masked = text;
  for (const s of spans) masked = masked.slice(0, s.start) + '\u0000'.repeat(s.end - s.start) + masked.slice(s.end);
  spans.push(...findNumbers(masked));
  spans.sort((a, b) => a.start - b.start);

  let out = '';
  let at = 0;
  const redactions: RedactionSpan[] = [];
  const originals: string[] = [];
  for (const s of spans) {
    out += text.slice(at, s.start);
    originals.push(text.slice(s.start, s.end));
    const tag = REDACTION_TAGS[s.kind];
    redactions.push({ start: out.length, end: out.length + tag.length, kind: s.kind });
    out += tag;
    at = s.end;
  }
  out += text.slice(at);
  return { text: out, redactions, originals };
}

interface Group {
  digits: string; // normalized 0-9 (and a trailing X for ID numbers)
  starts: number[]; // offset in the text of each digit
  end: number; // offset after the last character of the group
  chinese: boolean[]; // whether each digit was a Chinese numeral
}

/** Splits the text into runs of digit groups joined by short separators, then matches numbers inside each run. */
function findNumbers(text: string): { start: number; end: number; kind: RedactionKind }[] {
  const found: { start: number; end: number; kind: RedactionKind }[] = [];
  let i = 0;
  while (i < text.length) {
    if (!(text[i] in DIGIT_VALUES)) {
      i++;
      continue;
    }
    const run: Group[] = [];
    let group: Group = { digits: '', starts: [], end: i, chinese: [] };
    while (i < text.length) {
      const ch = text[i];
      if (ch in DIGIT_VALUES) {
        group.digits += DIGIT_VALUES[ch];
        group.starts.push(i);
        group.chinese.push(!/[0-9０-９]/.test(ch));
        i++;
        group.end = i;
      } else if ((ch === 'X' || ch === 'x') && group.digits.length > 0 && !/[A-Za-z]/.test(text[i + 1] ?? '')) {
        // The check character of a resident ID; only an 18th character X validates, so it ends the run.
        group.digits += 'X';
        group.starts.push(i);
        group.chinese.push(false);
        i++;
        group.end = i;
        break;
      } else {
        let j = i;
        while (j < text.length && j - i < MAX_SEPARATOR_RUN && SEPARATOR.test(text[j])) j++;
        if (j > i && j < text.length && text[j] in DIGIT_VALUES) {
          run.push(group);
          group = { digits: '', starts: [], end: j, chinese: [] };
          i = j;
        } else break;
      }
    }
    run.push(group);
    found.push(...matchRun(run));
  }
  return found;
}

/** Greedy from the left: the longest span of whole groups (the last one possibly cut short) that is a number we know. */
function matchRun(run: Group[]): { start: number; end: number; kind: RedactionKind }[] {
  const found: { start: number; end: number; kind: RedactionKind }[] = [];
  let g = 0;
  while (g < run.length) {
    let matched = false;
    let prefix = '';
    const candidates: { digits: string; last: number; cut: number }[] = [];
    for (let j = g; j < run.length && prefix.length <= 21; j++) {
      const grp = run[j];
      // Allow cutting the last group short only before a Chinese numeral (…零零零一下: 一 starts a word).
      for (let cut = grp.digits.length; cut >= 1; cut--) {
        if (cut < grp.digits.length && !grp.chinese[cut] && grp.digits[cut] !== 'X') continue;
        candidates.push({ digits: prefix + grp.digits.slice(0, cut), last: j, cut });
      }
      prefix += grp.digits;
    }
    candidates.sort((a, b) => b.digits.length - a.digits.length);
    for (const c of candidates) {
      const kind = classify(c.digits);
      if (!kind) continue;
      const lastGroup = run[c.last];
      const end = c.cut === lastGroup.digits.length ? lastGroup.end : lastGroup.starts[c.cut];
      found.push({ start: run[g].starts[0], end, kind });
      // Continue after the match; a cut group leaves its tail as a new group.
      if (c.cut < lastGroup.digits.length) {
        run[c.last] = {
          digits: lastGroup.digits.slice(c.cut),
          starts: lastGroup.starts.slice(c.cut),
          chinese: lastGroup.chinese.slice(c.cut),
          end: lastGroup.end
        };
        g = c.last;
      } else g = c.last + 1;
      matched = true;
      break;
    }
    if (!matched) g++;
  }
  return found;
}

export function classify(digits: string): RedactionKind | null {
  if (isResidentId(digits)) return 'id_card';
  if (isBankCard(digits)) return 'bank_card';
  if (isMobile(digits)) return 'phone';
  // With the country code: 86 / 0086 before a mobile number.
  if (/^(?:00)?86/.test(digits) && isMobile(digits.replace(/^(?:00)?86/, ''))) return 'phone';
  return null;
}

export function isMobile(digits: string): boolean {
  return /^1[3-9]\d{9}$/.test(digits);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 resident identity number: 17 digits, a plausible birth date, and the ISO 7064 MOD 11-2 check character. */
export function isResidentId(value: string): boolean {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(id[k]) * ID_WEIGHTS[k];
  return ID_CHECK[sum % 11] === id[17];
}

/** Bank card: 16–19 digits passing the Luhn check (UnionPay 62… cards included). */
export function isBankCard(digits: string): boolean {
  if (!/^\d{16,19}$/.test(digits)) return false;
  return luhnValid(digits);
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = Number(digits[digits.length - 1 - k]);
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
