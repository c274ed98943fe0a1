import { describe, expect, it } from 'vitest';
import { directionOf, rtlLanguages } from '../../../src/ui/i18n/direction';
import { CSS } from '../../../src/ui/styles';

describe('writing direction', () => {
  it('lists for CSS every primary subtag it lays out right to left, and only those', () => {
    const listed = rtlLanguages();
    expect(listed).toEqual([
      'ar',
      'arc',
      'ckb',
      'dv',
      'fa',
      'he',
      'iw',
      'ji',
      'ks',
      'nqo',
      'ps',
      'sd',
      'syr',
      'ug',
      'ur',
      'yi',
    ]);
    for (const tag of listed) expect([directionOf(tag), directionOf(`${tag}-XX`)]).toEqual(['rtl', 'rtl']);
    expect(['en', 'a', 'ara', 'fr-CA', 'az-Latn'].map(directionOf)).toEqual(['ltr', 'ltr', 'ltr', 'ltr', 'ltr']);
    expect(directionOf('az-Arab')).toBe('rtl');
  });

  it("gives the server copy without a `dir` the direction of the language it inherits, every declaration kept from the page's", () => {
    const rule = CSS.split('\n').find((line) => line.includes(':lang('));
    expect(rule).toBe(
      `#consentline.cp:not([dir]):is(${rtlLanguages()
        .map((t) => `:lang(${t})`)
        .join()}){direction:rtl!important;}`,
    );
  });
});
