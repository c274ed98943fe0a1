import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNumberMatcher, formatLike, groupDigits } from '../../../src/dni/match';
import { recordFigures } from '../../support/figures';

const us = createNumberMatcher(['+15551234567']);
const gb = createNumberMatcher(['+442079460958']);
const ru = createNumberMatcher(['+74951234567']);
const toUs = () => '+18889990000';
const toGb = () => '+442071234567';

describe('format by example (the issue table)', () => {
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

describe('wider corpus', () => {
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

  it('RU traps: a longer run, another trunk glued on', () => {
    for (const text of ['+7 495 123 45 678', '184951234567', '04951234567', '84951234567x']) expect(ru.replace(text, () => '+74957654321')).toBe(text);
  });

  it('GB traps: another trunk, other numbers', () => {
    for (const text of ['120 7946 0958', '+1 20 7946 0958', '020 7946 09581', '+44 20 7946 0959']) expect(gb.replace(text, toGb)).toBe(text);
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
    const map: Record<string, string> = { '+15551234567': '+18889990000', '+15551234568': '+18889990001', '+442079460958': '+442071234567' };
    expect(m.replace('555-123-4567 / 555-123-4568 / +44 20 7946 0958', (t) => map[t.e164])).toBe('888-999-0000 / 888-999-0001 / +44 20 7123 4567');
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
    for (const text of ['1-800-FLOWER', '1 800 FLOWERS', '1-800-FL0WERS']) expect(m.replace(text, () => '+18889990000')).toBe(text);
  });

  it('hrefs: tel and sms with escapes and parameters; others untouched', () => {
    expect(us.replaceHref('tel:+1%20555%20123%204567', toUs)).toBe('tel:+18889990000');
    expect(us.replaceHref('sms:+15551234567?body=hi', toUs)).toBe('sms:+18889990000?body=hi');
    expect(us.replaceHref('TEL:(555) 123-4567;ext=12', toUs)).toBe('TEL:+18889990000;ext=12');
    expect(us.replaceHref('tel:5551234568', toUs)).toBeUndefined();
    expect(us.replaceHref('https://x.example/5551234567', toUs)).toBeUndefined();
    expect(us.replaceHref('tel:%E0%A4%A', toUs)).toBeUndefined();
    // Only the number is read and written: the rest of the URI stays byte for byte.
    expect(us.replaceHref('sms:+15551234567?body=Tom%26Jerry%20%23deal%2050%25', toUs)).toBe('sms:+18889990000?body=Tom%26Jerry%20%23deal%2050%25');
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
    expect(us.replace('Springfield, IL 62701\n          555-123-4567', toUs)).toBe('Springfield, IL 62701\n          888-999-0000');
    expect(us.replace('Suite 101 -       555.123.4567', toUs)).toBe('Suite 101 -       888.999.0000');
    expect(gb.replace('Unit 10\n          (020) 7946 0958', toGb)).toBe('Unit 10\n          (020) 7123 4567');
  });

  it('rejects a target that is not E.164', () => {
    expect(() => createNumberMatcher(['555-123-4567'])).toThrow(/targets/);
  });
});

describe('property: the swap changes nothing but a target’s digits', () => {
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
  const noise = fc.array(fc.constantFrom('Call ', 'or ', ', ', '. ', 'order 12345 ', '2024-01-05 ', 'ISBN 978-0-306-40615-7 ', '\n', '(', ') ', 'x', 'é '), { maxLength: 6 }).map((a) => a.join(''));

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
    fc.assert(
      fc.property(noise, written, noise, fc.boolean(), (a, num, b, glue) => {
        for (const [m, text] of [[us, `${a} ${num} ${b}`], [vanity, `${a}1-800-FLOWERS or 020 7946 0958${b}`]] as const) {
          if (m.test(text)) expect(m.maybe(glue ? `7${text}9` : text)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    expect(us.maybe('no number here, 2024-01-05')).toBe(false);
    expect(us.maybe('Order 555-123-9999, ref 123-4567')).toBe(false);
    expect(us.maybe('a (555) 123-4567 b')).toBe(true);
  });

  it('text without a target is returned unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -.()+/x#\u00a0abc'.split('')), maxLength: 40 }), (text) => {
        const out = us.replace(text, toUs);
        const digits = (s: string) => s.replace(/\D/g, '');
        if (!digits(text).includes('5551234567')) expect(out).toBe(text);
        expect(out.length).toBe(text.length);
      }),
      { numRuns: 5000 },
    );
    recordFigures('dni: text without a target (trap corpus)', { cases: 5000 });
  });
});
