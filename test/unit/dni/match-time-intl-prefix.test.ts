import { describe, expect, it } from 'vitest';
import { createNumberMatcher } from '../../../src/dni/match';

const us = createNumberMatcher(['+15551234567']);
const toGb = () => '+442071234567';

// Left as it was (also in 868263c): the "00" ending a time is read as the international prefix
// 00 + country code 1; with a tracking number of the same country the head is written back as it
// was (invisible), but with another country's the head is replaced and the page's "00" is eaten.
describe('a time before a number, tracking number of another country', () => {
  it('"Open until 6:00 1-555-123-4567" keeps its 6:00', () => {
    expect(us.replace('Open until 6:00 1-555-123-4567', toGb)).toMatch(/^Open until 6:00 /);
  });
});
