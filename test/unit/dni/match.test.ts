import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNumberMatcher, formatLike, groupDigits, parseTarget, type NumberMatcher } from '../../../src/dni/match';
import { recordFigures } from '../../support/figures';

const us = createNumberMatcher(['+15551234567']);
const gb = createNumberMatcher(['+442079460958']);
const ru = createNumberMatcher(['+74951234567']);
const jp = createNumberMatcher(['+81312345678']);
const toUs = () => '+18889990000';
const toGb = () => '+442071234567';

describe('format by example: the replacement keeps the page’s layout', () => {
  it.each([
    ['(555) 123-4567', '(888) 999-0000'],
    ['+1 555 123 4567', '+1 888 999 0000'],
    ['555 - 123 - 4567', '888 - 999 - 0000'],
    ['555–123–4567', '888–999–0000'],
    ['555-123-4567 ext. 12', '888-999-0000 ext. 12'],
    ['55512345678', '55512345678'],
    ['Order 5551234567890', 'Order 5551234567890'],
  ])('US %j → %j', (page, out) => expect(us.replace(page, toUs)).toBe(out));

  it.each([
    ['020 7946 0958', '020 7123 4567'],
    ['+44 (0)20 7946 0958', '+44 (0)20 7123 4567'],
  ])('GB %j → %j', (page, out) => expect(gb.replace(page, toGb)).toBe(out));

  it('tel: links get E.164', () => {
    expect(us.replaceHref('tel:555-123-4567', toUs)).toBe('tel:+18889990000');
  });
});

