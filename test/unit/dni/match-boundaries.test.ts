import { describe, expect, it } from 'vitest';
import { createNumberMatcher } from '../../../src/dni/match';

const us = createNumberMatcher(['+15551234567']);
const gb = createNumberMatcher(['+442079460958']);
const jp = createNumberMatcher(['+81312345678']);
const toUs = () => '+18889990000';
const toGb = () => '+442071234567';

describe('matching', () => {
  // A digit 1 (NANP trunk) / 00 before the number is taken as a prefix; BEFORE then rejects the
  // whole match and the engine never retries at the national number.
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

describe('punctuation, other countries, kept text before a number', () => {
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
  // Control (passes): the "+CC " form is refused.
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
  it('the time case the colon was added for still keeps its 6:00', () => {
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
  it.each([
    ['Line 2:(020) 7946 0958', 'Line 2:(020) 7123 4567'],
  ])('%j is swapped', (page, out) => expect(gb.replace(page, toGb)).toBe(out));
});

describe('another country\'s prefix written with any separator the matcher accepts is refused', () => {
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
    'control (passes): the same numbers written with "+" are refused: %j',
    (t) => expect(us.replace(t, toUs)).toBe(t),
  );

  // 00 after punctuation is an international prefix, as +44 is: these are numbers of another country.
  it.each(['Tel/0044 1 555 123 4567', 'Tel,0044 1 555 123 4567', '"0044 1 555 123 4567', 'Fax\u20140044 1 555 123 4567'])(
    'refused after "/", ",", a quote or an em dash: %j',
    (t) => expect(us.replace(t, toUs)).toBe(t),
  );

  // Same root cause; common German/French writing ("Tel:0049 …").
  it.each(['Tel:0049 555 123 4567', 'Tel.0049 555 123 4567', 'Tel:011 44 1 555 123 4567'])(
    'refused after a label\'s colon or dot: %j',
    (t) => expect(us.replace(t, toUs)).toBe(t),
  );

  it.each([
    ['6:00 1-555-123-4567', '6:00 1-888-999-0000'],
    ['$1,000 (555) 123-4567', '$1,000 (888) 999-0000'],
    ['Due 1/00 1-555-123-4567', 'Due 1/00 1-888-999-0000'],
  ])('control (passes, must keep passing after a fix): %j', (page, out) => expect(us.replace(page, toUs)).toBe(out));
});
