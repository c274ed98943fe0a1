// GPP state sections in Chromium against the built script tag and dist/gpp-states.js (loaded by
// the page before the SDK, or fetched by the SDK with `gpp.states`): the region hint picks the
// state's section, every string decoded by the official IAB library, before and
// after an opt-out, with and without GPC (Chromium shim).
import { GppModel } from '@iabgpp/cmpapi';
import type { Page } from '@playwright/test';
import { expect, serveHtml, test, type TestServer } from './fixtures';
import { sri } from './support/sri';

interface Ping {
  gppString: string;
  applicableSections: number[];
  sectionList: number[];
  supportedAPIs: string[];
}

/** Serves a US page with the SDK (and the gpp-states add-on unless `noAddOn`), hinted at `region`. */
function servePage(
  server: TestServer,
  path: string,
  region: string,
  gpp: Record<string, unknown> = {},
  noAddOn = false,
): string {
  const config = { signals: { regions: { US: 'opt-out' }, gpp } };
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>gpp</title>
<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>
${noAddOn ? '' : '<script src="/dist/gpp-states.js"></script>'}
<script src="/dist/consentline.min.js" data-consentline data-region="${region}"></script>
</head><body><main><h1>GPP</h1></main></body></html>`;
  return serveHtml(server, path, html);
}

const ping = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<Ping>((done) =>
        (window as unknown as { __gpp(c: string, cb: (p: Ping) => void): void }).__gpp('ping', done),
      ),
  );

const shimGpc = (page: Page) =>
  page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));

// Region → the section it gets, its id, and whether it has a GPC sub-section.
const CASES: Array<[region: string, name: string, id: number, gpc: boolean]> = [
  ['US-VA', 'usva', 9, false],
  ['US-CO', 'usco', 10, true],
  ['US-UT', 'usut', 11, false],
  ['US-CT', 'usct', 12, true],
  ['US-TX', 'ustx', 16, true],
  ['US-NJ', 'usnj', 21, true],
  ['US-MN', 'usmn', 23, true],
  ['US-CA', 'usca', 8, true],
  // Spec and library disagree for Maryland (and IN, KY, RI): the fallback.
  ['US-MD', 'usnat', 7, true],
  ['US-WA', 'usnat', 7, true],
];

test.describe('GPP state sections in Chromium (dist/gpp-states.js)', () => {
  for (const [region, name, id, hasGpc] of CASES) {
    test(`${region} → ${name}: decoded by @iabgpp/cmpapi before and after an opt-out, with and without GPC`, async ({
      page,
      server,
    }) => {
      const url = servePage(server, `/gpp-${region}.html`, region);
      await page.goto(url);
      let p = await ping(page);
      expect(p.sectionList).toEqual([id]);
      expect(p.applicableSections).toEqual([id]);
      expect(p.supportedAPIs).toEqual([`${id}:${name}`]);
      let section = new GppModel(p.gppString).getSection(name) as Record<string, unknown>;
      expect(section).toMatchObject({ SaleOptOut: 2, MspaCoveredTransaction: 2 });
      if (hasGpc) expect(section['Gpc']).toBe(false);
      await page.evaluate(() => (window.Consentline!.optOut as () => void)());
      p = await ping(page);
      section = new GppModel(p.gppString).getSection(name) as Record<string, unknown>;
      expect(section['SaleOptOut']).toBe(1);
      expect(section['TargetedAdvertisingOptOut'] ?? section['SharingOptOut']).toBe(1);

      const gpcPage = await page.context().newPage();
      await shimGpc(gpcPage);
      await page.context().clearCookies();
      await gpcPage.goto(url);
      p = await ping(gpcPage);
      section = new GppModel(p.gppString).getSection(name) as Record<string, unknown>;
      expect(section['SaleOptOut']).toBe(1);
      if (hasGpc) expect(section['Gpc']).toBe(true);
      else expect('Gpc' in section).toBe(false);
      await gpcPage.close();
    });
  }

  test('gpp.section is the fallback for states without a section', async ({ page, server }) => {
    await page.goto(servePage(server, '/gpp-fallback.html', 'US-WA', { section: 'usca' }));
    expect((await ping(page)).sectionList).toEqual([8]);
  });

  test('with gpp.states the SDK fetches the state sections beside itself, with their integrity; a visit outside the US fetches nothing', async ({
    page,
    server,
  }) => {
    await page.goto(servePage(server, '/gpp-fetched.html', 'US-VA', { states: true }, true));
    const p = await ping(page);
    expect(p.sectionList).toEqual([9]);
    expect(new GppModel(p.gppString).getSection('usva')).toMatchObject({ SaleOptOut: 2 });
    const integrity = await page.evaluate(
      () => document.querySelector<HTMLScriptElement>('script[src$="/gpp-states.js"]')?.integrity,
    );
    expect(integrity).toBe(sri('dist/gpp-states.js'));
    const fetched = (file: string) => server.requests.filter((r) => r.path === `/dist/${file}`).length;
    expect([fetched('gpp.js'), fetched('gpp-states.js')]).toEqual([1, 1]);

    await page.goto(servePage(server, '/gpp-fetched-de.html', 'DE', { states: true }, true));
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => typeof (window as unknown as { __gpp?: unknown }).__gpp)).toBe('undefined');
    expect([fetched('gpp.js'), fetched('gpp-states.js')]).toEqual([1, 1]);
  });

  test('without the add-on a state hint gets the configured section, as before', async ({ page, server }) => {
    await page.goto(servePage(server, '/gpp-no-addon.html', 'US-VA', {}, true));
    const p = await ping(page);
    expect(p.sectionList).toEqual([7]);
    expect(new GppModel(p.gppString).getSection('usnat')).toMatchObject({ SaleOptOut: 2, Gpc: false });
  });
});
