// Recognises configured numbers in the page's own writing and rewrites them in the same layout.
// No phone metadata: the only patterns are the ones built from the configured targets.

/** A number to replace: E.164 plus optional exact texts (a vanity number). */
export interface NumberTarget {
  /** The site's own number in E.164, e.g. `+15551234567`. */
  number: string;
  /** Exact texts that also stand for this number, e.g. `1-800-FLOWERS`. @default [] */
  text?: readonly string[];
  /** Output for those texts: each `#` takes the next digit of the tracking number's national number. @default plain grouped form */
  template?: string;
}

/** A target after parsing. */
export interface ParsedTarget {
  /** The number as configured, in E.164, e.g. `+15551234567`. */
  readonly e164: string;
  /** Country calling code, e.g. `1` or `44`. */
  readonly cc: string;
  /** National significant number. */
  readonly nsn: string;
  /** The target's `template` for its vanity texts, when it has one. */
  readonly template?: string;
}

/** Returns the tracking number (E.164) for a target found in the page, or undefined to keep it. */
export interface PickNumber {
  /** The tracking number (E.164) for `target`, found in the page as `found`; undefined keeps it. */
  (target: ParsedTarget, found: string): string | undefined;
  /** Hears each number written in text with this pick: as written, and the text it replaced. */
  wrote?(written: string, found: string): void;
}

/** A text read for targets by {@link NumberMatcher.read}. */
export interface Reading {
  /** The text read. */
  readonly text: string;
  /** Whether a target is written in it, to be replaced. */
  readonly found: boolean;
}

/** What {@link createNumberMatcher} returns. */
export interface NumberMatcher {
  /** The configured targets, parsed, in their configured order. */
  readonly targets: readonly ParsedTarget[];
  /** The length of the shortest text that can hold a target: a shorter text node need not be read. */
  readonly min: number;
  /** Whether the text holds a target. */
  test(text: string): boolean;
  /** Whether the text may hold a target: a cheap superset of `test`. */
  maybe(text: string): boolean;
  /** The text with every target replaced in its own layout (unchanged where `pick` gives nothing). */
  replace(text: string, pick: PickNumber): string;
  /**
   * Reads the text for targets, so that it can be written later with whatever numbers apply then
   * (`write`): what `replace` does before it asks for numbers. Pure: the matcher keeps nothing.
   */
  read(text: string): Reading;
  /** The reading's text with every target replaced: `replace(reading.text, pick)`, without reading it again. */
  write(reading: Reading, pick: PickNumber): string;
  /** A `tel:`/`sms:` href pointing at a target, rewritten to the tracking number's E.164; undefined otherwise. */
  replaceHref(href: string, pick: PickNumber): string | undefined;
}

export const E164 = /^\+[1-9]\d{6,14}$/;
// ITU country calling codes: 1 and 7 have one digit, these two-digit ones exist, the rest have
// three (a two-digit code never starts a three-digit one, so a code is read the one way).
const CALLING_CODE =
  '1|7|2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58]|(?:2[1-689]|3[578]|42|5[09]|6[7-9]|8[035789]|9[679])\\d';
