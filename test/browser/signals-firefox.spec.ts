// Firefox ESR with its native Global Privacy Control preference on. Playwright cannot drive this
// Firefox here, so the test starts it as a child process (support/firefox.ts) on the demo page with
// ?report=…; the page posts what its signals say to that route, and the test reads the report.
import { GppModel } from '@iabgpp/cmpapi';
import { expect, serveHtml, test } from './fixtures';
import { HAS_FIREFOX, NATIVE_GPC, NO_FIREFOX, firefoxReport } from './support/firefox';

interface Report {
  navigatorGpc: unknown;
  state: { gpc: boolean; optedOut: boolean; needsDecision: boolean; grants: Record<string, boolean> };
  consent: Array<[string, string, Record<string, string>]>;
  gpp: { gppString: string };
  usp: string;
  gpcStatus: { text: string; hidden: boolean } | null;
}

test.skip(!HAS_FIREFOX, NO_FIREFOX);

test('Firefox ESR with native GPC: sale/share denied with no interaction, and every signal says so', async ({
  server,
}) => {
  test.setTimeout(90_000);
  const report = await firefoxReport<Report>(server, {
    page: '/us.html?report=/ff-report',
    report: '/ff-report',
    prefs: NATIVE_GPC,
  });
  expect(report.navigatorGpc).toBe(true);
  expect(report.state).toMatchObject({ gpc: true, optedOut: true, needsDecision: false });
  expect(report.state.grants).toMatchObject({ advertising: false, social: false });
  const def = report.consent.find(([, k]) => k === 'default')![2];
  expect(def).toMatchObject({ ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' });
  expect(new GppModel(report.gpp.gppString).getSection('usnat')).toMatchObject({
    SaleOptOut: 1,
    SharingOptOut: 1,
    TargetedAdvertisingOptOut: 1,
    Gpc: true,
  });
  expect(report.usp[2]).toBe('Y');
  expect(report.gpcStatus).toEqual({ text: 'Opt-Out Request Honored', hidden: false });
});

/** What the page's Consent Mode entries were, as gtag pushed them: [`consent`, kind, values]. */
type ConsentReport = { navigatorGpc: unknown; consent: Array<[string, string, Record<string, unknown>]> };

/**
 * Serves a US-CA page at `/ff-<name>.html` with `config`, the page's own script `before` the SDK's
 * tag (if any), and reports the page's Consent Mode entries once it has loaded, in Firefox ESR with
 * native GPC.
 */
async function consentModeInFirefox(
  server: Parameters<typeof serveHtml>[0],
  name: string,
  config: object,
  before = '',
): Promise<ConsentReport> {
  const report = `document.addEventListener('DOMContentLoaded', function () {
  var consent = window.dataLayer.filter(function (x) {
    return Object.prototype.toString.call(x) === '[object Arguments]' && x[0] === 'consent';
  }).map(function (x) { return Array.prototype.slice.call(x); });
  fetch('/ff-${name}-report', { method: 'POST', body: JSON.stringify({ navigatorGpc: navigator.globalPrivacyControl, consent: consent }) });
});`;
  serveHtml(
    server,
    `/ff-${name}.html`,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>
${before && `<script>${before}</script>`}
<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>
<script src="/dist/consentline.min.js" data-consentline data-region="US-CA"></script>
<script>${report}</script></head><body><main><h1>${name}</h1></main></body></html>`,
  );
  return firefoxReport<ConsentReport>(server, {
    page: `/ff-${name}.html`,
    report: `/ff-${name}-report`,
    prefs: NATIVE_GPC,
  });
}

test('Firefox ESR with native GPC: a region default that grants the advertising types is pushed with them denied', async ({
  server,
}) => {
  test.setTimeout(90_000);
  const granted = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' };
  const config = {
    signals: {
      regions: { US: 'opt-out' },
      consentMode: { regions: [{ region: ['US'], ...granted, analytics_storage: 'granted' }] },
    },
  };
  // Google's tags apply a region's default over the global one in that region, and GPC alone
  // pushes no update: what the region default says is what a Californian's tags read.
  const got = await consentModeInFirefox(server, 'regions', config);
  expect(got.navigatorGpc).toBe(true);
  expect(got.consent.map(([, kind, v]) => [kind, v['region'] ?? null])).toEqual([
    ['default', ['US']],
    ['default', null],
  ]);
  for (const [, , values] of got.consent)
    expect(values).toMatchObject({ ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' });
  expect(got.consent[0]![2]['analytics_storage']).toBe('granted');
});

test("Firefox ESR with native GPC: a page's own consent default that grants is not doubled, and the tags still read the advertising types denied", async ({
  server,
}) => {
  test.setTimeout(90_000);
  // The page's own gtag default, granting everything, before the SDK's tag.
  const own = `window.dataLayer = window.dataLayer || [];
function gtag() { dataLayer.push(arguments); }
gtag('consent', 'default', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted',
  analytics_storage: 'granted', functionality_storage: 'granted', personalization_storage: 'granted', security_storage: 'granted' });`;
  const got = await consentModeInFirefox(server, 'own-default', { signals: { regions: { US: 'opt-out' } } }, own);
  expect(got.navigatorGpc).toBe(true);
  expect(got.consent.filter(([, kind]) => kind === 'default')).toHaveLength(1);
  // What Google's tags read: the default, then each update over it, in order.
  const read: Record<string, unknown> = {};
  for (const [, , values] of got.consent) Object.assign(read, values);
  expect(read).toMatchObject({
    ad_storage: 'denied',
    ad_user_data: 'denied',
    ad_personalization: 'denied',
    analytics_storage: 'granted',
  });
});
