// Firefox ESR with its native Global Privacy Control preference on. Playwright cannot drive this
// Firefox here, so the test starts it as a child process (support/firefox.ts) on the demo page with
// ?report=…; the page posts what its signals say to that route, and the test reads the report.
import { GppModel } from '@iabgpp/cmpapi';
import { expect, test } from './fixtures';
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
