import { describe, expect, it } from 'vitest';
import { createNumberMatcher } from '../../../src/dni/match';

const us = createNumberMatcher(['+15551234567']);
const toUs = () => '+18889990000';
const toGb = () => '+442071234567';

describe('match.ts regressions', () => {
  // AFTER/BEFORE now treat every Unicode dash like a hyphen: an em dash used as punctuation
  // (US style, no spaces) next to a word or "24/7" hides the number. b6acc7c swapped both.
  it('em dash as punctuation next to a number still lets it be swapped', () => {
    expect(us.replace('Call 555-123-4567\u2014we answer 24/7', toUs)).toBe('Call 888-999-0000\u2014we answer 24/7');
    expect(us.replace('Open 24/7\u2014(555) 123-4567', toUs)).toBe('Open 24/7\u2014(888) 999-0000');
  });

  // The `keep` path bypasses BEFORE's "+CC just before = another country's number" guard: a
  // Paris number whose digits after the trunk 1 equal the target is rewritten. b6acc7c kept it.
  it('another country’s number (+33 1 55 51 23 45 67) is not the target', () => {
    expect(us.replace('Paris: +33 1 55 51 23 45 67', toUs)).toBe('Paris: +33 1 55 51 23 45 67');
    expect(us.replace('+33 1 555 123 4567', toUs)).toBe('+33 1 555 123 4567');
  });

  // keep = head includes the "(" that S4 swallowed; with a tracking number of another country
  // the layout is dropped but the "(" stays: an unbalanced parenthesis.
  it('a kept prefix does not leave a stray "(" when the tracking number is another country’s', () => {
    // (the same number without the suite: no parenthesis left either)
    expect(us.replace('Suite 10 (555) 123-4567', toGb)).toBe('Suite 10 +44 207 123 4567');
    expect(us.replace('Suite 101 (555) 123-4567', toGb)).toBe('Suite 101 +44 207 123 4567');
  });
});
