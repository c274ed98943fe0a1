// Firefox ESR with its native Global Privacy Control preference on. Playwright cannot drive this
// Firefox here, so the test starts it as a child process on the demo page with ?report=…; the page
// posts what its signals say to a route added below, and the test reads that report.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GppModel } from '@iabgpp/cmpapi';
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

interface Report {
  navigatorGpc: unknown;
  state: { gpc: boolean; optedOut: boolean; needsDecision: boolean; grants: Record<string, boolean> };
  consent: Array<[string, string, Record<string, string>]>;
  gpp: { gppString: string };
  usp: string;
  gpcStatus: { text: string; hidden: boolean } | null;
}

test.skip(!existsSync(FIREFOX), `no Firefox at ${FIREFOX} (set CONSENTLINE_FIREFOX)`);

test('Firefox ESR with native GPC: sale/share denied with no interaction, and every signal says so', async ({
  server,
}) => {
  test.setTimeout(90_000);
  const profile = mkdtempSync(join(tmpdir(), 'consentline-ff-'));
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(PREFS)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join('\n'),
  );
  let resolve!: (r: Report) => void;
  const got = new Promise<Report>((r) => (resolve = r));
  server.routes['/ff-report'] = (_req, res, body) => {
    (res as { writeHead(s: number): void; end(): void }).writeHead(204);
    (res as { end(): void }).end();
    resolve(JSON.parse(body) as Report);
    return true;
  };
  const child = spawn(
    FIREFOX,
    ['--headless', '--no-remote', '--profile', profile, `${server.url}/us.html?report=/ff-report`],
    { stdio: 'ignore' },
  );
  try {
    const report = await Promise.race([
      got,
      new Promise<never>((_, no) => setTimeout(() => no(new Error('Firefox sent no report in 60 s')), 60_000)),
    ]);
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
  } finally {
    child.kill('SIGKILL');
    delete server.routes['/ff-report'];
    rmSync(profile, { recursive: true, force: true });
  }
});
