// Firefox ESR with its native Global Privacy Control preference on, against dist/vendors.js and
// dist/gpp-states.js. Playwright cannot drive this Firefox here, so (as signals-firefox.spec.ts
// does) the test starts it as a child process on a page that posts what the vendors heard and what
// __gpp says to a route added below, and reads that report.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GppModel } from '@iabgpp/cmpapi';
import { LIBRARIES, SNIPPETS, type VendorKey } from '../support/vendor-snippets';
import { expect, test } from './fixtures';

const FIREFOX = process.env['CONSENTLINE_FIREFOX'] || '/usr/bin/firefox-esr';

const PREFS = {
  'privacy.globalprivacycontrol.enabled': true,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.auto': false,
  'browser.aboutwelcome.enabled': false,
};

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
  window.__gpp('ping', function (p) { out.gpp = p; });
  fetch('/ff-vendors-report', { method: 'POST', body: JSON.stringify(out) });
});`;

test.skip(!existsSync(FIREFOX), `no Firefox at ${FIREFOX} (set CONSENTLINE_FIREFOX)`);

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
  server.routes['/ff-vendors.html'] = (_req, res) => {
    const r = res as { writeHead(s: number, h: Record<string, string>): void; end(b: string): void };
    r.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    r.end(html);
    return true;
  };
  const profile = mkdtempSync(join(tmpdir(), 'consentline-ff-'));
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(PREFS)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join('\n'),
  );
  let resolve!: (r: Report) => void;
  const got = new Promise<Report>((r) => (resolve = r));
  server.routes['/ff-vendors-report'] = (_req, res, body) => {
    (res as { writeHead(s: number): void; end(): void }).writeHead(204);
    (res as { end(): void }).end();
    resolve(JSON.parse(body) as Report);
    return true;
  };
  const child = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, `${server.url}/ff-vendors.html`], {
    stdio: 'ignore',
  });
  try {
    const report = await Promise.race([
      got,
      new Promise<never>((_, no) => setTimeout(() => no(new Error('Firefox sent no report in 60 s')), 60_000)),
    ]);
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
    child.kill('SIGKILL');
    delete server.routes['/ff-vendors-report'];
    delete server.routes['/ff-vendors.html'];
    rmSync(profile, { recursive: true, force: true });
  }
});
