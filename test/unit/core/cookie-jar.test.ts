import { describe, expect, it } from 'vitest';
import {
  consentCookieNames,
  cookieSources,
  domainAttributes,
  pathAttributes,
  readCookieValues,
} from '../../../src/core/cookie-jar';

describe('cookieSources', () => {
  it('http: the plain name only, believed as current', () => {
    expect(cookieSources('c', false, false)).toEqual({ c: 'current' });
    expect(cookieSources('c', false, true)).toEqual({ c: 'current' });
  });

  it("https: __Host- is written; the plain name is this site's older one; __Secure- may be a sibling's", () => {
    const sources = cookieSources('c', true, false);
    expect(Object.keys(sources)[0]).toBe('__Host-c');
    expect(sources).toEqual({ '__Host-c': 'current', c: 'legacy', '__Secure-c': 'foreign' });
  });

  it("https with a domain: __Secure- is written, and every other name is this site's own", () => {
    const sources = cookieSources('c', true, true);
    expect(Object.keys(sources)[0]).toBe('__Secure-c');
    expect(sources).toEqual({ '__Secure-c': 'current', '__Host-c': 'legacy', c: 'legacy' });
  });
});

describe('consentCookieNames', () => {
  it('is every name the consent cookie may have', () => {
    expect(consentCookieNames('c')).toEqual(['c', '__Host-c', '__Secure-c']);
  });
});

describe('readCookieValues', () => {
  it('reads every value of exactly that name, decoded, from document.cookie or a Cookie header', () => {
    expect(readCookieValues('a=1; c=x%7Ey; cc=2; c=3;xc=4', 'c')).toEqual(['x~y', '3']);
    expect(readCookieValues('c=', 'c')).toEqual(['']);
    expect(readCookieValues('', 'c')).toEqual([]);
    expect(readCookieValues('=c; c', 'c')).toEqual([]);
  });

  it('keeps a value that cannot be decoded as \\u0000, so it counts as a bad copy', () => {
    expect(readCookieValues('c=%E0%A4%A', 'c')).toEqual(['\u0000']);
  });
});

describe('domainAttributes', () => {
  it('is no domain (this host only), then the host and each parent domain', () => {
    expect(domainAttributes('a.shop.example.com')).toEqual([
      '',
      ';domain=a.shop.example.com',
      ';domain=shop.example.com',
      ';domain=example.com',
      ';domain=com',
    ]);
    expect(domainAttributes('localhost')).toEqual(['', ';domain=localhost']);
  });
});

describe('pathAttributes', () => {
  it('is `/` and each prefix of the path, with and without a trailing slash', () => {
    expect(pathAttributes('/blog/post')).toEqual(['/', '/blog', '/blog/', '/blog/post', '/blog/post/']);
    expect(pathAttributes('/blog/')).toEqual(['/', '/blog', '/blog/']);
    expect(pathAttributes('/')).toEqual(['/']);
    expect(pathAttributes('//a//b')).toEqual(['/', '/a', '/a/', '/a/b', '/a/b/']);
  });

  it('stops before a segment holding `;`, which no cookie path can hold and would end the attribute', () => {
    expect(pathAttributes('/a;max-age=99999999/b')).toEqual(['/']);
    expect(pathAttributes('/shop/item;jsessionid=1/x')).toEqual(['/', '/shop', '/shop/']);
  });
});
