// The leakage matrix: for each regime and each kind of decision, on the demo landing page reached
// from a paid-search ad (so call tracking is exercised), nothing non-essential is written, sent or
// loaded before the decision, nor for a refused category after it. Every write and request is
// recorded by the audit (support/audit.ts) and attributed to a category (findLeaks); the leaks
// found are recorded in the guarantees tally before they are asserted.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { changesAnnounced, expect, test, type TestServer } from './fixtures';
import { findLeaks, startAudit, type Allowed } from './support/audit';

const PAID = '?utm_source=google&utm_medium=cpc&gclid=abc';
type Cat = 'analytics' | 'advertising' | 'social';
type Grants = Record<Cat, boolean>;
const CATS: Cat[] = ['analytics', 'advertising', 'social'];
const only = (...c: Cat[]): Grants => ({
  analytics: c.includes('analytics'),
  advertising: c.includes('advertising'),
  social: c.includes('social'),
});

interface Scenario {
  name: string;
  /** `landing`: the demo's own landing page; `suite`: the same page with pool, receipts and a per-visit regime. */
  pages: Array<'landing' | 'suite'>;
  region?: 'US';
  gpc?: boolean;
  /** The visitor's action; none means the visit ends without one. */
  act?: (page: Page) => Promise<unknown>;
  /** Grants after the action (or the defaults when there is none). */
  grants: Grants;
}

const api = (page: Page, method: string, arg?: unknown) =>
  page.evaluate(
    ([m, a]) => (window.Consentline as unknown as Record<string, (x: unknown) => unknown>)[m as string]!(a),
    [method, arg] as const,
  );
const click = (name: string) => (page: Page) => page.getByRole('button', { name, exact: true }).click();