describe('separators, prefixes, extensions, traps and other countries', () => {
  it.each([
    // separators and spaces
    ['555\u00a0123\u00a04567', '888\u00a0999\u00a00000'],
    ['555\u202f123\u202f4567', '888\u202f999\u202f0000'],
    ['555—123—4567', '888—999—0000'],
    ['555.123.4567', '888.999.0000'],
    ['555/123-4567', '888/999-0000'],
    ['5551234567', '8889990000'],
    ['555 1234567', '888 9990000'],
    ['(555)123-4567', '(888)999-0000'],
    // country codes and trunk prefixes
    ['+1-555-123-4567', '+1-888-999-0000'],
    ['+1 (555) 123-4567', '+1 (888) 999-0000'],
    ['001 555 123 4567', '001 888 999 0000'],
    ['011 1 555 123 4567', '011 1 888 999 0000'],
    ['1-555-123-4567', '1-888-999-0000'],
    ['1 (555) 123-4567', '1 (888) 999-0000'],
    ['15551234567', '18889990000'],
    // extensions
    ['555-123-4567 x12', '888-999-0000 x12'],
    ['555-123-4567x12', '888-999-0000x12'],
    ['555-123-4567 #12', '888-999-0000 #12'],
    ['555-123-4567 Ext. 12', '888-999-0000 Ext. 12'],
    // in sentences, twice, next to punctuation
    ['Call (555) 123-4567 or 555.123.4567.', 'Call (888) 999-0000 or 888.999.0000.'],
    ['Tel:555-123-4567,', 'Tel:888-999-0000,'],
    ['«555 123 4567»', '«888 999 0000»'],
  ])('US %j → %j', (page, out) => expect(us.replace(page, toUs)).toBe(out));

  it.each([
    ['+44 20 7946 0958', '+44 20 7123 4567'],
    ['+44 (0) 20 7946 0958', '+44 (0) 20 7123 4567'],
    ['0044 20 7946 0958', '0044 20 7123 4567'],
    ['(020) 7946 0958', '(020) 7123 4567'],
    ['020-7946-0958', '020-7123-4567'],
    ['02079460958', '02071234567'],
    ['+442079460958', '+442071234567'],
  ])('GB %j → %j', (page, out) => expect(gb.replace(page, toGb)).toBe(out));

  it.each([
    '55512345678',
    '5551234567890',
    'Order 5551234567890',
    'Order #5551234567',
    'ISBN 978-555-123-4567',
    'ISBN 978-1-555-12345-6',
    'ref 555.123.4567.1',
    '2024-05-55 123 4567?',
    '25551234567',
    'abc5551234567',
    '5551234567abc',
    '555-123-456',
    '555-123-45678',
    'Date 12/05/2024 at 15:55',
    'SKU 555-123-4567-B',
    'Invoice 0555 1234 5678',
    '+2 555 123 4567',
    '+12 555 123 4567',
  ])('leaves %j alone', (text) => {
    expect(us.test(text) ? us.replace(text, toUs) : text).toBe(text);
  });

  it.each([
    ['8 (495) 123-45-67', '8 (495) 765-43-21'],
    ['8 495 123 45 67', '8 495 765 43 21'],
    ['+7 (495) 123-45-67', '+7 (495) 765-43-21'],
    ['(495) 123-45-67', '(495) 765-43-21'],
    ['8-495-123-45-67', '8-495-765-43-21'],
    ['84951234567', '84957654321'],
  ])('RU (trunk 8) %j → %j', (page, out) => expect(ru.replace(page, () => '+74957654321')).toBe(out));

  it.each([
    // invisible: a zero-width space or word joiner (kept from phones' number detection), a soft
    // hyphen, direction marks of right-to-left pages
    ['555\u200b-123-4567', '888\u200b-999-0000'],
    ['555\u2060123\u20604567', '888\u2060999\u20600000'],
    ['555\u00ad123\u00ad4567', '888\u00ad999\u00ad0000'],
    ['\u200f+1\u200e 555 123\u200e 4567', '\u200f+1\u200e 888 999\u200e 0000'],
    // the minus sign set as a dash
    ['555\u2212123\u22124567', '888\u2212999\u22120000'],
  ])('invisible characters and other dashes between the digits: US %j → %j', (page, out) =>
    expect(us.replace(page, toUs)).toBe(out),
  );

  it.each([
    ['03\uff0d1234\uff0d5678', '03\uff0d9876\uff0d5432'],
    ['03\u30fc1234\u30fc5678', '03\u30fc9876\u30fc5432'],
    ['\uff0803\uff091234-5678', '\uff0803\uff099876-5432'],
    ['TEL\uff1a03\uff0d1234\uff0d5678', 'TEL\uff1a03\uff0d9876\uff0d5432'],
  ])('full-width hyphens and parentheses of Japanese text: JP %j → %j', (page, out) =>
    expect(jp.replace(page, () => '+81398765432')).toBe(out),
  );

  it.each(['5551234567\u200b8', '7\u200b5551234567', '555\u200b123\u200b45678'])(
    'a digit joined by an invisible character still makes a longer run: %j is left alone',
    (text) => expect(us.replace(text, toUs)).toBe(text),
  );

  it('RU traps: a longer run, another trunk glued on', () => {
    for (const text of ['+7 495 123 45 678', '184951234567', '04951234567', '84951234567x'])
      expect(ru.replace(text, () => '+74957654321')).toBe(text);
  });

  it('GB traps: another trunk, other numbers', () => {
    for (const text of ['120 7946 0958', '+1 20 7946 0958', '020 7946 09581', '+44 20 7946 0959'])
      expect(gb.replace(text, toGb)).toBe(text);
  });

  it('a different national length is written in a plain grouped form; another country in full', () => {
    expect(gb.replace('call 020 7946 0958 now', () => '+44201234567')).toBe('call 020 123 4567 now');
    expect(us.replace('(555) 123-4567', () => '+442071234567')).toBe('+44 207 123 4567');
    expect(groupDigits('8889990000')).toBe('888 999 0000');
    expect(formatLike('(555) 123-4567', '+18889990000')).toBe('(888) 999-0000');
  });

  it('keeps the original when no number is picked or the pick is malformed', () => {
    expect(us.replace('555-123-4567', () => undefined)).toBe('555-123-4567');
    expect(us.replace('555-123-4567', () => '<b>1</b>')).toBe('555-123-4567');
  });

  it('several targets: each gets its own number', () => {
    const m = createNumberMatcher(['+15551234567', '+15551234568', '+442079460958']);
    const map: Record<string, string> = {
      '+15551234567': '+18889990000',
      '+15551234568': '+18889990001',
      '+442079460958': '+442071234567',
    };
    expect(m.replace('555-123-4567 / 555-123-4568 / +44 20 7946 0958', (t) => map[t.e164])).toBe(
      '888-999-0000 / 888-999-0001 / +44 20 7123 4567',
    );
  });

  it('vanity texts with a template', () => {
    const m = createNumberMatcher([{ number: '+18003569377', text: ['1-800-FLOWERS'], template: '1-###-###-####' }]);
    expect(m.replace('Call 1-800-FLOWERS today', () => '+18889990000')).toBe('Call 1-888-999-0000 today');
    expect(m.replace('1-800-FLOWERSHOP', () => '+18889990000')).toBe('1-800-FLOWERSHOP');
    expect(m.replace('1 800 356 9377', () => '+18889990000')).toBe('1 888 999 0000');
  });

  it('vanity texts match whatever the letter case, and only as written otherwise', () => {
    const m = createNumberMatcher([{ number: '+18003569377', text: ['1-800-Flowers'] }]);
    for (const text of ['1-800-FLOWERS', '1-800-flowers', '1-800-Flowers', '1-800-fLoWeRs']) {
      expect(m.maybe(text)).toBe(true);
      expect(m.replace(`Call ${text}.`, () => '+18889990000')).toBe('Call 888 999 0000.');
    }
    for (const text of ['1-800-FLOWER', '1 800 FLOWERS', '1-800-FL0WERS'])
      expect(m.replace(text, () => '+18889990000')).toBe(text);
  });

  it('hrefs: tel and sms with escapes and parameters; others untouched', () => {
    expect(us.replaceHref('tel:+1%20555%20123%204567', toUs)).toBe('tel:+18889990000');
    expect(us.replaceHref('sms:+15551234567?body=hi', toUs)).toBe('sms:+18889990000?body=hi');
    expect(us.replaceHref('TEL:(555) 123-4567;ext=12', toUs)).toBe('TEL:+18889990000;ext=12');
    expect(us.replaceHref('tel:5551234568', toUs)).toBeUndefined();
    expect(us.replaceHref('https://x.example/5551234567', toUs)).toBeUndefined();
    expect(us.replaceHref('tel:%E0%A4%A', toUs)).toBeUndefined();
    // Only the number is read and written: the rest of the URI stays byte for byte.
    expect(us.replaceHref('sms:+15551234567?body=Tom%26Jerry%20%23deal%2050%25', toUs)).toBe(
      'sms:+18889990000?body=Tom%26Jerry%20%23deal%2050%25',
    );
    expect(us.replaceHref('tel:555-123-4567,,12%23', toUs)).toBe('tel:+18889990000,,12%23');
    // An extension written as text becomes the URI's own.
    expect(us.replaceHref('tel:555-123-4567 x12', toUs)).toBe('tel:+18889990000;ext=12');
  });

  it('whitespace of pretty-printed HTML between the groups (shown as one space) is a separator', () => {
    expect(us.replace('Call us: (555)\n          123-4567', toUs)).toBe('Call us: (888)\n          999-0000');
    expect(us.replace('555 -            123', toUs)).toBe('555 -            123');
    // Still never digits joined across other text.
    expect(us.replace('555 and 123-4567', toUs)).toBe('555 and 123-4567');
    // A 1 or 0 ending the line before is not a trunk prefix reached over the indentation.
    expect(us.replace('Suite 101\n        (555) 123-4567', toUs)).toBe('Suite 101\n        (888) 999-0000');
    expect(us.replace('Springfield, IL 62701\n          555-123-4567', toUs)).toBe(
      'Springfield, IL 62701\n          888-999-0000',
    );
    expect(us.replace('Suite 101 -       555.123.4567', toUs)).toBe('Suite 101 -       888.999.0000');
    expect(gb.replace('Unit 10\n          (020) 7946 0958', toGb)).toBe('Unit 10\n          (020) 7123 4567');
  });

  it('rejects a target that is not E.164', () => {
    expect(() => createNumberMatcher(['555-123-4567'])).toThrow(/targets/);
  });
});