const CC = new RegExp(`^(?:${CALLING_CODE})`);
// Separators between any two digits: spaces (NBSP and narrow NBSP are in \s), hyphens and dashes
// (the minus sign too), dots, slashes, parentheses, the full-width hyphen and parentheses of
// Japanese text (and the prolonged sound mark it often sets as a hyphen), and what shows nothing:
// a soft hyphen, zero-width spaces and joiners (put in to stop phones' number detection) and the
// direction marks of right-to-left pages. Between the national digits up to 24, so "(555) - 123" counts, and
// so does the indentation of pretty-printed HTML ("(555)\n      123"), which a browser shows as one
// space (a run not followed by the right digit fails at once: the class holds no digit); around a
// prefix or an extension up to 4, so that a "1" or "0" at the end of the line before ("Suite 101")
// is never read as a trunk prefix.
const SEP = '[\\s\\-\\u2010-\\u2015./()\\u00ad\\u200b-\\u200f\\u2060\\u2212\\u30fc\\uff08\\uff09\\uff0d]';
// What joins digits into one run without showing: a digit behind one is part of the run.
const HIDDEN = '\\u00ad\\u200b-\\u200d\\u2060';
const S = SEP + '{0,24}';
const S4 = SEP + '{0,4}';
// Never part of a word or of a longer run such as 978-1-555…, a date or an order number (joined
// by hyphens, dots, slashes, or hyphen-like dashes up to the en dash; an em dash is punctuation:
// "24/7—(555)…"). Chinese, Japanese and Korean write no space between words, so their letters are
// no word boundary to a number. Checked on the text before a match rather than as a lookbehind,
// which would make the engine try every position of every text node.
const WORD = '(?![\\p{sc=Han}\\p{sc=Hira}\\p{sc=Kana}\\p{sc=Hang}])[\\p{L}\\p{N}_]';
const BEFORE = new RegExp(`(?:${WORD}|[+#]|\\d[-\u2010-\u2013./${HIDDEN}])$`, 'u');
// Another country's code just before, however its international prefix is written ("+33 ",
// "0044 ", "011 44 ", "+44 (0)", "Tel/0044 "): that number is not the target, even when the
// digits after its own trunk prefix are. After 00 or 011 (never inside a word or a digit run) a
// code is read as the ITU grammar reads it, and a separator or "(0)" must follow it: a ZIP code
// (PR 00901), an order number (#00123) or $1,000 is no prefix.
const FOREIGN = new RegExp(
  `(?:\\+${S4}\\d{1,3}|(?:^|\\W)(?:00|011)${S4}(?:${CALLING_CODE}))(?:${S4}\\(0\\)${S4}|${SEP}{1,4})$`,
);
const AFTER = `(?!${WORD}|[-./]${WORD}|[\u2010-\u2013${HIDDEN}]\\d)`;
const EXT = `((?:${S4}(?:[xX]|[eE][xX][tT]\\.?|#)${S4}\\d{1,6})?)`;

// Digits of other scripts, each one UTF-16 unit as an ASCII digit is, by their zeros: full-width
// (Japanese, Chinese and Korean pages), Arabic-Indic (Arabic pages), Extended Arabic-Indic
// (Persian and Urdu) and Devanagari (Hindi, Marathi, Nepali). The matcher reads a text with them
// as ASCII, at the same offsets, and writes each new digit in the script of the one it replaces.
const ZEROS = [0xff10, 0x660, 0x6f0, 0x966];
const OTHER_DIGITS = '\\uff10-\\uff19\\u0660-\\u0669\\u06f0-\\u06f9\\u0966-\\u096f';
const DIGITS = `0-9${OTHER_DIGITS}`;
/** A digit of any script the matcher reads. */
export const DIGIT = new RegExp(`[${DIGITS}]`, 'g');
const OTHER = new RegExp(`[\\uff0b${OTHER_DIGITS}]`, 'g');
const zeroOf = (digit = '0'): number => {
  const code = digit.charCodeAt(0);
  // (Below the first of them, the Arabic-Indic zero, every digit is ASCII.)
  if (code < 0x660) return 48;
  return ZEROS.find((zero) => code >= zero && code < zero + 10) ?? 48;
};
// `text` with its digits (and a full-width plus) in ASCII, each at its own offset.
const toAscii = (text: string): string =>
  text.replace(OTHER, (c) => (c === '\uff0b' ? '+' : String(c.charCodeAt(0) - zeroOf(c))));
// ASCII `text` with its digits in the script whose zero is `zero` (and its plus full-width with
// full-width digits).
const writeIn = (zero: number, text: string): string =>
  zero === 48
    ? text
    : text.replace(/[\d+]/g, (c) => (c === '+' ? (zero === 0xff10 ? '\uff0b' : c) : String.fromCharCode(zero + +c)));

