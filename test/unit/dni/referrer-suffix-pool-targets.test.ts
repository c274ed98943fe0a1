import { describe, expect, it } from 'vitest';
import { readVisitContext } from '../../../src/dni/context';
import { classifySource } from '../../../src/dni/source';
// @ts-expect-error plain ESM module without types
import { createPool } from '../../../demo/pool-server.mjs';

describe('subdomain referrers', () => {
  // registrableHost knew only a listed few two-part suffixes: on any other (com.my, co.th, com.vn …)
  // every host under the suffix counted as "the site's own", and Google there was not Google.
  // (Private suffixes such as github.io are still not known.)
  it.each([
    ['https://www.kedai.com.my/', 'https://www.google.com.my/'],
    ['https://www.shop.co.th/', 'https://www.google.co.th/'],
  ])('%s from %s is a referral (a touch)', (url, referrer) => {
    const c = readVisitContext({ url, referrer, id: 'abcdefgh12345678', now: 1 });
    expect(c.l?.r).toBe(new URL(referrer).hostname);
    expect(classifySource(c.l)).toMatchObject({ source: 'google', medium: 'organic', group: 'search' });
  });
});

describe('reference pool server fill()', () => {
  const A = '+15551234567';
  const B = '+15559990000';
  // fill() uses the lease's first targets, not the request's: a second page of the same visit
  // (same session id, within the ttl) with another target gets none, status 'ok', although the
  // pool has free numbers; a page with only B gets {A: …}, which parsePoolReply rejects (unknown
  // target) and counts as a failure toward the breaker.
  it('a repeat assign with another target fills that target too', () => {
    const pool = createPool({ numbers: { [A]: ['+18880000001'], [B]: ['+18880000002'] } });
    pool.assign({ session: 'abcdefgh12345678', targets: [A] });
    const r = pool.assign({ session: 'abcdefgh12345678', targets: [A, B] });
    expect(r.numbers[B]).toBe('+18880000002');
    const only = pool.assign({ session: 'abcdefgh12345678', targets: [B] });
    expect(Object.keys(only.numbers)).toEqual([B]);
  });
});
