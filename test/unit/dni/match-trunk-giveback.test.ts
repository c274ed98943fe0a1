import { describe, expect, it } from 'vitest';
import { createNumberMatcher } from '../../../src/dni/match';

const us = createNumberMatcher(['+15551234567']);
const toUs = () => '+18889990000';

// ce930cf gives a trunk digit back to the text before only when that text ends in a digit
// (/\d$/). A "1" that ends a range joined by a dash ("9–1"), or follows "#", is taken as the
// trunk prefix, the match is refused as a whole, and String.replace never retries at the
// national number: the real number after it is missed. 868263c swapped all of these.
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

  // Control: what ce930cf meant to refuse stays refused with a narrower guard.
  it('+33 1 555 123 4567 stays another country’s', () => {
    expect(us.replace('+33 1 555 123 4567', toUs)).toBe('+33 1 555 123 4567');
  });
});
