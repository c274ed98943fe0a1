import { describe, expect, it } from 'vitest';
import {
  CLICK_IDS,
  formatVisitContext,
  parseVisitContext,
  readVisitContext,
  type Touch,
} from '../../../src/dni/context';
import { classifySource, matchRule, registrableHost, type SourceRule } from '../../../src/dni/source';

const touch = (q: Record<string, string> = {}, r?: string, p = '/'): Touch => ({
  time: 1,
  path: p,
  params: q,
  ...(r ? { referrer: r } : {}),
});
const ctx = (t: Touch) => ({ session: 'abcdefgh12345678', first: t });

describe('registrableHost', () => {
  it.each([
    ['news.bbc.co.uk', 'bbc.co.uk'],
    ['www.google.com', 'google.com'],
    ['www.google.co.uk', 'google.co.uk'],
    ['m.facebook.com', 'facebook.com'],
    ['shop.example.com.au', 'example.com.au'],
    ['a.b.c.example.co.jp', 'example.co.jp'],
    ['localhost', 'localhost'],
    ['co.uk', 'co.uk'],
    ['192.168.1.10', '192.168.1.10'],
    ['[::1]', '[::1]'],
  ])('%s → %s', (h, r) => expect(registrableHost(h)).toBe(r));
});

describe('classifySource', () => {
  it.each([
    [touch({ utm_source: 'Google', utm_medium: 'CPC' }), 'google', 'cpc', 'search'],
    [touch({ utm_source: 'newsletter' }), 'newsletter', '(none)', ''],
    [touch({ gclid: 'x' }), 'google', 'cpc', 'search'],
    [touch({ msclkid: 'x' }), 'bing', 'cpc', 'search'],
    [touch({ fbclid: 'x' }), 'facebook', 'social', 'social'],
    [touch({ ttclid: 'x' }), 'tiktok', 'cpc', 'social'],
    [touch({}, 'www.google.de'), 'google', 'organic', 'search'],
    [touch({}, 'duckduckgo.com'), 'duckduckgo', 'organic', 'search'],
    [touch({}, 'search.yahoo.co.jp'), 'yahoo', 'organic', 'search'],
    [touch({}, 'l.instagram.com'), 'instagram', 'social', 'social'],
    [touch({}, 't.co'), 'x', 'social', 'social'],
    [touch({}, 'lnkd.in'), 'linkedin', 'social', 'social'],
    [touch({}, 'm.youtube.com'), 'youtube', 'social', 'social'],
    [touch({}, 'notgoogle.example'), 'notgoogle.example', 'referral', ''],
    [touch({}, 'google.evil-example.com'), 'evil-example.com', 'referral', ''],
    [touch({}, 'news.bbc.co.uk'), 'bbc.co.uk', 'referral', ''],
    [touch({}, 'x.company.com'), 'company.com', 'referral', ''],
    [touch(), '(direct)', '(none)', ''],
  ])('%j', (t, source, medium, group) => expect(classifySource(t)).toEqual({ source, medium, group }));

  it.each([
    ['gclid', 'google', 'cpc'],
    ['gbraid', 'google', 'cpc'],
    ['wbraid', 'google', 'cpc'],
    ['dclid', 'google', 'cpc'],
    ['msclkid', 'bing', 'cpc'],
    ['fbclid', 'facebook', 'social'],
    ['ttclid', 'tiktok', 'cpc'],
    ['li_fat_id', 'linkedin', 'cpc'],
    ['twclid', 'x', 'cpc'],
  ])('the click id %s names %s (%s)', (id, source, medium) => {
    expect(classifySource(touch({ [id]: 'x' }))).toMatchObject({ source, medium });
  });

  it('every built-in click id names a source', () => {
    for (const id of CLICK_IDS) expect(classifySource(touch({ [id]: 'x' })).source, id).not.toBe('(direct)');
  });

  it('when several click ids are present, the first in the built-in order names the source', () => {
    expect(classifySource(touch({ fbclid: 'x', gclid: 'y' })).source).toBe('google');
    expect(classifySource(touch({ twclid: 'x', msclkid: 'y' })).source).toBe('bing');
  });
});

