// The bench's Chromium: Debian's /usr/bin/chromium unless CONSENTLINE_CHROMIUM names another
// (empty: Playwright's own), with the flags this machine needs.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function launchBenchBrowser(extraArgs = []) {
  const envPath = process.env['CONSENTLINE_CHROMIUM'];
  const executablePath =
    envPath !== undefined ? envPath || undefined : existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  return chromium.launch({
    headless: true,
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}
