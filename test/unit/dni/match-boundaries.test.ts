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
