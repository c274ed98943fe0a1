// Page markup that clobbers the tags' globals by real named access (`<div id="dataLayer">`,
// `<form name="uetq">`, `<img name="fbq">`, two `<div id="ttq">`, `<img name="clarity">`,
// `<div id="gtag">`), ahead of the built script tag, dist/vendors.js and each vendor's published
// snippet (test/support/vendor-snippets.ts): every refusal still reaches the queue each tag reads,
// first, and nothing throws into the page.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { LIBRARIES, SNIPPETS, type VendorKey } from '../support/vendor-snippets';
import { expect, serveHtml, test, type TestServer } from './fixtures';

const KEYS: VendorKey[] = ['uet', 'clarity', 'metaPixel', 'tiktokPixel'];
const MARKUP = `<div id="dataLayer"></div><form name="uetq"><input name="push"></form>
<img name="clarity" alt="" src="data:,"><img name="fbq" alt="" src="data:,">
<div id="ttq"></div><div id="ttq"></div><div id="gtag"></div>`;
// gtag.js's snippet, as Google publishes it, after the SDK.
const GTAG = `window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());`;

function servePage(server: TestServer, path: string): string {
  const config = { signals: { vendors: { uet: true, clarity: true, metaPixel: true, tiktokPixel: true } } };
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>clobbered</title>
<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>
</head><body><main><h1>Clobbered globals</h1>${MARKUP}</main>
<script src="/dist/vendors.js"></script>
<script src="/dist/consentline.min.js" data-consentline></script>
<script>${GTAG}</script>
${KEYS.map((k) => `<script>${SNIPPETS[k]}</script>`).join('\n')}
<script>${KEYS.map((k) => LIBRARIES[k]).join('\n')}</script>
</body></html>`;
  return serveHtml(server, path, html);
}

/** The Consent Mode commands in dataLayer, and each vendor's consent calls in the order its library read them. */
const heard = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { dataLayer: unknown; __vendorLog: Record<string, unknown[]> };
    const own = Object.prototype.hasOwnProperty.call(window, 'dataLayer');
    const dl = Array.isArray(w.dataLayer) ? (w.dataLayer as unknown[]) : [];
    const consentMode = dl
      .filter((x) => Object.prototype.toString.call(x) === '[object Arguments]')
      .map((x) => Array.from(x as IArguments))
      .filter((a) => a[0] === 'consent')
      .map((a) => `${a[1]}:${(a[2] as Record<string, string>)['ad_storage']}`);
    const log = w.__vendorLog;
    const uet: string[] = [];
    for (let i = 0; i < log['uet']!.length; i++)
      if (log['uet']![i] === 'consent')
        uet.push(`${log['uet']![i + 1]}:${(log['uet']![i + 2] as { ad_storage: string }).ad_storage}`);
    const calls = (entries: unknown[]) =>
      (entries as unknown[][])
        .map((e) => e.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(':'))
        .filter((c) => /consent/i.test(c));
    return {
      dataLayer: { own, array: Array.isArray(w.dataLayer), consentMode },
      elementsKept: document.querySelectorAll('#dataLayer, [name=uetq], [name=fbq], #ttq').length,
      uet,
      clarity: calls(log['clarity']!),
      metaPixel: calls(log['metaPixel']!),
      tiktokPixel: calls(log['tiktokPixel']!),
    };
  });

test.describe('clobbered globals in Chromium (real named access)', () => {
  test('opt-in: every default is a refusal the tags read first; Reject all then updates each', async ({
    page,
    server,
    pageErrors,
  }) => {
    await page.goto(servePage(server, '/clobbered.html'));
    const before = await heard(page);
    await page.getByRole('button', { name: 'Reject all', exact: true }).click();
    const after = await heard(page);
    recordFigures('hardening: clobbered globals', {
      cases: 6,
      scenarios: 1,
      leaks: [before.uet, before.clarity, before.metaPixel, before.tiktokPixel].filter((c) => c.length === 0).length,
    });
    expect(before.dataLayer).toEqual({ own: true, array: true, consentMode: ['default:denied'] });
    expect(before.elementsKept).toBe(5);
    expect(before.uet).toEqual(['default:denied']);
    expect(before.clarity).toEqual(['consentv2:{"ad_Storage":"denied","analytics_Storage":"denied"}']);
    expect(before.metaPixel).toEqual(['consent:revoke']);
    expect(before.tiktokPixel).toEqual(['holdConsent']);
    expect(after.dataLayer.consentMode).toEqual(['default:denied', 'update:denied']);
    expect(after.uet).toEqual(['default:denied', 'update:denied']);
    expect(after.clarity.at(-1)).toBe('consentv2:{"ad_Storage":"denied","analytics_Storage":"denied"}');
    expect(after.metaPixel.at(-1)).toBe('consent:revoke');
    expect(after.tiktokPixel).toEqual(['holdConsent', 'revokeConsent']);
    expect(pageErrors).toEqual([]);
  });
});
