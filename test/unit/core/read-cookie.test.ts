// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://shop.example.com/page" }
// The server's reading of a Cookie header is the browser store's reading of the same cookies.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeDecision } from '../../../src/core/decision';
import { readConsentCookie } from '../../../src/core/read-cookie';
import type { ReadConsentCookieOptions } from '../../../src/core/read-cookie';
import { createConsentStore } from '../../../src/core/store';
import type { CategoryInput, Decision } from '../../../src/core/types';
import { createCookieStorage } from '../../../src/storage/cookie-storage';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const now = () => NOW;

let serial = 0;
function record(grants: Record<string, boolean>, { age = DAY, days = 0, revision = 1 } = {}): string {
  const granting = Object.values(grants).some(Boolean);
  const time = NOW - age;
  const decision: Decision = {
    schema: 1,
    revision,
    id: `rec${String(++serial).padStart(8, '0')}`,
    time,
    expires: time + (days || (granting ? 395 : 182)) * DAY,
    grants,
    method: 'banner',
    gpc: false,
    regime: 'opt-in' as const,
  };
  return encodeDecision(decision);
}

const ALL = { analytics: true, advertising: true, social: true };
const NONE = { analytics: false, advertising: false, social: false };
const PARTIAL = { analytics: true, advertising: false, social: false };

// One cookie as the browser would have it: the name, the value and where it was set.
interface JarCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
}

interface Case {
  title: string;
  cookies: JarCookie[];
  options?: ReadConsentCookieOptions;
}

const host = (value: string, name = '__Host-consentline'): JarCookie => ({ name, value });

const cases: Case[] = [
  { title: 'no cookie', cookies: [] },
  { title: 'accept all', cookies: [host(record(ALL))] },
  { title: 'reject all', cookies: [host(record(NONE))] },
  { title: 'partial', cookies: [host(record(PARTIAL))] },
  { title: 'junk', cookies: [host('not-a-decision')] },
  { title: 'undecodable', cookies: [host('%E0%A4%A')] },
  { title: 'from another schema', cookies: [host(record(ALL).replace(/^1~/, '2~'))] },
  { title: 'expired', cookies: [host(record(ALL, { age: 400 * DAY }))] },
  { title: 'from another revision', cookies: [host(record(ALL, { revision: 1 }))], options: { revision: 2 } },
  { title: 'lifetime longer than allowed', cookies: [host(record(NONE, { days: 300 }))] },
  {
    title: 'two copies: the refusal on the parent domain wins',
    cookies: [host(record(ALL)), { name: 'consentline', value: record(NONE), domain: 'example.com' }],
  },
  {
    title: 'two copies: a sibling grant on the parent domain cannot grant alone',
    cookies: [{ name: 'consentline', value: record(ALL), domain: 'example.com' }],
  },
  {
    title: 'two copies: a sibling __Secure- grant on the parent domain cannot grant alone',
    cookies: [{ name: '__Secure-consentline', value: record(ALL), domain: 'example.com' }],
  },
  {
    title: 'two copies: accept and partial read as partial',
    cookies: [host(record(ALL)), { name: '__Secure-consentline', value: record(PARTIAL), domain: 'example.com' }],
  },
  {
    title: 'junk beside a grant reads as no decision in opt-in',
    cookies: [host(record(ALL)), { name: 'consentline', value: 'junk', domain: 'example.com' }],
  },
  { title: 'opt-out regime, no cookie', cookies: [], options: { regime: 'opt-out' } },
  {
    title: 'opt-out regime, junk beside a partial',
    cookies: [host(record(PARTIAL)), { name: 'consentline', value: 'junk', domain: 'example.com' }],
    options: { regime: 'opt-out' },
  },
  { title: 'GPC over an accept', cookies: [host(record(ALL))], options: { gpc: true } },
  {
    title: 'custom categories',
    cookies: [host(record({ ...PARTIAL, chat: true }))],
    options: { categories: [{ id: 'chat', saleShare: true }] as CategoryInput[] },
  },
  {
    title: 'custom categories the cookie does not cover',
    cookies: [host(record(ALL))],
    options: { categories: [{ id: 'chat' }] },
  },
  { title: 'another name', cookies: [host(record(ALL), '__Host-site')], options: { name: 'site' } },
  {
    title: 'a shared domain',
    cookies: [{ name: '__Secure-consentline', value: record(PARTIAL), domain: 'example.com' }],
    options: { domain: 'example.com' },
  },
  {
    title: 'a shared domain with an older host copy that grants more',
    cookies: [{ name: '__Secure-consentline', value: record(PARTIAL), domain: 'example.com' }, host(record(ALL))],
    options: { domain: 'example.com' },
  },
];