describe('properties: a swap changes nothing but a target’s digits', () => {
  const separators = [' ', '\u00a0', '\u202f', '-', '–', '—', '.', '/', ' - '];
  const written = fc
    .record({
      seps: fc.array(fc.constantFrom(...separators), { minLength: 2, maxLength: 2 }),
      paren: fc.boolean(),
      prefix: fc.constantFrom('', '+1 ', '1-', '001 ', '011 1 ', '+1 '),
      ext: fc.constantFrom('', ' x12', ' ext. 7', ' #3'),
    })
    .map(({ seps, paren, prefix, ext }) => `${prefix}${paren ? '(555)' : '555'}${seps[0]}123${seps[1]}4567${ext}`);
  // Noise that may sit next to a number: words, punctuation, other digits (never glued on).
  const noise = fc
    .array(
      fc.constantFrom(
        'Call ',
        'or ',
        ', ',
        '. ',
        'order 12345 ',
        '2024-01-05 ',
        'ISBN 978-0-306-40615-7 ',
        '\n',
        '(',
        ') ',
        'x',
        'é ',
      ),
      { maxLength: 6 },
    )
    .map((a) => a.join(''));

  it('only the national digits of each recognised number change, and they become the tracking digits', () => {
    fc.assert(
      fc.property(noise, written, noise, (a, num, b) => {
        const text = `${a} ${num} ${b}`;
        const out = us.replace(text, toUs);
        expect(out.length).toBe(text.length);
        const changed = [...text].map((c, i) => (c === out[i] ? '' : `${c}>${out[i]}`)).filter(Boolean);
        // Every change is digit for digit, the target's national number turning into the tracking one.
        expect(changed.every((c) => /^\d>\d$/.test(c))).toBe(true);
        expect(out).toContain(num.replace(/555([^\d]*)123([^\d]*)4567/, '888$1999$20000'));
      }),
      { numRuns: 2000 },
    );
  });

  it('maybe is a superset of test: any text a target is recognised in, alone or among other text, may hold one', () => {
    const vanity = createNumberMatcher([{ number: '+18003569377', text: ['1-800-FLOWERS'] }, '+442079460958']);
    let recognised = 0;
    fc.assert(
      fc.property(noise, written, noise, fc.boolean(), (a, num, b, glue) => {
        for (const [m, text] of [
          [us, `${a} ${num} ${b}`],
          [vanity, `${a}1-800-FLOWERS or 020 7946 0958${b}`],
        ] as const) {
          if (!m.test(text)) continue;
          recognised++;
          expect(m.maybe(glue ? `7${text}9` : text)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    // The texts generated do hold recognised targets (else the property would hold vacuously).
    expect(recognised).toBeGreaterThan(1000);
    expect(us.maybe('no number here, 2024-01-05')).toBe(false);
    expect(us.maybe('Order 555-123-9999, ref 123-4567')).toBe(false);
    expect(us.maybe('a (555) 123-4567 b')).toBe(true);
  });

  it('a text read ahead and written later is what replace makes of it; reading asks for no number', () => {
    const vanity = createNumberMatcher([{ number: '+18003569377', text: ['1-800-FLOWERS'] }, '+15551234567']);
    const other = ['+44 1 555 123 4567', 'Suite 101 (555) 123-4567', '\uff15\uff15\uff15-123-4567', '1-800-FLOWERS'];
    let found = 0;
    fc.assert(
      fc.property(noise, written, noise, fc.constantFrom('', ...other), (a, num, b, more) => {
        const text = `${a} ${num} ${b}${more}`;
        const asked: string[] = [];
        const pick = Object.assign(() => '+18889990000', { wrote: (w: string) => asked.push(w) });
        const reading = vanity.read(text);
        expect(asked).toEqual([]);
        expect(reading.text).toBe(text);
        expect(reading.found).toBe(vanity.test(text) && vanity.replace(text, toUs) !== text);
        const out = vanity.write(reading, pick);
        expect(out).toBe(vanity.replace(text, toUs));
        if (reading.found) found++;
        // The same reading serves new numbers.
        expect(vanity.write(reading, () => '+17770001111')).toBe(vanity.replace(text, () => '+17770001111'));
      }),
      { numRuns: 2000 },
    );
    expect(found).toBeGreaterThan(1000);
    // A reading made by hand is read as its text.
    expect(us.write({ text: 'Call 555-123-4567', found: false }, toUs)).toBe('Call 888-999-0000');
  });

  it('text without a target is returned unchanged', () => {
    let without = 0;
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789 -.()+/x#\u00a0abc'.split('')), maxLength: 40 }),
        (text) => {
          const out = us.replace(text, toUs);
          const digits = (s: string) => s.replace(/\D/g, '');
          if (!digits(text).includes('5551234567')) {
            without++;
            expect(out).toBe(text);
          }
          expect(out.length).toBe(text.length);
        },
      ),
      { numRuns: 5000 },
    );
    expect(without).toBeGreaterThan(4000);
    recordFigures('dni: text without a target (trap corpus)', { cases: 5000 });
  });
});

describe('text before a number: a digit read as a prefix, a longer run, CJK, dates', () => {
  // A digit 1 (NANP trunk) / 00 before the number could be taken as a prefix, which the text
  // before then rules out: the match is retried at the national number.
  it.each([
    ['Suite 101 (555) 123-4567', 'Suite 101 (888) 999-0000'],
    ['Springfield, IL 62701 - 555-123-4567', 'Springfield, IL 62701 - 888-999-0000'],
    ['Fax 555-123-4561 Tel 555-123-4567', 'Fax 555-123-4561 Tel 888-999-0000'],
    ['Tel 555-123-4561 555-123-4567', 'Tel 555-123-4561 888-999-0000'],
  ])('a number after a digit 1 + up to 4 separators is found: %j', (page, out) => {
    // Control: 'Suite 102 (555) 123-4567' is swapped.
    expect(us.replace('Suite 102 (555) 123-4567', toUs)).toBe('Suite 102 (888) 999-0000');
    expect(us.replace(page, toUs)).toBe(out);
  });

  it.each(['Order 555–123–4567–89', 'Ref 12–555–123–4567', 'Ref 555\u2011123\u20114567\u201189'])(
    'never inside a longer digit run written with dashes the matcher itself accepts: %j',
    (t) => expect(us.replace(t, toUs)).toBe(t),
  );

  it.each([
    ['+44 020 7946 0958', '+44 020 7123 4567'],
    ['+44 (020) 7946 0958', '+44 (020) 7123 4567'],
  ])('the same country code followed by the trunk prefix is found (0044 020… already is): %j', (page, out) => {
    expect(gb.replace('0044 020 7946 0958', toGb)).toBe('0044 020 7123 4567');
    expect(gb.replace(page, toGb)).toBe(out);
  });

  it('a vanity text keeps its extension', () => {
    const m = createNumberMatcher([{ number: '+18003569377', text: ['1-800-FLOWERS'], template: '1-###-###-####' }]);
    expect(m.replace('Call 1-800-FLOWERS x12 today', toUs)).toBe('Call 1-888-999-0000 x12 today');
    expect(m.replace('Call 1-800-FLOWERS ext. 5', toUs)).toBe('Call 1-888-999-0000 ext. 5');
  });

  it('a vanity text given a tracking number of another country is written with its country code', () => {
    const m = createNumberMatcher([{ number: '+18003569377', text: ['1-800-FLOWERS'], template: '1-###-###-####' }]);
    // The digit form of the same target already is: '+44 207 123 4567'.
    expect(m.replace('Call 1 800 356 9377', toGb)).toBe('Call +44 207 123 4567');
    expect(m.replace('Call 1-800-FLOWERS', toGb)).toBe('Call +44 207 123 4567');
  });

  it.each([
    ['お電話は03-1234-5678まで', 'お電話は03-9876-5432まで'],
    ['电话03-1234-5678', '电话03-9876-5432'],
  ])('CJK text (no spaces between words) next to a number: %j', (page, out) => {
    expect(jp.replace(page, () => '+81398765432')).toBe(out);
  });

  it.each(['Valid until 6/1/23', 'Meeting 6.1.23'])('a short target is not found in a date: %j', (t) => {
    const m = createNumberMatcher(['+2906123']);
    expect(m.replace(t, () => '+2906999')).toBe(t);
  });
});

describe('punctuation and another country’s code before a number', () => {
  // Only hyphen-like dashes join a digit run: an em dash used as punctuation (US style, no spaces)
  // next to a word or "24/7" does not hide the number.
  it('em dash as punctuation next to a number still lets it be swapped', () => {
    expect(us.replace('Call 555-123-4567\u2014we answer 24/7', toUs)).toBe('Call 888-999-0000\u2014we answer 24/7');
    expect(us.replace('Open 24/7\u2014(555) 123-4567', toUs)).toBe('Open 24/7\u2014(888) 999-0000');
  });

  // "+CC " just before: another country's number, even when the digits after its trunk 1 are the
  // target's.
  it('another country’s number (+33 1 55 51 23 45 67) is not the target', () => {
    expect(us.replace('Paris: +33 1 55 51 23 45 67', toUs)).toBe('Paris: +33 1 55 51 23 45 67');
    expect(us.replace('+33 1 555 123 4567', toUs)).toBe('+33 1 555 123 4567');
  });

  // A tracking number of another country drops the layout: the number's own "(" goes with it.
  it('text kept before a number does not leave a stray "(" when the tracking number is another country’s', () => {
    // (the same number without the suite: no parenthesis left either)
    expect(us.replace('Suite 10 (555) 123-4567', toGb)).toBe('Suite 10 +44 207 123 4567');
    expect(us.replace('Suite 101 (555) 123-4567', toGb)).toBe('Suite 101 +44 207 123 4567');
  });
});

// The "00" ending a time is not the international prefix 00 (with a tracking number of another
// country, a prefix is replaced: the page's "00" would be eaten).
describe('a time before a number, tracking number of another country', () => {
  it('"Open until 6:00 1-555-123-4567" keeps its 6:00', () => {
    expect(us.replace('Open until 6:00 1-555-123-4567', toGb)).toMatch(/^Open until 6:00 /);
  });
});

// A "1" that ends a range joined by a dash ("9–1"), or follows "#", reads as a trunk prefix that
// the text before rules out: the match is retried after it, so the number itself is found.
describe('a digit read as a prefix belongs to the text before: the number after it is found', () => {
  it.each([
    ['Sat 9–1 555-123-4567', 'Sat 9–1 888-999-0000'],
    ['Mon–Fri 8–6, Sat 9–1 (555) 123-4567', 'Mon–Fri 8–6, Sat 9–1 (888) 999-0000'],
    ['Sat 9-1 (555) 123-4567', 'Sat 9-1 (888) 999-0000'],
    ['Apt #1 (555) 123-4567', 'Apt #1 (888) 999-0000'],
    ['Rated #1 555-123-4567', 'Rated #1 888-999-0000'],
  ])('a number after a range or "#1" is swapped: %j', (page, out) => {
    expect(us.replace(page, toUs)).toBe(out);
  });

  // Control: after "+33 " nothing is retried.
  it('+33 1 555 123 4567 stays another country’s', () => {
    expect(us.replace('+33 1 555 123 4567', toUs)).toBe('+33 1 555 123 4567');
  });
});

describe('another country’s number is refused however its international prefix is written', () => {
  // Control: the "+CC " form is refused.
  it('control: "+44 1 555 123 4567" and "+33 20 7946 0958" are left alone', () => {
    expect(us.replace('+44 1 555 123 4567', toUs)).toBe('+44 1 555 123 4567');
    expect(gb.replace('+33 20 7946 0958', toGb)).toBe('+33 20 7946 0958');
  });
  it.each(['0044 1 555 123 4567', '011 44 1 555 123 4567', '+44 (0)1 555 123 4567', '0091 555 123 4567'])(
    'US target, another country written with 00 / 011 / (0): %j unchanged',
    (t) => expect(us.replace(t, toUs)).toBe(t),
  );
  it.each(['0033 20 7946 0958', '011 33 20 7946 0958'])('GB target, a French number: %j unchanged', (t) =>
    expect(gb.replace(t, toGb)).toBe(t),
  );
});

describe('a match is never retried past the number’s own "(": the longer-run guard holds', () => {
  it('control: "Ref 12-555-123-4567" stays a longer run', () => {
    expect(us.replace('Ref 12-555-123-4567', toUs)).toBe('Ref 12-555-123-4567');
  });
  it.each(['Ref 12-(555) 123-4567', 'Ref 12/(555) 123-4567'])('%j stays a longer run', (t) =>
    expect(us.replace(t, toUs)).toBe(t),
  );
});

describe('a colon after a digit refuses a number that has no prefix at all', () => {
  it('control: with "(" the same label is swapped', () => {
    expect(us.replace('Phone 2:(555) 123-4567', toUs)).toBe('Phone 2:(888) 999-0000');
  });
  it.each([
    ['Phone 2:555-123-4567', 'Phone 2:888-999-0000'],
    ['Line 1:5551234567', 'Line 1:8889990000'],
  ])('%j is swapped', (page, out) => expect(us.replace(page, toUs)).toBe(out));
  it('a time before a number keeps its 6:00', () => {
    expect(us.replace('Open until 6:00 1-555-123-4567', toGb)).toMatch(/^Open until 6:00 /);
  });
});

describe('a 00-led group (ZIP code, order number, $1,000) is no international prefix', () => {
  it.each([
    ['San Juan, PR 00901 (555) 123-4567', 'San Juan, PR 00901 (888) 999-0000'],
    ['Adjuntas, PR 00601 555-123-4567', 'Adjuntas, PR 00601 888-999-0000'],
    ['Order #00123 555-123-4567', 'Order #00123 888-999-0000'],
    ['Only $1,000 555-123-4567', 'Only $1,000 888-999-0000'],
  ])('same-country number after a 00-led group is still found: %j', (page, out) => {
    expect(us.replace(page, toUs)).toBe(out);
  });
});

describe('a colon after a digit rules out a digit prefix only: "(0NN)" after it is a number', () => {
  it('control: US "Phone 2:(555) 123-4567" is swapped', () => {
    expect(us.replace('Phone 2:(555) 123-4567', toUs)).toBe('Phone 2:(888) 999-0000');
  });
  it.each([['Line 2:(020) 7946 0958', 'Line 2:(020) 7123 4567']])('%j is swapped', (page, out) =>
    expect(gb.replace(page, toGb)).toBe(out),
  );
});

describe("another country's prefix written with any separator the matcher accepts is refused", () => {
  it('control: "0033 20 7946 0958" is left alone', () => {
    expect(gb.replace('0033 20 7946 0958', toGb)).toBe('0033 20 7946 0958');
  });
  it.each(['00 33 20 7946 0958', '+ 33 20 7946 0958', '00 44 1 555 123 4567', '+44\u20131 555 123 4567'])(
    '%j unchanged',
    (t) => {
      const m = t.includes('555') ? us : gb;
      expect(m.replace(t, t.includes('555') ? toUs : toGb)).toBe(t);
    },
  );
});

describe('a 00/011 international prefix glued to punctuation is still another country', () => {
  it.each(['Tel:+49 555 123 4567', 'Tel/+44 1 555 123 4567', '"+44 1 555 123 4567'])(
    'control: the same numbers written with "+" are refused: %j',
    (t) => expect(us.replace(t, toUs)).toBe(t),
  );

  // 00 after punctuation is an international prefix, as +44 is: these are numbers of another country.
  it.each([
    'Tel/0044 1 555 123 4567',
    'Tel,0044 1 555 123 4567',
    '"0044 1 555 123 4567',
    'Fax\u20140044 1 555 123 4567',
  ])('refused after "/", ",", a quote or an em dash: %j', (t) => expect(us.replace(t, toUs)).toBe(t));

  // Common German/French writing ("Tel:0049 …").
  it.each(['Tel:0049 555 123 4567', 'Tel.0049 555 123 4567', 'Tel:011 44 1 555 123 4567'])(
    "refused after a label's colon or dot: %j",
    (t) => expect(us.replace(t, toUs)).toBe(t),
  );

  it.each([
    ['6:00 1-555-123-4567', '6:00 1-888-999-0000'],
    ['$1,000 (555) 123-4567', '$1,000 (888) 999-0000'],
    ['Due 1/00 1-555-123-4567', 'Due 1/00 1-888-999-0000'],
  ])('control: a time, an amount or a date before a same-country number keeps it found: %j', (page, out) =>
    expect(us.replace(page, toUs)).toBe(out),
  );
});

describe('tel: and sms: hrefs get the tracking number in E.164', () => {
  it.each(['tel: 555-123-4567', 'tel: +1 555 123 4567', 'tel:%20+15551234567', 'tel://5551234567'])(
    '%j (spaces or slashes after the scheme) is rewritten',
    (h) => {
      expect(us.replaceHref(h, toUs)).toBe('tel:+18889990000');
    },
  );
});

describe('tel:/sms: links: only the number is rewritten, every other byte stays', () => {
  it.each([
    // A delimiter escaped right after the number is text of the number part, not a delimiter.
    ['sms:+15551234567%26body%3Dhi', 'sms:+18889990000%26body%3Dhi'],
    ['sms:%2B15551234567%3Fbody%3DTom%26Jerry', 'sms:+18889990000%3Fbody%3DTom%26Jerry'],
    ['tel:+1%20555%20123%204567%3Bext%3D12%26x', 'tel:+18889990000%3Bext%3D12%26x'],
    ['sms:+15551234567?%26body%3D%23x', 'sms:+18889990000?%26body%3D%23x'],
    ['tel:+15551234567;ext=12%26x', 'tel:+18889990000;ext=12%26x'],
    // Escaped separators, several bytes to a character (an en and an em dash), leading spaces.
    ['tel:555%E2%80%93123%E2%80%934567%E2%80%94%26', 'tel:+18889990000%E2%80%94%26'],
    ['tel:%20%20555-123-4567%26x', 'tel:+18889990000%26x'],
    // An extension written as text becomes the URI's own; what follows it keeps its bytes.
    ['tel:555-123-4567%20x12%26a', 'tel:+18889990000;ext=12%26a'],
    // A malformed escape: the raw text is matched, and kept.
    ['tel:555-123-4567%E0%A4%A', 'tel:+18889990000%E0%A4%A'],
  ])('%s → %s', (href, out) => expect(us.replaceHref(href, toUs)).toBe(out));

  it('property: whatever is escaped after the number keeps its bytes', () => {
    const number = fc.constantFrom(
      '+15551234567',
      '%2B15551234567',
      '+1%20555%20123%204567',
      '(555)%20123-4567',
      '555%E2%80%93123%E2%80%934567',
    );
    // (Never a letter or digit right after the number: that would make it part of a longer word.)
    const escaped = ['%26', '%3D', '%3F', '%3B', '%25', '%23', '%2C', '%E2%80%94', '%F0%9F%93%9E', '%20'];
    const tail = fc
      .tuple(
        fc.constantFrom(...escaped),
        fc.array(fc.constantFrom(...escaped, 'body', '&', '=', '?', ';', ','), { maxLength: 8 }),
      )
      .map(([first, rest]) => first + rest.join(''));
    fc.assert(
      fc.property(fc.constantFrom('tel:', 'sms:', 'TEL:'), number, tail, (scheme, n, t) => {
        expect(us.replaceHref(scheme + n + t, toUs)).toBe(`${scheme}+18889990000${t}`);
      }),
      { numRuns: 2000 },
    );
    recordFigures('dni: tel/sms tails keep their bytes', { cases: 2000 });
  });
});

describe('country calling codes are read as the ITU grammar reads them', () => {
  // Every two-digit code in use; 1 and 7 have one digit; every other code has three.
  const TWO =
    '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
      ' ',
    );
  it('each of the 900 three-digit starts gives the code of 1, 2 or 3 digits it begins with', () => {
    for (let start = 100; start <= 999; start++) {
      const digits = String(start);
      const expected = /^[17]/.test(digits)
        ? digits[0]
        : TWO.includes(digits.slice(0, 2))
          ? digits.slice(0, 2)
          : digits;
      const t = parseTarget(`+${digits}1234567`);
      expect(t.cc, digits).toBe(expected);
      expect(t.cc + t.nsn).toBe(`${digits}1234567`);
    }
  });

  it('a number written after 00 or 011 and another country’s code of any length is refused', () => {
    for (const code of ['44', '33', '49', '353', '971', '880']) {
      expect(us.replace(`00${code} 1 555 123 4567`, toUs), code).toBe(`00${code} 1 555 123 4567`);
      expect(us.replace(`011 ${code} 1 555 123 4567`, toUs), code).toBe(`011 ${code} 1 555 123 4567`);
    }
  });
});

// 500 US numbers, +15551000000 + 1999·i: the same national length as the single target, so any
// work that grew with the number of targets would show in the counts below.
const numbers = Array.from({ length: 500 }, (_, i) => `+1555${String(1000000 + 1999 * i).padStart(7, '0')}`);
const written = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const one = createNumberMatcher([numbers[0]!]);
const many = createNumberMatcher(numbers);
const tracking = (i: number) => `+1888${String(1000000 + i).padStart(7, '0')}`;

// The texts a page holds: prose, digits that are no target, a target among other digits.
const TEXTS = [
  'Open Monday to Friday, 9–5. Free parking behind the shop, order 12345 or ISBN 978-0-306-40615-7.',
  'Order 555-123-9999, ref 123-4567, call 555 999 0000 or 2024-01-05',
  `Call ${written(numbers[0]!)} today, or fax 555-999-0000 (order 123456789012345).`,
  `tel:${numbers[0]}`,
];

interface Work {
  /** Regular-expression executions (every test, match and replace runs `exec`). */
  execs: number;
  /**
   * The length of the patterns executed, summed: what the engine may try at each position of the
   * text grows with it (one alternation of every target would grow with their number).
   */
  size: number;
  /** Map look-ups (the national numbers, and the built patterns). */
  lookups: number;
}

// Counts the work one call does, by the calls it makes to the engine's own `exec` and `Map#get`.
const work = (fn: () => unknown): Work => {
  const exec = vi.spyOn(RegExp.prototype, 'exec');
  const get = vi.spyOn(Map.prototype, 'get');
  try {
    fn();
    const size = exec.mock.contexts.reduce<number>((n, re) => n + (re as RegExp).source.length, 0);
    return { execs: exec.mock.calls.length, size, lookups: get.mock.calls.length };
  } finally {
    exec.mockRestore();
    get.mockRestore();
  }
};

describe('matching cost does not grow with the number of targets', () => {
  afterEach(() => vi.restoreAllMocks());

  const calls: Array<[string, (m: NumberMatcher, text: string) => unknown]> = [
    ['maybe', (m, text) => m.maybe(text)],
    ['test', (m, text) => m.test(text)],
    ['replace', (m, text) => m.replace(text, () => tracking(0))],
    ['replaceHref', (m, text) => m.replaceHref(text, () => tracking(0))],
  ];

  it.each(calls)('%s: the same regular-expression runs and look-ups with 500 targets as with one', (_, call) => {
    for (const text of TEXTS) {
      // (Once before counting: a pattern built on first use is then cached alike in both. Then
      // another text: the counted call reads this one afresh.)
      for (const m of [one, many]) {
        call(m, text);
        call(m, 'none');
      }
      const single = work(() => call(one, text));
      const five = work(() => call(many, text));
      expect(five, text).toEqual(single);
      expect(single.execs, text).toBeGreaterThan(0);
    }
  });

  it('a text with no digit run costs one pre-filter run and no look-up, however many targets', () => {
    const text = 'Open Monday to Friday; free parking behind the shop.';
    expect(work(() => many.maybe(text))).toEqual(work(() => one.maybe(text)));
    expect(work(() => many.maybe(text))).toMatchObject({ execs: 1, lookups: 0 });
  });

  it('every one of 500 targets is found and gets its own number', () => {
    const pick = (t: { e164: string }) => tracking(numbers.indexOf(t.e164));
    for (const i of [0, 1, 249, 250, 498, 499]) {
      const n = numbers[i]!;
      expect(many.replace(`Call ${written(n)} now`, pick)).toBe(`Call ${written(tracking(i))} now`);
      expect(many.replaceHref(`tel:${n}`, pick)).toBe(`tel:${tracking(i)}`);
    }
    // Several in one text, in any order; a number that is no target stays.
    const text = `${written(numbers[499]!)} / ${written(numbers[3]!)} / (555) 999-0000`;
    expect(many.replace(text, pick)).toBe(`${written(tracking(499))} / ${written(tracking(3))} / (555) 999-0000`);
  });
});

describe('tel: links with pauses, waits, extensions and parameters: the number is swapped, the rest keeps its bytes', () => {
  it.each([
    ['tel:+15551234567,,123', 'tel:+18889990000,,123'],
    ['tel:+15551234567;ext=123', 'tel:+18889990000;ext=123'],
    ['tel:+1-555-123-4567;phone-context=example.com', 'tel:+18889990000;phone-context=example.com'],
    ['tel:5551234567p123', 'tel:+18889990000p123'],
    ['tel:5551234567w123', 'tel:+18889990000w123'],
    ['tel:555-123-4567P123#', 'tel:+18889990000P123#'],
    ['tel:(555) 123-4567W,9', 'tel:+18889990000W,9'],
    ['tel:5551234567pp', 'tel:+18889990000pp'],
    ['tel:5551234567;123', 'tel:+18889990000;123'],
  ])('%s → %s', (href, out) => expect(us.replaceHref(href, toUs)).toBe(out));

  it('a letter that is no pause (a longer word, a vanity text) is not cut off as one', () => {
    expect(us.replaceHref('tel:5551234567pa', toUs)).toBeUndefined();
    const vanity = createNumberMatcher([{ number: '+15551234567', text: ['1-800-4WAYS'] }]);
    expect(vanity.replaceHref('tel:1-800-4WAYS', toUs)).toBe('tel:+18889990000');
  });
});

describe('sms: links with several recipients: each target among them is swapped, the rest keeps its bytes', () => {
  const two = createNumberMatcher(['+15551234567', '+15557654321']);
  const pick = (t: { e164: string }) => (t.e164 === '+15551234567' ? '+18889990000' : '+17770001111');
  it.each([
    ['sms:+15551234567,+15557654321?body=hi', 'sms:+18889990000,+17770001111?body=hi'],
    ['sms:+15559999999,+15557654321?body=hi', 'sms:+15559999999,+17770001111?body=hi'],
    ['sms:+15551234567;+15557654321?body=hi', 'sms:+18889990000;+17770001111?body=hi'],
    ['sms://+15551234567,+15557654321', 'sms:+18889990000,+17770001111'],
    ['sms:+15551234567, (555) 765-4321&body=hi', 'sms:+18889990000, +17770001111&body=hi'],
    ['sms:5551234567,%20+15557654321?body=a,b;c', 'sms:+18889990000,%20+17770001111?body=a,b;c'],
    ['sms:+15550000000,+15557654321,+15559999999;?&body=x', 'sms:+15550000000,+17770001111,+15559999999;?&body=x'],
  ])('%s → %s', (href, out) => expect(two.replaceHref(href, pick)).toBe(out));

  it('a number after a tel: pause is dialled as tones, not a second number: kept', () => {
    expect(two.replaceHref('tel:+15551234567,+15557654321', pick)).toBe('tel:+18889990000,+15557654321');
  });

  it('nothing to swap among the recipients: undefined', () => {
    expect(two.replaceHref('sms:+15559999999,+15550000000?body=5551234567', pick)).toBeUndefined();
  });
});

describe('numbers written in other digit scripts are found and written back in the same script', () => {
  it.each([
    // Full-width digits, as Japanese pages set numbers.
    ['お電話は (５５５) １２３-４５６７ まで', 'お電話は (８８８) ９９９-００００ まで'],
    ['＋１ ５５５ １２３ ４５６７', '＋１ ８８８ ９９９ ００００'],
    ['+1 ５５５－１２３－４５６７', '+1 ８８８－９９９－００００'],
    // Arabic-Indic and Extended (Persian, Urdu) Arabic-Indic digits, and Devanagari.
    ['اتصل ٥٥٥-١٢٣-٤٥٦٧', 'اتصل ٨٨٨-٩٩٩-٠٠٠٠'],
    ['تماس ۵۵۵ ۱۲۳ ۴۵۶۷', 'تماس ۸۸۸ ۹۹۹ ۰۰۰۰'],
    ['फ़ोन ५५५-१२३-४५६७', 'फ़ोन ८८८-९९९-००००'],
  ])('%s → %s', (page, out) => expect(us.replace(page, toUs)).toBe(out));

  it('the same bounds hold: never inside a longer run of those digits, and other text keeps its digits', () => {
    expect(us.replace('注文 ５５５１２３４５６７８', toUs)).toBe('注文 ５５５１２３４５６７８');
    expect(us.replace('１２/３ ５５５-１２３-４５６７ 〒１００', toUs)).toBe('１２/３ ８８８-９９９-００００ 〒１００');
    expect(us.test('５５５１２３４５６７')).toBe(true);
  });

  it('a different length or country code is written grouped, in the script of the page', () => {
    expect(us.replace('５５５１２３４５６７', () => '+1888999000012')).toBe('８８８９９ ９００ ００１２');
    expect(us.replace('(５５５) １２３-４５６７', () => '+442071234567')).toBe('＋４４ ２０７ １２３ ４５６７');
  });

  it('tel: links with such digits get E.164 in ASCII', () => {
    expect(us.replaceHref('tel:５５５１２３４５６７', toUs)).toBe('tel:+18889990000');
  });
});
