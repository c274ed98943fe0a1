// Firefox ESR with its native Global Privacy Control preference on, against dist/vendors.js and
// dist/gpp-states.js. Playwright cannot drive this Firefox here, so the test starts it as a child
// process (support/firefox.ts) on a page that posts what the vendors heard and what __gpp says to a
// report route, and reads that report.
import { GppModel } from '@iabgpp/cmpapi';
import { LIBRARIES, SNIPPETS, type VendorKey } from '../support/vendor-snippets';
import { expect, serveHtml, test } from './fixtures';
import { HAS_FIREFOX, NATIVE_GPC, NO_FIREFOX, firefoxReport } from './support/firefox';

const KEYS: VendorKey[] = ['uet', 'clarity', 'metaPixel', 'tiktokPixel'];

interface Report {
  navigatorGpc: unknown;
  log: Record<VendorKey, unknown[]>;
  afterAccept: Record<VendorKey, unknown[]>;
  gpp: { gppString: string; sectionList: number[] };
}

// Reads the vendors' logs, accepts all (GPC must still deny advertising), reads again, posts.
const REPORT = `document.addEventListener('DOMContentLoaded', function () {
  var copy = function () { return JSON.parse(JSON.stringify(window.__vendorLog)); };
  var out = { navigatorGpc: navigator.globalPrivacyControl, log: copy() };
  window.Consentline.acceptAll();
  out.afterAccept = copy();
  // The GPP CMP (an add-on on US visits, a stub until then) tells a listener when it is ready.
  window.__gpp('addEventListener', function (e) {
    if (out.gpp || !e || !e.pingData || e.pingData.signalStatus !== 'ready') return;
    out.gpp = e.pingData;
    fetch('/ff-vendors-report', { method: 'POST', body: JSON.stringify(out) });
  });
});`;

test.skip(!HAS_FIREFOX, NO_FIREFOX);

test('Firefox ESR with native GPC: every vendor hears advertising denied from its default on, and usco carries Gpc', async ({
  server,
}) => {
  test.setTimeout(90_000);
  const config = {
    signals: { regions: { US: 'opt-out' }, vendors: { uet: true, clarity: true, metaPixel: true, tiktokPixel: true } },
  };
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>vendors</title>
<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>
<script src="/dist/vendors.js"></script><script src="/dist/gpp-states.js"></script>
<script src="/dist/consentline.min.js" data-consentline data-region="US-CO"></script>
${KEYS.map((k) => `<script>${SNIPPETS[k]}</script>`).join('\n')}
<script>${KEYS.map((k) => LIBRARIES[k]).join('\n')}</script>
<script>${REPORT}</script>
</head><body><main><h1>Vendors</h1></main></body></html>`;
  serveHtml(server, '/ff-vendors.html', html);
  try {
    const report = await firefoxReport<Report>(server, {
      page: '/ff-vendors.html',
      report: '/ff-vendors-report',
      prefs: NATIVE_GPC,
    });
    expect(report.navigatorGpc).toBe(true);
    for (const log of [report.log, report.afterAccept]) {
      expect(log.uet.filter((x) => typeof x === 'object')).toEqual(
        log === report.log ? [{ ad_storage: 'denied' }] : [{ ad_storage: 'denied' }, { ad_storage: 'denied' }],
      );
      expect(
        (log.clarity as Array<[string, Record<string, string>]>).every(
          ([, v]) => v['ad_Storage'] === 'denied' && v['analytics_Storage'] === 'granted',
        ),
      ).toBe(true);
      expect((log.metaPixel as string[][]).filter(([c]) => c === 'consent').map(([, v]) => v)).toEqual(
        log === report.log ? ['revoke'] : ['revoke', 'revoke'],
      );
      expect((log.tiktokPixel as string[][]).filter(([c]) => c!.endsWith('Consent')).map(([c]) => c)).toEqual(
        log === report.log ? ['revokeConsent'] : ['revokeConsent', 'revokeConsent'],
      );
    }
    // The default came first: before UET's pageLoad, the pixel's init and TikTok's page.
    expect(report.log.uet[0]).toBe('consent');
    expect((report.log.metaPixel[0] as string[])[0]).toBe('consent');
    expect((report.log.tiktokPixel[0] as string[])[0]).toBe('revokeConsent');
    expect(report.gpp.sectionList).toEqual([10]);
    expect(new GppModel(report.gpp.gppString).getSection('usco')).toMatchObject({
      SaleOptOut: 1,
      TargetedAdvertisingOptOut: 1,
      Gpc: true,
    });
  } finally {
    delete server.routes['/ff-vendors.html'];
  }
});