/** `s` matched literally inside a RegExp. */
export const esc = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
// A vanity text (keypad letters A–Z) in any letter case, without the `i` flag, which would slow
// the whole pattern.
const anyCase = (s: string) => esc(s).replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);

/** Parses an E.164 number into country code and national number; throws naming the bad value. */
export function parseTarget(input: string | NumberTarget): ParsedTarget & { text: readonly string[] } {
  const t = typeof input === 'string' ? { number: input } : input;
  const e164 = t.number;
  if (!E164.test(e164)) throw new Error(`targets: ${e164} is not E.164`);
  const cc = (CC.exec(e164.slice(1)) as RegExpExecArray)[0];
  return {
    e164,
    cc,
    nsn: e164.slice(1 + cc.length),
    text: (t.text ?? []).filter(Boolean),
    ...(t.template ? { template: t.template } : {}),
  };
}

/** The national number in a plain grouped form, e.g. `888 999 0000`. */
export const groupDigits = (nsn: string): string =>
  [nsn.slice(0, -7), nsn.slice(-7, -4), nsn.slice(-4)].filter(Boolean).join(' ');

// The tracking number `to` in a plain grouped form where `t` was written: with its country code
// when that is another one (`+1 888 999 0000`).
export const plainFor = (t: ParsedTarget, to: ParsedTarget): string =>
  (to.cc !== t.cc ? `+${to.cc} ` : '') + groupDigits(to.nsn);

/**
 * Writes `digits` into `example`'s slots (`re` finds them) in order, each in the script of the
 * digit it replaces; a different count gives the grouped form, in the script of the example.
 */
function fill(example: string, digits: string, re: RegExp): string {
  let i = 0;
  return (example.match(re) || []).length === digits.length
    ? example.replace(re, (slot) => writeIn(zeroOf(slot), digits[i++] as string))
    : writeIn(zeroOf(example.match(DIGIT)?.[0]), groupDigits(digits));
}

/**
 * Writes `number` (E.164) in the layout of `example`, a written form of a number with the same
 * country code: `formatLike('(555) 123-4567', '+18889990000')` is `(888) 999-0000`.
 */
export function formatLike(example: string, number: string): string {
  const t = parseTarget(number);
  return fill(example, t.nsn, DIGIT);
}

// A URI part percent-decoded, with leading spaces dropped (as it is when an escape is malformed),
// and the way back to its raw offsets.
interface Escaped {
  readonly text: string;
  /** The raw length that reads as the first `n` characters of `text`. */
  end(n: number): number;
}

function readEscaped(raw: string): Escaped {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return { text: raw, end: (n) => n };
  }
  const lead = text.length - text.trimStart().length;
  return {
    text: text.slice(lead),
    end(n) {
      let i = 0;
      // Each character was written as itself or as the escapes of its UTF-8 bytes.
      for (const c of text.slice(0, lead + n)) {
        const cp = c.codePointAt(0) as number;
        i += raw[i] === '%' ? 3 * (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4) : c.length;
      }
      return i;
    },
  };
}

// Digits joined by separators, whatever the targets: every place a target's national number can
// be written lies inside one such run.
const RUN = new RegExp(`[${DIGITS}](?:${S}[${DIGITS}])*`, 'g');

// What one capture group of a pattern finds: a target's national number, or one of its vanity texts.
interface Form {
  readonly _private_target: ParsedTarget;
  readonly _private_vanity: boolean;
}

// A pattern for some of the targets: capture group k + 1 finds `forms[k]`, the group after them the
// extension.
interface Pattern {
  readonly _private_re: RegExp;
  readonly _private_forms: readonly Form[];
}

/** What one match of a pattern found. */
interface Found extends Form {
  /** The whole match. */
  readonly _private_text: string;
  /** The international or trunk prefix as written (`+1 `, `1-`, `(`), or ''. */
  readonly _private_prefix: string;
  /** The national number or vanity text as written. */
  readonly _private_number: string;
  /** The extension as written (` ext. 12`), or ''. */
  readonly _private_extension: string;
}

