// The stored visit context and time: a context is kept for `days` after its first touch, so a
// first touch dated in the future (written by anything but us) must not be read at all.
import { describe, expect, it } from 'vitest';
import { cleanText, formatVisitContext, parseVisitContext, readVisitContext } from '../../../src/dni/context';

const NOW = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
const DAY = 86_400_000;
const stored = (f: number, l?: number) =>
  JSON.stringify({
    id: 'abcdefgh12345678',
    f: { t: f, p: '/', q: { utm_source: 'google' } },
    ...(l === undefined ? {} : { l: { t: l, p: '/x', q: {}, r: 'news.example' } }),
  });

describe('parseVisitContext: times', () => {
  it('a context written now, or a minute or two ahead (another clock), is read', () => {
    for (const t of [NOW, NOW - 89 * DAY, NOW + 2 * MINUTE, NOW + 5 * MINUTE]) {
      expect(parseVisitContext(stored(t), undefined, NOW)?.first.time).toBe(t);
    }
  });

  it.each([
    ['six minutes ahead', NOW + 6 * MINUTE],
    ['a day ahead', NOW + DAY],
    ['ten years ahead', NOW + 3650 * DAY],
    ['the largest time a Date holds', 8.64e15],
    ['infinity (1e999 in the JSON)', 'inf'],
  ])('a first touch %s is discarded: the context would never expire', (_, t) => {
    const raw = t === 'inf' ? stored(0).replace('"t":0', '"t":1e999') : stored(t as number);
    expect(parseVisitContext(raw, undefined, NOW)).toBeNull();
  });

  it('a latest touch from the future is dropped, the first touch kept', () => {
    expect(parseVisitContext(stored(NOW - DAY, NOW + DAY), undefined, NOW)).toEqual({
      session: 'abcdefgh12345678',
      first: { time: NOW - DAY, path: '/', params: { utm_source: 'google' } },
    });
    expect(parseVisitContext(stored(NOW - DAY, NOW - MINUTE), undefined, NOW)?.latest?.time).toBe(NOW - MINUTE);
  });

  it('without a `now`, the clock is read: a context from ten years ahead is discarded today', () => {
    expect(parseVisitContext(stored(Date.now() + 3650 * DAY))).toBeNull();
    const fresh = readVisitContext({ url: 'https://s.example/?utm_source=a' });
    expect(parseVisitContext(formatVisitContext(fresh))).toEqual(fresh);
  });

  it('-Infinity (-1e999 in the JSON) is not a time either', () => {
    expect(parseVisitContext(stored(0).replace('"t":0', '"t":-1e999'), undefined, NOW)).toBeNull();
  });
});

describe("the visit's lease", () => {
  const withLease = (lease: unknown) => JSON.stringify({ ...JSON.parse(stored(NOW)), lease });

  it('is read back with the context and kept by the next landing', () => {
    const c = parseVisitContext(withLease('a1B2-c_3'), undefined, NOW);
    expect(c?.lease).toBe('a1B2-c_3');
    expect(readVisitContext({ url: 'https://s.example/next', previous: c, now: NOW }).lease).toBe('a1B2-c_3');
  });

  it('anything but a lease id is dropped, the context kept', () => {
    for (const bad of ['<b>x</b>', '', 'x'.repeat(65), 42, { id: 1 }]) {
      const c = parseVisitContext(withLease(bad), undefined, NOW);
      expect(c?.session).toBe('abcdefgh12345678');
      expect(c && 'lease' in c).toBe(false);
    }
  });
});

describe('the stored form', () => {
  it('is compact, and reads back as the readable context it was written from', () => {
    const c = readVisitContext({
      url: 'https://s.example/landing?utm_source=google',
      referrer: 'https://news.example/',
      id: 'abcdefgh12345678',
      now: NOW,
    });
    const raw = formatVisitContext({ ...c, lease: 'a1B2-c_3' });
    expect(JSON.parse(raw)).toEqual({
      id: 'abcdefgh12345678',
      f: { t: NOW, p: '/landing', q: { utm_source: 'google' }, r: 'news.example' },
      l: { t: NOW, p: '/landing', q: { utm_source: 'google' }, r: 'news.example' },
      lease: 'a1B2-c_3',
    });
    expect(parseVisitContext(raw, undefined, NOW)).toEqual({ ...c, lease: 'a1B2-c_3' });
  });

  it('a context stored before the readable types (compact, no lease) still reads', () => {
    expect(parseVisitContext(stored(NOW - DAY, NOW - MINUTE), undefined, NOW)).toEqual({
      session: 'abcdefgh12345678',
      first: { time: NOW - DAY, path: '/', params: { utm_source: 'google' } },
      latest: { time: NOW - MINUTE, path: '/x', params: {}, referrer: 'news.example' },
    });
  });
});

describe('values are well-formed text', () => {
  // A PostgreSQL record store refuses JSON that holds half a surrogate pair, so a pool server
  // storing such a context fails the assign, on every page of the visit.
  it('a value cut at its cap never ends in half of an emoji', () => {
    const campaign = 'a'.repeat(99) + '\u{1F600} spring';
    const c = readVisitContext({ url: `https://shop.example/?utm_campaign=${encodeURIComponent(campaign)}`, now: NOW });
    expect(c.first.params['utm_campaign']).toBe('a'.repeat(99));
    expect(formatVisitContext(c)).not.toMatch(/\\ud[89a-f]/i);
  });

  it('C1 controls, bidirectional overrides and isolates, and line or paragraph separators are dropped from landing values', () => {
    // NEL and CSI (C1 controls), RLO and LRI (they reorder what a dashboard shows), LS (a line break).
    const c = readVisitContext({
      url: 'https://s.example/?utm_source=goo%C2%85gle%E2%80%AE&utm_campaign=spr%E2%80%A8ing%E2%81%A6%C2%9B2',
    });
    expect(c.first.params).toEqual({ utm_source: 'google', utm_campaign: 'spring2' });
    // Joiners stay: they are part of how some scripts are written (Persian uses the ZWNJ).
    expect(cleanText('می‌خواهم')).toBe('می‌خواهم');
  });

  it('a lone surrogate is dropped from any value', () => {
    expect(cleanText('x\ud800y\u{1F600}\udc00z')).toBe('xy\u{1F600}z');
  });
});