const SCENARIOS: Scenario[] = [
  {
    name: 'opt-in, Accept all on the banner',
    pages: ['landing', 'suite'],
    act: click('Accept all'),
    grants: only('analytics', 'advertising', 'social'),
  },
  { name: 'opt-in, Reject all on the banner', pages: ['landing', 'suite'], act: click('Reject all'), grants: only() },
  {
    name: 'opt-in, analytics only (preferences dialog)',
    pages: ['landing', 'suite'],
    act: async (page) => {
      await page.getByRole('button', { name: 'Customize', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Privacy preferences' });
      await dialog.getByRole('switch', { name: 'Analytics' }).check();
      await dialog.getByRole('button', { name: 'Save choices' }).click();
    },
    grants: only('analytics'),
  },
  {
    name: 'opt-in, advertising only',
    pages: ['landing', 'suite'],
    act: (page) => api(page, 'set', { advertising: true }),
    grants: only('advertising'),
  },
  {
    name: 'opt-in, social only',
    pages: ['landing', 'suite'],
    act: (page) => api(page, 'set', { social: true }),
    grants: only('social'),
  },
  {
    name: 'opt-in + GPC, Accept all',
    pages: ['landing', 'suite'],
    gpc: true,
    act: click('Accept all'),
    grants: only('analytics'),
  },
  { name: 'opt-out, no action', pages: ['suite'], region: 'US', grants: only('analytics', 'advertising', 'social') },
  {
    name: 'opt-out, Do Not Sell link',
    pages: ['suite'],
    region: 'US',
    act: (page) => page.locator('[data-consentline-optout]').press('Enter'),
    grants: only('analytics'),
  },
  {
    name: 'opt-out, Reject all',
    pages: ['suite'],
    region: 'US',
    act: (page) => api(page, 'rejectAll'),
    grants: only(),
  },
  { name: 'opt-out + GPC, no action', pages: ['suite'], region: 'US', gpc: true, grants: only('analytics') },
  {
    name: 'opt-out + GPC, Accept all',
    pages: ['suite'],
    region: 'US',
    gpc: true,
    act: (page) => api(page, 'acceptAll'),
    grants: only('analytics'),
  },
];

const ORIGINAL = '(555) 123-4567';
const poolBodies = (server: TestServer) => server.requests.filter((r) => r.path === '/pool/assign').map((r) => r.body);

for (const s of SCENARIOS) {
  for (const where of s.pages) {
    test(`leakage matrix: ${s.name} (${where} page, paid-search landing)`, async ({ page, server, pageErrors }) => {
      const audit = await startAudit(page);
      const tagsRun = async () =>
        ((await page.evaluate(() => (window as unknown as { __tagsRun?: string[] }).__tagsRun)) ?? []) as Cat[];
      if (s.gpc)
        await page.addInitScript(() =>
          Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
        );
      if (s.region)
        await page.addInitScript(
          (r) => ((window as unknown as { ConsentlineRegion: string }).ConsentlineRegion = r),
          s.region,
        );
      await page.goto(`${server.url}/${where === 'suite' ? 'privacy-landing.html' : ''}${PAID}`);
      await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
      await page.waitForTimeout(400);
      // Before the decision: opt-in allows nothing; opt-out allows its defaults (minus GPC's denials).
      const optOut = s.region === 'US';
      const defaults: Allowed = optOut ? { analytics: true, advertising: !s.gpc, social: !s.gpc } : only();
      const state0 = (await api(page, 'get')) as { regime: string; grants: Grants };
      expect(state0.regime).toBe(optOut ? 'opt-out' : 'opt-in');
      for (const c of CATS) expect(state0.grants[c], c).toBe(defaults[c as keyof Allowed]);
      // In opt-out the defaults run at once: let their traffic (the analytics tag's hit, the pool) land before the decision.
      if (optOut) {
        await expect.poll(() => audit.of('request', /\/collect\/analytics/).length).toBe(1);
        await expect.poll(() => poolBodies(server).length).toBe(1);
      }
      const leaks = findLeaks(audit.before(), server.url, defaults);
      if (!optOut) expect(await page.locator('.hero strong').textContent()).toBe(ORIGINAL);

      audit.markDecision();
      if (s.act) await s.act(page);
      const final = s.grants;
      const allowed: Allowed = { ...final, decided: !!s.act };
      // Let whatever the decision starts (tags, pool, receipts) run out: the held-back tags of the
      // granted categories are external scripts, and the work the decision leaves for later waits
      // for them.
      if (final.analytics && where === 'suite') await expect.poll(() => poolBodies(server).length).toBeGreaterThan(0);
      for (const c of CATS)
        if (final[c]) await expect.poll(tagsRun, { message: `${c} tag runs once granted` }).toContain(c);
      if (s.act) await expect.poll(() => changesAnnounced(page)).toBeGreaterThan(0);
      await page.waitForTimeout(500);
      const state = (await api(page, 'get')) as { grants: Grants; needsDecision: boolean };
      for (const c of CATS) expect(state.grants[c], c).toBe(final[c]);
      leaks.push(...findLeaks(audit.after(), server.url, { ...allowed, ...(optOut && !s.act ? defaults : {}) }));

      // Held-back tags: exactly the granted categories ran (opt-out may have run its defaults first).
      const ran = await tagsRun();
      for (const c of ran) if (!final[c] && !(optOut && defaults[c])) leaks.push(`held-back ${c} tag ran`);
      if (!final.social && !(optOut && defaults.social)) {
        if (server.requests.some((r) => r.path === '/social-post.html')) leaks.push('social embed loaded');
      }

      // Call tracking: swapped and stored only with analytics; the click id only with advertising and no GPC/opt-out.
      const hero = await page.locator('.hero strong').textContent();
      const stored = await page.evaluate(() => localStorage.getItem('consentline_dni'));
      const clickIdAllowed = final.advertising && !s.gpc;
      if (final.analytics) {
        expect(hero).not.toBe(ORIGINAL);
        expect(stored).toBeTruthy();
        expect(stored!.includes('gclid'), 'click id stored').toBe(clickIdAllowed);
      } else {
        expect(hero).toBe(ORIGINAL);
        if (stored !== null) leaks.push('DNI context stored without analytics');
      }
      if (!clickIdAllowed && !(optOut && defaults.advertising)) {
        for (const b of poolBodies(server)) if (b.includes('gclid')) leaks.push('click id sent to the pool');
        if (stored?.includes('gclid')) leaks.push('click id stored');
      }

      // The jar: the consent cookie only, and only once decided.
      const cookies = await page.context().cookies();
      for (const c of cookies) if (c.name !== 'consentline') leaks.push(`cookie ${c.name}`);
      expect(cookies.map((c) => c.name)).toEqual(s.act ? ['consentline'] : []);
      if (where === 'suite' && s.act) {
        await expect
          .poll(() => server.requests.filter((r) => r.path === '/collect/receipts').length)
          .toBeGreaterThan(0);
        const receipt = JSON.parse(server.requests.filter((r) => r.path === '/collect/receipts').at(-1)!.body);
        expect(receipt.grants).toEqual(final);
      }

      recordFigures('privacy: leakage matrix', { scenarios: leaks.length ? 0 : 1, leaks: leaks.length });
      expect(leaks).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }
}

test('leakage matrix self-check: findLeaks flags every write and hit of the leaky page', async ({ page, server }) => {
  const audit = await startAudit(page);
  await page.goto(`${server.url}/leaky.html`);
  await expect.poll(() => audit.of('request', /collect\/pixel/).length).toBe(1);
  const leaks = findLeaks(audit.events, server.url, {
    analytics: true,
    advertising: true,
    social: true,
    decided: true,
  });
  expect(leaks.map((l) => l.split(':')[0])).toEqual([
    'cookie',
    'storage',
    'storage',
    'storage',
    'collection',
    'collection',
  ]);
  // …and an allowed category's own traffic is not a leak, a refused one's is.
  const dni = [{ kind: 'localStorage', detail: 'consentline_dni', type: 'setItem', time: 0, url: '' }] as const;
  expect(findLeaks([...dni], server.url, { analytics: true, advertising: false, social: false })).toEqual([]);
  expect(findLeaks([...dni], server.url, { analytics: false, advertising: true, social: true })).toHaveLength(1);
});
