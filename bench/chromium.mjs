// Which Chromium the browser tests, the bench and the scripts launch, and with which flags.
// Debian's /usr/bin/chromium by default; CONSENTLINE_CHROMIUM names another, and an empty value
// uses Playwright's own download (`npx playwright install chromium`) on machines that allow it.
// Only node:fs here, so playwright.config.ts and scripts/ can load it without bench/node_modules.
import { existsSync } from 'node:fs';

/** Flags this machine needs (no sandbox, no GPU), and no background traffic to skew a measurement. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium binary to launch, or undefined for Playwright's own. */
export function chromiumPath() {
  const envPath = process.env['CONSENTLINE_CHROMIUM'];
  if (envPath !== undefined) return envPath || undefined;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** Launch options for Playwright: that binary (when there is one) and the flags, plus `extraArgs`. */
export function chromiumLaunchOptions(extraArgs = []) {
  const executablePath = chromiumPath();
  return { ...(executablePath ? { executablePath } : {}), args: [...CHROMIUM_ARGS, ...extraArgs] };
}
