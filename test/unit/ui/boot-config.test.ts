import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/config';
import { readUiConfig } from '../../../src/entries/boot/ui';
import { enUi } from '../../../src/ui/i18n/en';

/** The warnings the script tag prints for this configuration's `ui` section. */
const uiWarnings = (raw: Record<string, unknown>, packs?: unknown): string[] => {
  const warnings: string[] = [];
  const warn = (message: string) => void warnings.push(message);
  readUiConfig(validateConfig(raw, warn), warn, packs);
  return warnings;
};

describe('the script tag’s ui section', () => {
  it('warns about a string key no text of the UI has, naming it', () => {
    expect(uiWarnings({ ui: { strings: { titel: 'Cookies', accept: 'OK' } } })).toEqual([
      'ui.strings.titel: unknown key, ignored',
    ]);
  });

  it('takes the UI’s strings, the placeholders’ and a label and text for every category, built-in or the site’s', () => {
    const strings = {
      title: 'T',
      saved: 'S',
      blocked: 'B',
      load: 'L',
      optedOut: 'O',
      social: 'Social',
      socialText: 'About social',
      chat: 'Chat',
      chatText: 'About chat',
    };
    expect(uiWarnings({ categories: { chat: {} }, ui: { strings } })).toEqual([]);
  });

  it('warns about a cookie table for a category the site does not have, naming it', () => {
    const row = [{ name: '_ga' }];
    expect(
      uiWarnings({ categories: { chat: {} }, ui: { cookieTable: { analytcs: row, analytics: row, chat: row } } }),
    ).toEqual(['ui.cookieTable.analytcs: unknown category, ignored']);
  });

  it('warns about a forced language the page has no pack for, naming the option and the file', () => {
    expect(uiWarnings({ ui: { lang: 'fr-CA', strings: { title: 'Témoins' } } })).toEqual([
      'ui.lang: no i18n/fr.js before the SDK, so texts not in ui.strings are in another language',
    ]);
    expect(uiWarnings({ ui: { lang: 'fr' } }, { fr: { title: 'Cookies' } })).toEqual([]);
    expect(uiWarnings({ ui: { lang: 'en-GB' } })).toEqual([]);
    // The page's window.ConsentlineLangs may be anything.
    for (const packs of [null, 7, 'fr']) expect(uiWarnings({ ui: { lang: 'fr' } }, packs)).toHaveLength(1);
    expect(uiWarnings({ ui: { lang: 'he', strings: { ...enUi } } })).toEqual([]);
  });
});
