// Cookie tossing and self-deleting consent cookies, against the built script tag.
//
// Sibling subdomains are emulated without DNS or certificates: every request to *.example.test
// is answered by page.route, so https pages are real secure contexts (Secure and __Host-
// cookies work) and a "sibling" cookie is one added for the parent domain `.example.test`.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { expect, test } from './fixtures';

const DAY = 86_400_000;
const PARENT = '.example.test';

interface ConsentView {
  needsDecision: boolean;
  optedOut: boolean;
  grants: Record<string, boolean>;
}

/** Serves a page with `config` on every *.example.test URL (http and https), and the built script. */
async function serveSite(
  context: BrowserContext,
  config: object,
  body = '<a href="#" data-consentline-optout>Do Not Sell or Share</a>',
): Promise<void> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>site</title>' +
    `<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>` +
    `<script src="/dist/consentline.min.js"></script></head><body>${body}</body></html>`;
  await context.route(/^https?:\/\/[a-z.]*example\.test\//, (route) => {
    if (new URL(route.request().url()).pathname === '/dist/consentline.min.js') {
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync('dist/consentline.min.js', 'utf8') });
    }
    return route.fulfill({ contentType: 'text/html', body: html });
  });
}

const view = (page: Page): Promise<ConsentView> =>
  page.evaluate(() => {
    const s = (window.Consentline!.get as () => ConsentView)();
    return { needsDecision: s.needsDecision, optedOut: s.optedOut, grants: { ...s.grants } };
  });

/** A well-formed record, as a sibling that knows the format would forge it. */
function record(grants: { analytics: boolean; advertising: boolean; social: boolean }, method = 'b'): string {
  const now = Date.now();
  const days = grants.analytics || grants.advertising || grants.social ? 390 : 180;
  const list = (['analytics', 'advertising', 'social'] as const).map((id) => `${id}:${grants[id] ? 1 : 0}`).join('|');
  return [
    '1',
    '1',
    'forged' + Math.random().toString(36).slice(2, 12),
    (now - 60_000).toString(36),
    (now + days * DAY).toString(36),
    method,
    '0',
    'i',
    list,
  ].join('~');
}

const ALL = { analytics: true, advertising: true, social: true };
const NONE = { analytics: false, advertising: false, social: false };

/** A cookie a sibling subdomain set on the parent domain. */
const toss = (context: BrowserContext, name: string, value: string, secure: boolean) =>
  context.addCookies([{ name, value, domain: PARENT, path: '/', secure, sameSite: 'Lax' }]);

const consentCookies = async (context: BrowserContext) =>
  (await context.cookies())
    .filter((c) => c.name.endsWith('consentline'))
    .map((c) => ({ name: c.name, domain: c.domain, path: c.path, secure: c.secure }));

