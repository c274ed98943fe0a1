// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://shop.example.com/deep/page" }
import { afterEach, describe, expect, it } from 'vitest';
import { createCookieStorage } from '../../../src/storage/cookie-storage';

const RECORD = '1~1~abcdefghij~x~y~b~0~analytics:1';

afterEach(() => {
  for (const pair of document.cookie.split('; ')) {
    const name = pair.split('=')[0]!;
    for (const domain of ['', ';domain=example.com'])
      for (const path of ['/', '/deep', '/deep/']) document.cookie = `${name}=;max-age=-1;path=${path}${domain}`;
  }
});

describe('createCookieStorage on http (no prefixes possible)', () => {
  it('writes the unprefixed name, and every copy, wherever it is, counts as current', () => {
    const storage = createCookieStorage({ name: 'c' });
    storage.write(RECORD, Date.now() + 86_400_000);
    expect(document.cookie).toBe(`c=${encodeURIComponent(RECORD).replace(/%7C|%3A/g, decodeURIComponent)}`);
    document.cookie = 'c=tossed; path=/; domain=example.com';
    expect(storage.readCopies!()).toEqual([
      { value: RECORD, source: 'current' },
      { value: 'tossed', source: 'current' },
    ]);
  });

  it('a new decision sticks beside a tossed copy: the copies in the way are deleted, on the parent domain and on this path', () => {
    document.cookie = 'c=tossed; path=/; domain=example.com';
    document.cookie = 'c=deeper; path=/deep/';
    const storage = createCookieStorage({ name: 'c' });
    storage.write(RECORD, Date.now() + 86_400_000);
    expect(storage.readCopies!()).toEqual([{ value: RECORD, source: 'current' }]);
    expect(createCookieStorage({ name: 'c' }).read()).toBe(RECORD);
  });
});
