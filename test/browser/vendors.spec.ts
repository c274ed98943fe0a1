// Vendor bridges in Chromium against the built script tag and dist/vendors.js: stubs written from
// each vendor's published snippet (test/support/vendor-snippets.ts) log what their "library" reads,
// in order. The default precedes any vendor call, whichever loads first; updates follow decisions;
// nothing is granted before a decision in opt-in; GPC and the opt-out deny advertising.
import type { Page } from '@playwright/test';
import { LIBRARIES, SNIPPETS, type VendorKey } from '../support/vendor-snippets';
import { expect, serveHtml, test, type TestServer } from './fixtures';

const KEYS: VendorKey[] = ['uet', 'clarity', 'metaPixel', 'tiktokPixel'];
type Log = Record<VendorKey, unknown[]>;

interface PageOptions {
  /** Vendor snippets before the SDK tag instead of after it. */
  snippetsFirst?: boolean;
  region?: string;
  signals?: Record<string, unknown>;
  /** Leave dist/vendors.js out. */
  noAddOn?: boolean;
}

/** Serves a page at `path` with the SDK, the add-on and every vendor's snippet and library stub. */
function servePage(server: TestServer, path: string, options: PageOptions = {}): string {
  const config = {
    signals: {
      vendors: { uet: true, clarity: true, metaPixel: true, tiktokPixel: true },
      regions: { US: 'opt-out' },
      ...options.signals,
    },
  };
  const sdk = `${options.noAddOn ? '' : '<script src="/dist/vendors.js"></script>'}
<script src="/dist/consentline.min.js" data-consentline${options.region ? ` data-region="${options.region}"` : ''}></script>`;
  const snippets = KEYS.map((k) => `<script>${SNIPPETS[k]}</script>`).join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>vendors</title>
<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>
${options.snippetsFirst ? snippets + sdk : sdk + snippets}
<script>${KEYS.map((k) => LIBRARIES[k]).join('\n')}</script>
</head><body><main><h1>Vendors</h1></main></body></html>`;
  return serveHtml(server, path, html);
}

/** Each vendor's consent calls in the order its library read them, in the vendor's own words. */
const consentCalls = (page: Page) =>
  page.evaluate(() => {
    const log = (window as unknown as { __vendorLog: Log }).__vendorLog;
    const uet: string[] = [];
    for (let i = 0; i < log.uet.length; i++) {
      if (log.uet[i] === 'consent') {
        uet.push(`${log.uet[i + 1]}:${(log.uet[i + 2] as { ad_storage: string }).ad_storage}`);
        i += 2;
      } else uet.push(String(log.uet[i]));
    }
    const calls = (entries: unknown[]) =>
      (entries as unknown[][]).map((e) =>
        e.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(':'),
      );
    return { uet, clarity: calls(log.clarity), metaPixel: calls(log.metaPixel), tiktokPixel: calls(log.tiktokPixel) };
  });

const DENIED = {
  uet: 'default:denied',
  clarity: 'consentv2:{"ad_Storage":"denied","analytics_Storage":"denied"}',
  metaPixel: 'consent:revoke',
  tiktokPixel: 'holdConsent',
};

test.describe('vendor bridges in Chromium (dist/vendors.js)', () => {
  for (const snippetsFirst of [false, true]) {
    test(`opt-in, ${snippetsFirst ? 'vendor snippets before the SDK' : 'SDK first'}: the default precedes every vendor call; updates follow decisions`, async ({
      page,
      server,
    }) => {
      await page.goto(servePage(server, `/vendors-${snippetsFirst ? 'after' : 'before'}.html`, { snippetsFirst }));
      const before = await consentCalls(page);
      expect(before).toEqual({
        uet: [DENIED.uet, 'pageLoad'],
        clarity: [DENIED.clarity],
        metaPixel: [DENIED.metaPixel, 'init:000000000000000', 'track:PageView'],
        tiktokPixel: [DENIED.tiktokPixel, 'page'],
      });
      await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
      await page.evaluate(() => (window.Consentline!.set as (g: object) => void)({ advertising: false }));
      const after = await consentCalls(page);
      expect(after.uet.slice(2)).toEqual(['update:granted', 'update:denied']);
      expect(after.clarity.slice(1)).toEqual([
        'consentv2:{"ad_Storage":"granted","analytics_Storage":"granted"}',
        'consentv2:{"ad_Storage":"denied","analytics_Storage":"granted"}',
      ]);
      expect(after.metaPixel.slice(3)).toEqual(['consent:grant', 'consent:revoke']);
      expect(after.tiktokPixel.slice(2)).toEqual(['grantConsent', 'revokeConsent']);
    });
  }

  test('a stored decision: every vendor hears it on load, before its own first call', async ({ page, server }) => {
    const url = servePage(server, '/vendors-stored.html');
    await page.goto(url);
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    await page.reload();
    const calls = await consentCalls(page);
    expect(calls.uet.slice(0, 3)).toEqual([DENIED.uet, 'update:granted', 'pageLoad']);
    expect(calls.clarity).toEqual([DENIED.clarity, 'consentv2:{"ad_Storage":"granted","analytics_Storage":"granted"}']);
    // The pixel's snippet runs after the SDK: the bridge waited for it and queued the stored grant first.
    expect(calls.metaPixel).toEqual(['consent:grant', 'init:000000000000000', 'track:PageView']);
    expect(calls.tiktokPixel).toEqual([DENIED.tiktokPixel, 'grantConsent', 'page']);
  });

  test('GPC (shim) on an opt-out page: advertising denied from the default on, and "accept all" does not grant it', async ({
    page,
    server,
  }) => {
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
    await page.goto(servePage(server, '/vendors-gpc.html', { region: 'US-CA' }));
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    const calls = await consentCalls(page);
    expect(calls.uet.filter((c) => c.startsWith('default') || c.startsWith('update'))).toEqual([
      'default:denied',
      'update:denied',
    ]);
    expect(calls.clarity).toEqual([
      'consentv2:{"ad_Storage":"denied","analytics_Storage":"granted"}',
      'consentv2:{"ad_Storage":"denied","analytics_Storage":"granted"}',
    ]);
    expect(calls.metaPixel.filter((c) => c.startsWith('consent'))).toEqual(['consent:revoke', 'consent:revoke']);
    expect(calls.tiktokPixel.filter((c) => c.endsWith('Consent'))).toEqual(['revokeConsent', 'revokeConsent']);
  });

  test('opt-out page without GPC: granted at once; the Do Not Sell opt-out revokes', async ({ page, server }) => {
    await page.goto(servePage(server, '/vendors-us.html', { region: 'US-CA' }));
    expect((await consentCalls(page)).tiktokPixel).toEqual(['grantConsent', 'page']);
    await page.evaluate(() => (window.Consentline!.optOut as () => void)());
    const calls = await consentCalls(page);
    expect(calls.uet).toEqual(['default:granted', 'pageLoad', 'update:denied']);
    expect(calls.metaPixel).toEqual(['consent:grant', 'init:000000000000000', 'track:PageView', 'consent:revoke']);
    expect(calls.tiktokPixel).toEqual(['grantConsent', 'page', 'revokeConsent']);
  });

  test('configured without the add-on: no bridge, and the page works', async ({ page, server, pageErrors }) => {
    await page.goto(servePage(server, '/vendors-missing.html', { noAddOn: true }));
    await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
    const calls = await consentCalls(page);
    expect(calls.tiktokPixel).toEqual(['page']);
    expect(pageErrors).toEqual([]);
  });
});