test.describe('cookie tossing from a sibling subdomain', () => {
  for (const scheme of ['https', 'http'] as const) {
    test(`${scheme}: a tossed cookie neither erases a Do Not Sell nor stops a new one from sticking`, async ({
      page,
      context,
    }) => {
      await serveSite(context, { regime: 'opt-out' });
      const url = `${scheme}://www.example.test/`;
      await page.goto(url);
      await page.click('[data-consentline-optout]');
      expect((await view(page)).optedOut).toBe(true);
      const wrong: string[] = [];
      let cases = 0;
      for (const value of ['junk', '', record(ALL), record(ALL).replace('~1~', '~9~')]) {
        await toss(context, 'consentline', value, scheme === 'https');
        await page.reload();
        cases++;
        const afterToss = await view(page);
        if (!afterToss.optedOut || afterToss.grants['advertising'])
          wrong.push(`${JSON.stringify(value)} erased the opt-out`);
        // The visitor opts out again with the tossed cookie still there: it sticks across a reload.
        await toss(context, 'consentline', value, scheme === 'https');
        await page.reload();
        await page.click('[data-consentline-optout]');
        await page.reload();
        const again = await view(page);
        if (!again.optedOut || again.grants['advertising'])
          wrong.push(`${JSON.stringify(value)}: a new opt-out did not stick`);
      }
      recordFigures('hardening: cookie tossing', { cases, leaks: wrong.length });
      expect(wrong).toEqual([]);
    });
  }

  test('https opt-in: a forged accept-all from a sibling neither hides the banner nor grants anything', async ({
    page,
    context,
  }) => {
    await serveSite(context, {});
    const forged = record(ALL);
    for (const name of ['consentline', '__Secure-consentline']) await toss(context, name, forged, true);
    await page.goto('https://www.example.test/');
    const s = await view(page);
    expect(s.needsDecision).toBe(true);
    expect(s.grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
    await expect(page.locator('#consentline [role=region]')).toBeVisible();
  });

  test("https: a sibling's grant newer than this site's ended opt-out neither lifts it nor is adopted", async ({
    page,
    context,
  }) => {
    // Ended past its refusal lifetime, but still kept (a refusal outlives its record), as an opt-out is.
    const made = Date.now() - 200 * DAY;
    const ended = ['1', '1', 'endedoptout01', made.toString(36), (made + 182 * DAY).toString(36), 'o', '0', 'o'];
    const own = [...ended, 'analytics:1|advertising:0|social:0'].join('~');
    const forged = record(ALL);
    const wrong: string[] = [];
    for (const regime of ['opt-out', 'opt-in'] as const) {
      await serveSite(context, { regime });
      await context.clearCookies();
      await context.addCookies([
        { name: '__Host-consentline', value: own, url: 'https://www.example.test/', secure: true, sameSite: 'Lax' },
      ]);
      await toss(context, '__Secure-consentline', forged, true);
      await page.goto('https://www.example.test/');
      const s = await view(page);
      if (s.grants['advertising'] || s.grants['social'])
        wrong.push(`${regime}: the sibling's grant lifted the opt-out`);
      if (regime === 'opt-out' && !s.optedOut) wrong.push(`${regime}: not opted out`);
      if (regime === 'opt-in' && (!s.needsDecision || s.grants['analytics'])) wrong.push(`${regime}: read as consent`);
      const kept = (await context.cookies()).find((c) => c.name === '__Host-consentline');
      if (kept?.value !== own) wrong.push(`${regime}: this site's record became ${kept?.value}`);
    }
    expect(wrong).toEqual([]);
  });

  for (const scheme of ['https', 'http'] as const) {
    test(`${scheme} opt-in: a refusal survives a forged accept-all tossed next to it, and a new grant sticks`, async ({
      page,
      context,
    }) => {
      await serveSite(context, {});
      await page.goto(`${scheme}://www.example.test/`);
      await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
      await toss(context, 'consentline', record(ALL), scheme === 'https');
      await page.reload();
      const s = await view(page);
      expect(s.needsDecision).toBe(false);
      expect(s.grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
      // Disagreeing copies never read as more than the least of them: analytics-only beside
      // advertising-only is neither.
      await context.clearCookies();
      await context.addCookies([
        {
          name: 'consentline',
          value: record({ analytics: true, advertising: false, social: false }),
          url: `${scheme}://www.example.test/`,
        },
        {
          name: 'consentline',
          value: record({ analytics: false, advertising: true, social: true }),
          domain: PARENT,
          path: '/',
          secure: scheme === 'https',
        },
      ]);
      await page.reload();
      const least = await view(page);
      expect(least.grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
      // The visitor's new decision wins over what the sibling tossed, and is what the next page reads.
      await toss(context, 'consentline', record(NONE), scheme === 'https');
      await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
      await page.reload();
      expect((await view(page)).grants).toEqual({ necessary: true, analytics: true, advertising: true, social: true });
    });
  }

  test('the cookie is __Host- on https, __Secure- with a cookieDomain, unprefixed on http', async ({
    page,
    context,
  }) => {
    await serveSite(context, {});
    await page.goto('https://www.example.test/');
    await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
    expect(await consentCookies(context)).toEqual([
      { name: '__Host-consentline', domain: 'www.example.test', path: '/', secure: true },
    ]);

    await context.clearCookies();
    await page.goto('http://www.example.test/');
    await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
    expect(await consentCookies(context)).toEqual([
      { name: 'consentline', domain: 'www.example.test', path: '/', secure: false },
    ]);

    await context.clearCookies();
    await context.unrouteAll();
    await serveSite(context, { cookieDomain: 'example.test' });
    await page.goto('https://www.example.test/');
    await page.evaluate(() => (window.Consentline!.rejectAll as () => void)());
    expect(await consentCookies(context)).toEqual([
      { name: '__Secure-consentline', domain: PARENT, path: '/', secure: true },
    ]);
    // Another subdomain of the site reads the shared decision.
    await page.goto('https://shop.example.test/');
    expect((await view(page)).needsDecision).toBe(false);
  });

  test('https: an existing unprefixed cookie of this host is moved to the __Host- cookie, its decision kept', async ({
    page,
    context,
  }) => {
    await serveSite(context, {});
    const granted = record({ analytics: true, advertising: false, social: false });
    await context.addCookies([
      { name: 'consentline', value: granted, url: 'https://www.example.test/', secure: true, sameSite: 'Lax' },
    ]);
    await page.goto('https://www.example.test/');
    expect((await view(page)).grants).toEqual({ necessary: true, analytics: true, advertising: false, social: false });
    expect(await consentCookies(context)).toEqual([
      { name: '__Host-consentline', domain: 'www.example.test', path: '/', secure: true },
    ]);
    const moved = (await context.cookies()).find((c) => c.name === '__Host-consentline')!;
    expect(decodeURIComponent(moved.value)).toBe(granted);
    await page.reload();
    expect((await view(page)).grants['analytics']).toBe(true);
  });
});

test.describe('withdrawal and the consent cookie', () => {
  for (const scheme of ['https', 'http'] as const) {
    test(`${scheme}: a category pattern that covers the consent cookie's name does not delete it (Do Not Sell is kept)`, async ({
      page,
      context,
    }) => {
      const warnings: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text());
      });
      await serveSite(context, {
        regime: 'opt-out',
        cookieName: 'ads_consent',
        categories: { advertising: { cookies: ['ads_*', '__Host-ads_*', '__Secure-ads_*'] } },
      });
      await page.goto(`${scheme}://www.example.test/`);
      await page.evaluate(() => (document.cookie = 'ads_id=1; path=/'));
      await page.click('[data-consentline-optout]');
      const names = (await context.cookies()).map((c) => c.name);
      expect(names).not.toContain('ads_id');
      expect(names.filter((n) => n.endsWith('ads_consent'))).toHaveLength(1);
      await page.reload();
      const s = await view(page);
      expect(s.optedOut).toBe(true);
      expect(s.grants['advertising']).toBe(false);
      expect(warnings.some((w) => w.includes('ads_*') && w.includes('ads_consent'))).toBe(true);
    });
  }
});
