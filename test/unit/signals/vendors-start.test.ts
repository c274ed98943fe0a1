// @vitest-environment happy-dom
// The script tag's entry into the vendor bridges: `signals.vendors` turns bridges on, on the page's window.
import { afterEach, expect, test } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startVendorBridges } from '../../../src/signals/vendors/config';

const win = window as unknown as Record<string, unknown>;
afterEach(() => {
  for (const name of ['uetq', 'clarity', 'fbq', 'ttq']) delete win[name];
});

test('startVendorBridges starts the configured vendors only, each with its default, and stops them', () => {
  const store = createConsentStore();
  const warnings: string[] = [];
  const stop = startVendorBridges(
    store,
    { uet: true, tiktokPixel: { map: { consent: 'social' } }, metaPixel: false },
    (m) => warnings.push(m),
  );
  expect(win['uetq']).toEqual(['consent', 'default', { ad_storage: 'denied' }]);
  expect(win['ttq']).toEqual([['holdConsent']]);
  expect('clarity' in win || 'fbq' in win).toBe(false);
  store.set({ social: true });
  expect(win['ttq']).toEqual([['holdConsent'], ['grantConsent']]);
  stop();
  store.set({ social: false });
  expect(win['ttq']).toHaveLength(2);
  expect(warnings).toEqual([]);
});

test('nothing configured: no vendor global appears', () => {
  const stop = startVendorBridges(createConsentStore(), undefined, () => {});
  expect(['uetq', 'clarity', 'fbq', 'ttq'].filter((name) => name in win)).toEqual([]);
  stop();
});
