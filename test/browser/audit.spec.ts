import { startAudit, isCollection } from './support/audit';
import { expect, test } from './fixtures';

test('the leakage audit catches a cookie, storage writes, IndexedDB, a beacon and a pixel', async ({
  page,
  server,
}) => {
  const audit = await startAudit(page);
  await page.goto(`${server.url}/leaky.html`);
  await expect.poll(() => audit.of('request', /collect\/pixel/).length).toBe(1);
  expect(audit.of('cookie', /^tracker=/)).toHaveLength(1);
  expect(audit.of('cookie')[0]!.detail).toContain('max-age=31536000');
  expect(audit.of('localStorage', /visitor_id/)).toHaveLength(1);
  expect(audit.of('sessionStorage', /session_hit/)).toHaveLength(1);
  expect(audit.of('indexedDB', /tracker-db/)).toHaveLength(1);
  const beacon = audit.of('request', /collect\/leak/);
  expect(beacon).toHaveLength(1);
  expect(beacon[0]!.type).toBe('ping');
  expect(audit.before().filter((e) => isCollection(e, server.url))).toHaveLength(2);
  // and the server saw both requests too
  expect(server.requests.filter((r) => r.path.startsWith('/collect/'))).toHaveLength(2);
});

test('the SDK page is clean before a decision, and only the consent cookie follows acceptAll', async ({
  page,
  server,
}) => {
  const audit = await startAudit(page);
  await page.goto(`${server.url}/privacy.html`);
  await page.waitForLoadState('networkidle');
  const before = audit.before();
  expect(before.filter((e) => e.kind !== 'request')).toEqual([]);
  expect(before.filter((e) => isCollection(e, server.url))).toEqual([]);
  audit.markDecision();
  await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
  const writes = audit.after().filter((e) => e.kind !== 'request');
  expect(writes.map((e) => e.detail.split('=')[0])).toEqual(['consentline']);
  expect(writes[0]!.detail).toMatch(/; path=\/; samesite=Lax/i);
});