describe('matchRule: ordered, first match wins', () => {
  const rules: SourceRule[] = [
    { utm_source: 'google', utm_medium: 'cpc', number: '+18880000001' },
    { clickId: 'msclkid', number: '+18880000002' },
    { clickId: '*', number: '+18880000003' },
    { referrer: 'bbc.co.uk', number: '+18880000004' },
    { referrer: 'search', number: '+18880000005' },
    { group: 'social', number: '+18880000006' },
    { path: '/promo', number: '+18880000007' },
    { param: 'ref', number: '+18880000008' },
    { direct: true, number: '+18880000009' },
  ];
  const pick = (t: Touch) => matchRule(rules, ctx(t))?.number;
  it('picks by each kind of condition', () => {
    expect(pick(touch({ utm_source: 'GOOGLE', utm_medium: 'cpc', gclid: 'x' }))).toBe('+18880000001');
    expect(pick(touch({ msclkid: 'x', gclid: 'y' }))).toBe('+18880000002');
    expect(pick(touch({ gclid: 'y' }))).toBe('+18880000003');
    expect(pick(touch({}, 'news.bbc.co.uk'))).toBe('+18880000004');
    expect(pick(touch({}, 'www.bing.com'))).toBe('+18880000005');
    expect(pick(touch({}, 'www.facebook.com'))).toBe('+18880000006');
    expect(pick(touch({}, 'other.example', '/promo/spring'))).toBe('+18880000007');
    expect(pick(touch({ ref: 'a' }, 'other.example'))).toBe('+18880000008');
    expect(pick(touch())).toBe('+18880000009');
    expect(pick(touch({}, 'other.example'))).toBeUndefined();
  });
  it('uses the latest non-direct touch, else the first', () => {
    const c = {
      session: 'abcdefgh12345678',
      first: touch({ utm_source: 'google', utm_medium: 'cpc' }),
      latest: touch({}, 'www.bing.com'),
    };
    expect(matchRule(rules, c)?.number).toBe('+18880000005');
  });
  it('a rule whose number is refused is skipped whole, pool and all: the next matching rule applies', () => {
    const next: SourceRule = { direct: true, number: '+18880000009' };
    for (const number of [
      'call us',
      '18880000001',
      '+1 888 000 0001',
      { '+15551234567': 'call us' },
      { '+15551234567': '+18880000001', '+15557654321': '+0' },
      { 'not a target': '+18880000001' },
      18880000001,
      null,
      ['+18880000001'],
    ])
      expect(
        matchRule([{ direct: true, pool: true, number } as unknown as SourceRule, next], ctx(touch())),
        JSON.stringify(number),
      ).toBe(next);
    // A rule without a number still applies: it keeps the site's own numbers.
    expect(matchRule([{ direct: true }, next], ctx(touch()))).toEqual({ direct: true });
    expect(matchRule([{ direct: true, number: { '+15551234567': '+18880000001' } }, next], ctx(touch()))).not.toBe(
      next,
    );
  });
  it('landing parameters named after prototype keys are plain keys: kept, stored, and matched by `param`', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const read = readVisitContext({
      url: 'https://shop.example/?__proto__=a&constructor=b&toString=c&hasOwnProperty=d',
      referrer: 'https://other.example/',
      params: names,
      now: 1,
    });
    const kept = parseVisitContext(formatVisitContext(read), names, 1)!;
    for (const c of [read, kept]) {
      expect(Object.entries(c.first.params)).toEqual([
        ['__proto__', 'a'],
        ['constructor', 'b'],
        ['toString', 'c'],
        ['hasOwnProperty', 'd'],
      ]);
      for (const name of names) expect(matchRule([{ param: name }], c), name).toEqual({ param: name });
    }
    expect(({} as Record<string, unknown>)['a']).toBeUndefined();
  });
  it('a condition named after a prototype key (a rule parsed from JSON) neither throws nor matches', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'valueOf']) {
      const rule = JSON.parse(`{"${key}": "*", "number": "+18880000001"}`) as SourceRule;
      expect(() => matchRule([rule], ctx(touch())), key).not.toThrow();
      expect(matchRule([rule], ctx(touch({}, 'www.bing.com'))), key).toBeUndefined();
    }
  });
});

