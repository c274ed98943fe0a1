// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createNumberMatcher } from '../../../src/dni/match';
import { createSwapper } from '../../../src/dni/swap';

const us = createNumberMatcher(['+15551234567']);
const toUs = () => '+18889990000';

describe('tel: links', () => {
  it.each(['tel: 555-123-4567', 'tel: +1 555 123 4567', 'tel:%20+15551234567', 'tel://5551234567'])('%j is rewritten', (h) => {
    expect(us.replaceHref(h, toUs)).toBe('tel:+18889990000');
  });

  it('in the page: the text shows the tracking number, so must the link', async () => {
    document.body.innerHTML = `<a id="a" href="tel: 555-123-4567">555-123-4567</a>`;
    const s = createSwapper(us, { pick: toUs });
    s.apply();
    await new Promise((r) => setTimeout(r, 0));
    const a = document.getElementById('a')!;
    try {
      expect(a.textContent).toBe('888-999-0000');
      expect(a.getAttribute('href')).toBe('tel:+18889990000');
    } finally {
      s.restore();
    }
  });
});
