// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { createNumberMatcher } from '../../../src/dni/match';
import { MAX_TARGETS, MAX_VANITY, startDni } from '../../../src/entries/boot/dni';
import { recordFigures } from '../../support/figures';

const us = createNumberMatcher(['+15551234567']);
const toUs = () => '+18889990000';

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
    const number = fc.constantFrom('+15551234567', '%2B15551234567', '+1%20555%20123%204567', '(555)%20123-4567', '555%E2%80%93123%E2%80%934567');
    // (Never a letter or digit right after the number: that would make it part of a longer word.)
    const escaped = ['%26', '%3D', '%3F', '%3B', '%25', '%23', '%2C', '%E2%80%94', '%F0%9F%93%9E', '%20'];
    const tail = fc
      .tuple(fc.constantFrom(...escaped), fc.array(fc.constantFrom(...escaped, 'body', '&', '=', '?', ';', ','), { maxLength: 8 }))
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

describe('script-tag DNI config past its limits keeps what fits and says so', () => {
  const e164 = (i: number) => `+1555${String(1000000 + i).padStart(7, '0')}`;
  const boot = (dni: Record<string, unknown>, store = createConsentStore()) => {
    const warnings: string[] = [];
    const stop = startDni({ config: { dni }, store, api: {}, warn: (m) => warnings.push(m), early: { gpc: false } });
    return { warnings, stop };
  };

  it(`${MAX_TARGETS} targets and a rule map of ${MAX_TARGETS} entries: no warning, every one swapped`, async () => {
    const targets = Array.from({ length: MAX_TARGETS }, (_, i) => e164(i));
    const number = Object.fromEntries(targets.map((t, i) => [t, `+1888${String(1000000 + i).padStart(7, '0')}`]));
    document.body.innerHTML = `<p id="a">555-100-0000</p><p id="b">555-100-0249</p><p id="c">555-100-0499</p>`;
    const store = createConsentStore();
    const { warnings, stop } = boot({ targets, rules: [{ direct: true, number }] }, store);
    expect(warnings).toEqual([]);
    store.acceptAll();
    await vi.waitFor(() => expect(['a', 'b', 'c'].map((id) => document.getElementById(id)!.textContent)).toEqual(['888-100-0000', '888-100-0249', '888-100-0499']));
    stop();
    localStorage.clear();
  });

  it('more targets, map entries, rules, vanity texts, click ids than allowed: the first ones kept, one warning each naming the count', () => {
    const targets = [
      ...Array.from({ length: 30 }, (_, i) => ({ number: e164(i), text: ['1-800-A', '1-800-B', '1-800-C', '1-800-D'] })),
      ...Array.from({ length: 582 }, (_, i) => e164(30 + i)),
    ];
    const map = Object.fromEntries(Array.from({ length: 612 }, (_, i) => [e164(i), '+18889990000']));
    const rules = [{ direct: true, number: map }, ...Array.from({ length: 59 }, () => ({ direct: true }))];
    const { warnings, stop } = boot({ targets, rules, clickIds: Array.from({ length: 25 }, (_, i) => `id${i}`) });
    stop();
    expect(warnings).toEqual([
      `dni.targets: 612 given, the first ${MAX_TARGETS} kept`,
      `dni.targets: 120 vanity texts given, the first ${MAX_VANITY} kept`,
      `dni.rules: 60 given, the first 50 kept`,
      `dni.rules[0].number: 612 given, the first ${MAX_TARGETS} kept`,
      `dni.clickIds: 25 given, the first 20 kept`,
    ]);
  });

  it('a vanity list past its 5 texts keeps the first 5', () => {
    const { warnings, stop } = boot({ targets: [{ number: e164(0), text: ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'] }] });
    stop();
    expect(warnings).toEqual(['dni.targets[0].text: 6 given, the first 5 kept']);
  });
});