describe('visit context', () => {
  it('keeps allow-listed parameters and the referrer host only', () => {
    const c = readVisitContext({
      url: 'https://shop.example/landing?utm_source=google&utm_medium=cpc&gclid=abc&email=a@b.c&fbp=1',
      referrer: 'https://www.google.com/search?q=secret',
      now: 5,
      id: 'abcdefgh12345678',
    });
    expect(c).toEqual({
      session: 'abcdefgh12345678',
      first: {
        time: 5,
        path: '/landing',
        params: { utm_source: 'google', utm_medium: 'cpc', gclid: 'abc' },
        referrer: 'www.google.com',
      },
      latest: c.first,
    });
    expect(JSON.stringify(parseVisitContext(formatVisitContext(c), ['utm_source', 'utm_medium']))).not.toContain(
      'gclid',
    );
  });
  it('first touch kept, latest non-direct touch updated, same-site referrers (the site’s own subdomains too) ignored', () => {
    const first = readVisitContext({ url: 'https://s.example/?utm_source=a', now: 1 });
    const again = readVisitContext({
      url: 'https://s.example/x',
      referrer: 'https://s.example/',
      previous: first,
      now: 2,
    });
    expect(again).toEqual(first);
    const later = readVisitContext({
      url: 'https://s.example/',
      referrer: 'https://bing.com/',
      previous: first,
      now: 3,
    });
    expect(later.first).toEqual(first.first);
    expect(later.latest).toMatchObject({ time: 3, referrer: 'bing.com' });
    expect(later.session).toBe(first.session);
    // The site's own subdomains, both ways: the paid touch stays the latest.
    for (const [url, referrer] of [
      ['https://www.s.example/', 'https://shop.s.example/cart'],
      ['https://shop.s.example/', 'https://s.example/'],
    ] as const)
      expect(readVisitContext({ url, referrer, previous: later, now: 4 })).toEqual(later);
    // Another site on the same public suffix is a touch.
    expect(
      readVisitContext({ url: 'https://shop.s.co.uk/', referrer: 'https://other.co.uk/', now: 5 }).first.referrer,
    ).toBe('other.co.uk');
    expect(
      readVisitContext({ url: 'https://shop.s.co.uk/', referrer: 'https://www.s.co.uk/', now: 5 }).first.referrer,
    ).toBeUndefined();
    // IP addresses are whole hosts: 10.0.1.10 is not 192.168.1.10.
    expect(
      readVisitContext({ url: 'http://192.168.1.10/', referrer: 'http://10.0.1.10/', now: 5 }).first.referrer,
    ).toBe('10.0.1.10');
  });
  it('hostile values are stripped and capped', () => {
    const evil = `"><script>alert(1)</script>\u0000` + 'a'.repeat(500);
    const c = readVisitContext({
      url: `https://s.example/${encodeURIComponent('<p>')}?utm_source=${encodeURIComponent(evil)}`,
      referrer: 'javascript:alert(1)',
    });
    expect(JSON.stringify(c)).not.toMatch(/[<>]|\\u0000/);
    expect(c.first.params['utm_source']!.length).toBeLessThanOrEqual(100);
    expect(c.first.referrer).toBeUndefined();
  });
  it('stored context is validated on read', () => {
    const good = readVisitContext({ url: 'https://s.example/?utm_source=a' });
    expect(parseVisitContext(formatVisitContext(good))).toEqual(good);
    for (const bad of [
      null,
      '',
      '{',
      '[]',
      '{"id":"x","f":{}}',
      '{"id":"abcdefgh1","f":{"t":"1"}}',
      '{"__proto__":{"id":"abcdefgh1"}}',
    ])
      expect(parseVisitContext(bad)).toBeNull();
    const dirty = parseVisitContext(
      JSON.stringify({
        id: 'abcdefgh1',
        f: { t: 1, p: '/<x>', q: { 'bad key': 'v', ok: '<b>', other: 'x' }, r: 'a b' },
      }),
      ['ok'],
    );
    expect(dirty).toEqual({ session: 'abcdefgh1', first: { time: 1, path: '/x', params: { ok: 'b' } } });
  });
});

describe('subdomain referrers', () => {
  // registrableHost knew only a listed few two-part suffixes: on any other (com.my, co.th, com.vn …)
  // every host under the suffix counted as "the site's own", and Google there was not Google.
  // (Private suffixes such as github.io are still not known.)
  it.each([
    ['https://www.kedai.com.my/', 'https://www.google.com.my/'],
    ['https://www.shop.co.th/', 'https://www.google.co.th/'],
  ])('%s from %s is a referral (a touch)', (url, referrer) => {
    const c = readVisitContext({ url, referrer, id: 'abcdefgh12345678', now: 1 });
    expect(c.latest?.referrer).toBe(new URL(referrer).hostname);
    expect(classifySource(c.latest)).toMatchObject({ source: 'google', medium: 'organic', group: 'search' });
  });
});
