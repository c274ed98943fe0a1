// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://shop.example.com/page" }
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../../src/core/config';
import { clearCookies } from '../../../src/ui/cookies';

const RECORD = '1~1~abcdefghij~mxb9ucaa~ncsjluky~o~0~analytics:1|advertising:0|social:0';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Names `clearCookies` deletes from a jar of `jar`. */
function clearedFrom(jar: string, patterns: string[]): string[] {
  const deleted = new Set<string>();
  vi.spyOn(document, 'cookie', 'get').mockReturnValue(jar);
  vi.spyOn(document, 'cookie', 'set').mockImplementation((v: string) => {
    deleted.add(v.split('=')[0]!);
  });
  clearCookies(patterns);
  vi.restoreAllMocks();
  return [...deleted].sort();
}

describe('clearCookies', () => {
  it('never clears the consent cookie, whatever pattern covers its name or prefix', () => {
    const jar = `ads_consent=${RECORD}; ads_id=1; keep=1; __Host-ads_consent=${RECORD}`;
    expect(clearedFrom(jar, ['ads_*'])).toEqual(['ads_id']);
    expect(clearedFrom(jar, ['*'])).toEqual(['ads_id', 'keep']);
    expect(clearedFrom(jar, ['__Host-*', 'ads_consent'])).toEqual([]);
  });

  it('keeps a name that holds a record even beside a junk copy of it (a sibling cannot get it deleted)', () => {
    expect(clearedFrom(`ads_consent=junk; ads_consent=${RECORD}`, ['ads_*'])).toEqual([]);
  });

  it('still clears a matching cookie whose value only looks a little like a record', () => {
    expect(clearedFrom('ads_x=1~2; ads_y=abc~1~x~; ads_z=', ['ads_*'])).toEqual(['ads_x', 'ads_y', 'ads_z']);
  });
});

describe('validateConfig', () => {
  const warningsFor = (raw: unknown) => {
    const warnings: string[] = [];
    validateConfig(raw, (m) => warnings.push(m));
    return warnings;
  };

  it('warns when a category pattern covers the consent cookie, under any of its names', () => {
    expect(warningsFor({ cookieName: 'ads_consent', categories: { advertising: { cookies: ['ads_*', '_gcl_au'] } } })).toEqual([
      'categories.advertising.cookies: "ads_*" covers the consent cookie "ads_consent", which is never cleared',
    ]);
    expect(warningsFor({ categories: { analytics: { cookies: ['consentline'] }, social: { cookies: ['__Host-*'] } } })).toEqual([
      'categories.analytics.cookies: "consentline" covers the consent cookie "consentline", which is never cleared',
      'categories.social.cookies: "__Host-*" covers the consent cookie "__Host-consentline", which is never cleared',
    ]);
  });

  it('says nothing when no pattern covers it', () => {
    expect(warningsFor({ cookieName: 'cl', categories: { advertising: { cookies: ['ads_*', 'c'] } } })).toEqual([]);
  });
});