const setCookie = (c: JarCookie) => {
  // Raw, as js-cookie writes a record (every character of it is allowed in a cookie value).
  document.cookie = `${c.name}=${c.value}; path=${c.path ?? '/'}; secure${c.domain ? `; domain=${c.domain}` : ''}`;
};

const clearJar = () => {
  for (const pair of document.cookie.split('; ').filter(Boolean)) {
    const name = pair.split('=')[0]!;
    for (const domain of ['', ';domain=example.com'])
      for (const path of ['/', '/page']) document.cookie = `${name}=;max-age=-1;path=${path}${domain};secure`;
  }
};

afterEach(clearJar);

describe('readConsentCookie equals the browser store on the same cookies (https)', () => {
  it.each(cases)('$title', ({ cookies, options = {} }) => {
    for (const c of cookies) setCookie(c);
    // What a request from this page carries: the Cookie header is document.cookie's jar.
    const header = document.cookie;
    expect(header.split('; ').filter(Boolean)).toHaveLength(cookies.length);
    const server = readConsentCookie(header, { ...options, now });
    const { name, domain, secure: _secure, ...storeOptions } = options;
    const storage = createCookieStorage({ ...(name ? { name } : {}), ...(domain ? { domain } : {}) });
    const browser = createConsentStore({ ...storeOptions, storage, now }).get();
    expect(server).toEqual(browser);
  });
});

describe('readConsentCookie on its own', () => {
  it('reads no header, null and an empty header as no decision', () => {
    for (const header of [undefined, null, '']) {
      const state = readConsentCookie(header, { now });
      expect(state.decision).toBeNull();
      expect(state.needsDecision).toBe(true);
      expect(state.grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
    }
  });

  it('reads a header written without spaces after the semicolons', () => {
    const value = record(PARTIAL);
    expect(readConsentCookie(`a=1;__Host-consentline=${value};b=2`, { now }).grants.analytics).toBe(true);
  });

  it('reads the unprefixed name on http (secure: false) and ignores it on https', () => {
    const header = `consentline=${record(ALL)}`;
    expect(readConsentCookie(header, { secure: false, now }).grants.advertising).toBe(true);
    // On https a header cannot tell a sibling subdomain's cookie from this host's old one.
    expect(readConsentCookie(header, { now }).decision).toBeNull();
  });

  it('takes a refusal from an unprefixed copy on https', () => {
    const header = `__Host-consentline=${record(ALL)}; consentline=${record(NONE)}`;
    expect(readConsentCookie(header, { now }).grants).toEqual({
      necessary: true,
      analytics: false,
      advertising: false,
      social: false,
    });
  });

  it('throws, as the store does, on a configuration mistake', () => {
    expect(() => readConsentCookie('', { regime: 'opt-maybe' as 'opt-in' })).toThrow(/regime/);
    expect(() => readConsentCookie('', { categories: [{ id: 'Bad Id' }] })).toThrow(/category id/);
  });

  it('never throws on a hostile header', () => {
    for (const header of [
      '=;=;;',
      '__Host-consentline',
      '__Host-consentline=%',
      'x'.repeat(100_000),
      '__proto__=1; constructor=2',
    ]) {
      expect(readConsentCookie(header, { now }).decision).toBeNull();
    }
  });
});
