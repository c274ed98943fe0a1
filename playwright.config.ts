import { defineConfig } from '@playwright/test';
// Chromium and its flags, one rule for the tests, the bench and the scripts.
// @ts-expect-error plain ESM module without types
import { chromiumLaunchOptions } from './bench/chromium.mjs';

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
    launchOptions: chromiumLaunchOptions(),
    trace: 'off',
  },
});
