// The demo site's pages as the script tag reads them: a page that gives the UI its own strings (in
// a language the SDK has no pack for) gives every one, so no English shows up on it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/ui/i18n/en';

const SITE = new URL('../../../demo/site/', import.meta.url);
const CONFIG = /<script type="application\/json" id="consentline-config">([\s\S]*?)<\/script>/;

/** The `ui.strings` each page of the demo site gives, by file name. */
const stringSets = readdirSync(SITE)
  .filter((file) => file.endsWith('.html'))
  .flatMap((file) => {
    const config = CONFIG.exec(readFileSync(new URL(file, SITE), 'utf8'))?.[1];
    const strings = config && (JSON.parse(config) as { ui?: { strings?: Record<string, string> } }).ui?.strings;
    return strings ? [[file, strings] as const] : [];
  });

describe('demo pages that give the UI strings', () => {
  it('include the right-to-left page', () => {
    expect(stringSets.map(([file]) => file)).toContain('rtl.html');
  });

  it.each(stringSets)('%s gives every string the English has', (_file, strings) => {
    expect(Object.keys(en).filter((key) => !strings[key])).toEqual([]);
  });
});
