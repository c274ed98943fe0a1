// What the script tag does while its file runs, in Chromium against the built
// dist/consentline.min.js. A `document.cookie` read makes Chromium record a performance issue with
// the script's stack; with a DevTools session attached (the bench, any automation) that stack is
// captured whole, and the source positions of each function on it are collected by parsing it
// again. The file's top-level function is the whole file, so the SDK boots from a microtask queued
// by that code: after it has returned, and still before the page's next script runs.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

type W = { __inFile?: boolean; __reads: Array<boolean | undefined>; __next: { api: string; consent: number } };

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>' +
  '<script>' +
  'window.__reads = [];' +
  'var jar = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");' +
  // Whether each cookie read happens inside the SDK file's top-level code.
  'Object.defineProperty(Document.prototype, "cookie", { configurable: true,' +
  '  get: function () { __reads.push(window.__inFile); return jar.get.call(this); },' +
  '  set: function (v) { jar.set.call(this, v); } });' +
  '</script>' +
  `<script type="application/json" id="consentline-config">${JSON.stringify({ categories: { analytics: {} } })}</script>` +
  '<script src="/dist/consentline.min.js"></script>' +
  // The page's next script: the API and Consent Mode's default are there for it.
  '<script>window.__next = { api: typeof Consentline.get, consent: (window.dataLayer || []).filter(function (e) { return e[0] === "consent"; }).length };</script>' +
  '</head><body><main><h1>Page</h1></main></body></html>';

test('the SDK reads its cookie after its file has run, and is complete before the next script', async ({
  page,
  server,
}) => {
  // The file as built, marked from its first statement to its last.
  const sdk = readFileSync('dist/consentline.min.js', 'utf8');
  await page.route('**/dist/consentline.min.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `window.__inFile = true;\n${sdk}\n;window.__inFile = false;`,
    }),
  );
  await page.route('**/perf-load.html', (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  await page.goto(`${server.url}/perf-load.html`);
  await expect(page.getByRole('button', { name: 'Accept all' })).toBeVisible();
  const seen = await page.evaluate(() => ({
    reads: (window as unknown as W).__reads,
    next: (window as unknown as W).__next,
  }));
  expect(seen.reads.length).toBeGreaterThan(0);
  expect(seen.reads[0]).toBe(false);
  expect(seen.next).toEqual({ api: 'function', consent: 1 });
});
