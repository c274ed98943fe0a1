// Held-back markup that cannot load as written: it is refused with a warning, and never stops the
// rest of the page's held-back content nor throws into the page.
import { consoleTexts, expect, test } from './fixtures';
import { routePage } from './ui-support';

test('under Trusted Types an <embed data-src> is refused at the grant; the held-back script after it still runs', async ({
  page,
  server,
}) => {
  const warnings = consoleTexts(page, 'warning');
  await routePage(page, '/held-back-tt.html', {
    csp: "script-src 'nonce-demo' 'strict-dynamic'; require-trusted-types-for 'script'",
    body:
      '<embed data-category="social" data-src="/social-post.html?embed" data-provider="Chirp" width="300" height="150">' +
      '<script type="text/plain" data-category="social" nonce="demo">window.__after = true</script>',
  });
  await page.goto(`${server.url}/held-back-tt.html`);
  await page.evaluate(() => (window.Consentline!.acceptAll as () => void)());
  await expect.poll(() => page.evaluate(() => (window as unknown as { __after?: boolean }).__after)).toBe(true);
  expect(warnings.filter((w) => w.includes('held back for good'))).toEqual([
    expect.stringContaining('TrustedScriptURL'),
  ]);
});