/** A reading as the matcher makes it: the text in parts, as written or a target found there. */
interface ReadingInParts extends Reading {
  readonly _private_parts: readonly (string | Found)[];
}

/**
 * Names what a match of `pattern` found: `text` as written, `captures` its capture groups in order
 * (read in ASCII, at the same offsets).
 */
function readMatch(pattern: Pattern, text: string, captures: ReadonlyArray<string | undefined>): Found {
  const forms = pattern._private_forms;
  // Exactly one form's group takes part in a match.
  const k = captures.findIndex((c, i) => c !== undefined && i < forms.length);
  const end = text.length - (captures[forms.length] as string).length;
  const start = end - (captures[k] as string).length;
  return {
    ...(forms[k] as Form),
    _private_text: text,
    _private_prefix: text.slice(0, start),
    _private_number: text.slice(start, end),
    _private_extension: text.slice(end),
  };
}

// The tracking number `to` written where `found` was: in its layout. Another country code cannot
// keep the layout (nor a vanity text's template): that is written in full.
function writeLike(found: Found, to: ParsedTarget): string {
  const target = found._private_target;
  if (to.cc !== target.cc) return writeIn(zeroOf(found._private_number.match(DIGIT)?.[0]), plainFor(target, to));
  if (!found._private_vanity) return found._private_prefix + fill(found._private_number, to.nsn, DIGIT);
  return target.template ? fill(target.template, to.nsn, /#/g) : groupDigits(to.nsn);
}

/**
 * Builds the matcher for the configured targets: their digits with any separators, an optional
 * international prefix (`+1`, `001`, `011 1`, `+44 (0)`) or trunk prefix (`1`, `0`), and an
 * optional extension (`x12`, `ext. 12`, `#12`), which is kept as written.
 *
 * Its cost per text does not grow with the number of targets: one pattern finds the runs of digits
 * in a text, and each run's digits are looked up by national number; only the targets found there
 * are then matched in full. Vanity texts are one pattern together: keep them to about a hundred.
 *
 * @example
 * const m = createNumberMatcher(['+15551234567']);
 * m.replace('Call (555) 123-4567', () => '+18889990000'); // 'Call (888) 999-0000'
 */
export function createNumberMatcher(targets: readonly (string | NumberTarget)[]): NumberMatcher {
  const parsed = targets.map(parseTarget);
  // Targets by national number, and the lengths a run is read in.
  const byDigits = new Map<string, number[]>();
  parsed.forEach((t, i) => byDigits.set(t.nsn, [...(byDigits.get(t.nsn) ?? []), i]));
  const lengths = [...new Set(parsed.map((t) => t.nsn.length))];
  const withText = parsed.flatMap((t, i) => (t.text.length ? [i] : []));
  const texts = parsed.flatMap((t) => t.text.map(anyCase));
  const anyText = texts.length ? new RegExp(texts.join('|')) : undefined;
  // The targets that may be written in `text`, in their configured order: those whose national
  // number is in one of its digit runs (a superset: the full pattern decides), and every target
  // with a vanity text when one shows.
  const candidates = (text: string): number[] => {
    const found = new Set<number>(anyText?.test(text) ? withText : []);
    RUN.lastIndex = 0;
    for (let m: RegExpExecArray | null; (m = RUN.exec(text)); ) {
      const d = toAscii(m[0]).replace(/\D/g, '');
      for (const n of lengths)
        for (let i = 0; i + n <= d.length; i++) byDigits.get(d.slice(i, i + n))?.forEach((k) => found.add(k));
    }
    return [...found].sort((a, b) => a - b);
  };
  // A national number of 6 digits or fewer is only found unbroken: with separators it would be
  // found in dates (6/1/23).
  const digits = (t: ParsedTarget) => [...t.nsn].join(t.nsn.length > 6 ? S : '');
  // Patterns by the targets they hold (a page shows few combinations), built when first needed.
  const patterns = new Map<string, Pattern>();
  const pattern = (text: string): Pattern | undefined => {
    const found = candidates(text);
    const key = found.join();
    let p = patterns.get(key);
    if (!found.length || p) return p;
    const forms: Form[] = [];
    const alts: string[] = [];
    for (const t of found.map((k) => parsed[k]!)) {
      // The national trunk prefix: 1 in NANP, 8 in Russia and Kazakhstan, 0 elsewhere.
      const trunk = t.cc === '1' ? '1' : t.cc === '7' ? '8' : '0';
      // (After the country code, the trunk prefix is often written too: `+44 (0)20`, `+44 020`.)
      const prefix = `(?:(?:\\+|00|011${S4})${S4}${t.cc}${S4}(?:\\(?${trunk}\\)?${S4})?|\\(?${trunk}${S4})?`;
      alts.push(`${prefix}(\\(?${digits(t)})`);
      forms.push({ _private_target: t, _private_vanity: false });
      if (t.text.length) {
        alts.push(`(${t.text.map(anyCase).join('|')})`);
        forms.push({ _private_target: t, _private_vanity: true });
      }
    }
    // No `i` flag: case-insensitive Unicode matching makes V8 scan several times slower.
    p = { _private_re: new RegExp(`(?:${alts.join('|')})${EXT}${AFTER}`, 'gu'), _private_forms: forms };
    // (Bounded: text that shows ever new combinations never grows it without end.)
    if (patterns.size > 200) patterns.clear();
    patterns.set(key, p);
    return p;
  };
  // The last text's pattern: a text is tested, then replaced.
  let last: { readonly _private_text: string; readonly _private_pattern: Pattern | undefined } = {
    _private_text: '',
    _private_pattern: undefined,
  };
  const patternOf = (text: string): Pattern | undefined => {
    if (last._private_text !== text) last = { _private_text: text, _private_pattern: pattern(text) };
    return last._private_pattern;
  };
  const tracking: Record<string, ParsedTarget> = {};
  // Whether a match stands: kept as written after another country's code; read again past its
  // first character when the text before rules it out but a match starting later inside it may
  // stand: "Suite 101 (555)…", "Sat 9–1 555…", "6:00 1-555…" (a digit read as a trunk or
  // international prefix belongs to the text before; a time's colon rules out only a prefix:
  // "Line 2:555-123-4567" is a number).
  const standing = (found: Found, before: string): 'keep' | 'retry' | 'swap' => {
    if (FOREIGN.test(before)) return 'keep';
    if (BEFORE.test(before) || (/^[\d+]/.test(toAscii(found._private_prefix)) && /\d:$/.test(before))) return 'retry';
    return 'swap';
  };
  // The tracking number written where `found` was; as written when `pick` gives none.
  const swapOne = (found: Found, pick: PickNumber, inHref: boolean): string => {
    const text = found._private_text;
    const extension = found._private_extension;
    const number = pick(found._private_target, text);
    if (!number || !E164.test(number)) return text;
    // A link keeps its extension in the URI's own form.
    if (inHref) return number + (extension && ';ext=' + toAscii(extension).replace(/\D/g, ''));
    // Parsed once per tracking number, not once per match.
    tracking[number] ??= parseTarget(number);
    const written = writeLike(found, tracking[number]) + extension;
    pick.wrote?.(written, text);
    return written;
  };
  // `text` in parts, added to `parts`: matched in ASCII (`plain`, `pre` the ASCII text before it);
  // what is not a target keeps its own digits. (A part of the text holds no target the whole does
  // not: its pattern serves the part, and the search here goes on from where it was.)
  const readParts = (p: Pattern, text: string, parts: (string | Found)[], pre = ''): void => {
    const re = p._private_re;
    const plain = toAscii(text);
    let last = 0;
    re.lastIndex = 0;
    for (let m: RegExpExecArray | null; (m = re.exec(plain)); ) {
      const at = m.index;
      const next = re.lastIndex;
      const match = text.slice(at, next);
      const before = (pre + plain.slice(0, at)).slice(-24);
      const found = readMatch(p, match, m.slice(1));
      const stands = standing(found, before);
      // Retried past a first digit or "+" only: never past the number's own "(", which would hide
      // a run before it: "12-(555)…".
      const first = m[0][0] as string;
      parts.push(text.slice(last, at));
      if (stands === 'swap') parts.push(found);
      else if (stands === 'retry' && /[\d+]/.test(first)) {
        parts.push(match[0] as string);
        readParts(p, match.slice(1), parts, before + first);
      } else parts.push(match);
      last = next;
      re.lastIndex = next;
    }
    parts.push(text.slice(last));
  };
  const read = (text: string): ReadingInParts => {
    const p = patternOf(text);
    const parts: (string | Found)[] = [];
    if (p) readParts(p, text, parts);
    else parts.push(text);
    return { text, found: parts.some((part) => typeof part !== 'string'), _private_parts: parts };
  };
  // (A reading the matcher did not make is read first.)
  const write = (reading: Reading, pick: PickNumber): string => {
    const parts = (reading as ReadingInParts)._private_parts ?? read(reading.text)._private_parts;
    return parts.map((part) => (typeof part === 'string' ? part : swapOne(part, pick, false))).join('');
  };
  // One `tel:` number, or one `sms:` recipient, with what follows it; `lead`: spaces before it stay.
  const replaceOne = (part: string, pick: PickNumber, lead: boolean): string | undefined => {
    // The number ends where a parameter (`;ext=…`), a pause or wait (`,` `;`, and the `p` and `w`
    // of dialers, after a digit) or the query starts; what follows keeps its bytes.
    const [, num = '', tail = ''] = /^(.*?)((?:[?;,]|(?<=\d)[pw](?=[\d*#,;pw]|$)).*)?$/is.exec(part) || [];
    const read = readEscaped(num);
    const p = pattern(read.text);
    const plain = toAscii(read.text);
    if (!p) return;
    p._private_re.lastIndex = 0;
    const m = p._private_re.exec(plain);
    if (!m || m.index) return;
    const found = read.text.slice(0, m[0].length);
    const out = swapOne(readMatch(p, found, m.slice(1)), pick, true);
    if (!out || out === found) return;
    return (lead ? num.slice(0, read.end(0)) : '') + out + num.slice(read.end(m[0].length)) + tail;
  };
  return {
    targets: parsed,
    min: Math.min(...parsed.flatMap((t) => [t.nsn.length, ...t.text.map((x) => x.length)])),
    test(text) {
      const p = patternOf(text);
      if (!p) return false;
      p._private_re.lastIndex = 0;
      return p._private_re.test(toAscii(text));
    },
    maybe: (text) => candidates(text).length > 0,
    replace: (text, pick) => write(read(text), pick),
    read,
    write,
    replaceHref(href, pick) {
      // Only the numbers are read (decoded) and written: what follows one (`?body=…`, `;ext=…`,
      // pauses, and anything escaped right after the digits, `%26body%3D…`) keeps its bytes.
      // (Spaces or slashes after the scheme, `tel: 555…`, `tel://555…`, are dropped: phones dial them.)
      const [, scheme = '', rest = ''] = /^\s*((?:tel|sms):)[\s/]*(.*)$/is.exec(href) || [];
      if (!scheme) return;
      // An sms: link may name several recipients, separated by commas (RFC 5724) or semicolons (as
      // some phones take them), before its query (`?body=`, or `&body=` as some pages write it).
      // A tel: link has one number: a comma there is a pause, and the digits after it are tones.
      const sms = /^s/i.test(scheme);
      const [, list = rest, query = ''] = sms ? /^([^?&]*)(.*)$/s.exec(rest) || [] : [];
      let swapped = false;
      // (Split with its separators: the recipients are the even parts.)
      const out = (sms ? list.split(/([,;])/) : [list]).map((part, i) => {
        const one = i % 2 ? undefined : replaceOne(part, pick, i > 0);
        if (one !== undefined) swapped = true;
        return one ?? part;
      });
      return swapped ? scheme + out.join('') + query : undefined;
    },
  };
}
