// Firefox ESR as a child process: Playwright cannot drive the Debian Firefox here, so a spec starts
// it headless on a page of the test server, and the page posts what it saw to a report route the
// spec reads. Each run has a fresh profile (removed after) whose user.js holds the quiet-start
// preferences plus the spec's own (native Global Privacy Control, scrollbars).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from '../fixtures';

export const FIREFOX = process.env['CONSENTLINE_FIREFOX'] || '/usr/bin/firefox-esr';

/** Whether Firefox is there to run; specs skip without it (`test.skip(!HAS_FIREFOX, …)`). */
export const HAS_FIREFOX = existsSync(FIREFOX);
export const NO_FIREFOX = `no Firefox at ${FIREFOX} (set CONSENTLINE_FIREFOX)`;

/** A first start with nothing in the way: no default-browser check, welcome page, telemetry or update. */
const QUIET_START: Record<string, boolean | string | number> = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.auto': false,
  'browser.aboutwelcome.enabled': false,
};

/** Firefox's own Global Privacy Control preference, on: `navigator.globalPrivacyControl` is true. */
export const NATIVE_GPC = { 'privacy.globalprivacycontrol.enabled': true };

export interface FirefoxReportOptions {
  /** Path (and query) of the page to open on the test server. */
  page: string;
  /** Path the page POSTs its JSON report to; the route is added for the run and removed after. */
  report: string;
  /** Preferences on top of the quiet start. */
  prefs?: Record<string, boolean | string | number>;
  /** Command-line arguments before the profile (window size). */
  args?: string[];
  /** How long the page has to report. @default 60_000 */
  timeout?: number;
}

/** Opens `page` in headless Firefox and resolves to the JSON the page posts to `report`. */
export async function firefoxReport<T>(server: TestServer, options: FirefoxReportOptions): Promise<T> {
  const { page, report, prefs = {}, args = [], timeout = 60_000 } = options;
  const profile = mkdtempSync(join(tmpdir(), 'consentline-ff-'));
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries({ ...QUIET_START, ...prefs })
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join('\n'),
  );
  let resolve!: (r: T) => void;
  const got = new Promise<T>((r) => {
    resolve = r;
  });
  server.routes[report] = (_req, res, body) => {
    const out = res as { writeHead(s: number): void; end(): void };
    out.writeHead(204);
    out.end();
    resolve(JSON.parse(body) as T);
    return true;
  };
  const child = spawn(FIREFOX, ['--headless', '--no-remote', ...args, '--profile', profile, `${server.url}${page}`], {
    stdio: 'ignore',
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      got,
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`Firefox sent no report in ${timeout / 1000} s`)), timeout);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
    delete server.routes[report];
    rmSync(profile, { recursive: true, force: true });
  }
}
