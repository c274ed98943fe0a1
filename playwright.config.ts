import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium by default; CONSENTLINE_CHROMIUM points elsewhere, and an empty value uses
// Playwright's own download (`npx playwright install chromium`) on machines that allow it.
const envPath = process.env['CONSENTLINE_CHROMIUM'];
const executablePath =
  envPath !== undefined ? envPath || undefined : existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env['CI'] ? 2 : 2,
  retries: 0,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS },
    trace: 'off',
  },
});
