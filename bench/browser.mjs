// The bench's Chromium, found and flagged as for the browser tests (bench/chromium.mjs).
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium.mjs';

export function launchBenchBrowser(extraArgs = []) {
  return chromium.launch({ headless: true, ...chromiumLaunchOptions(extraArgs) });
}
