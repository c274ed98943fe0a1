// Numbers as pages write them beyond ASCII text: tel: links with a dialer's pauses and the URI's
// parameters, sms: links naming several recipients, digits of other scripts, and one tracking
// number standing for several site numbers. Swapped by the built script tag, then put back byte
// for byte when the visitor withdraws, copies of the page included.
import type { Page } from '@playwright/test';
import { callConsentline, expect, serveHtml, test, type TestServer } from './fixtures';

const HREFS = [
  'tel:+15551234567,,123',
  'tel:+15551234567;ext=123',
  'tel:+1-555-123-4567;phone-context=example.com',
  'tel:5551234567p123',
  'tel:5551234567W1#',
  'sms:+15551234567,+15557654321?body=hi',
  'sms://+15559999999;+15557654321?body=Tom%26Jerry',
];

const MAIN =
  HREFS.map((h) => `<a href="${h}">Call</a>`).join('') +
  '<p class="jp">お問い合わせ：(５５５) １２３-４５６７</p>' +
  '<p class="both">Sales 555-123-4567, support 555-765-4321</p>' +
  '<footer><a class="support" href="tel:+15557654321">555-765-4321</a><span>555-123-4567</span></footer>';

// Sales and support share one tracking number.
const DNI = { targets: ['+15551234567', '+15557654321'], rules: [{ number: '+18889990000' }] };

async function open(page: Page, server: TestServer): Promise<string> {
  const url = serveHtml(
    server,
    '/dni-writing.html',
    `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Writing</title>` +
      `<script type="application/json" id="consentline-config">${JSON.stringify({ dni: DNI })}</script>` +
      `<script src="/dist/consentline.min.js"></script></head><body><main>${MAIN}</main></body></html>`,
  );
  await page.goto(url);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  return page.locator('main').innerHTML();
}

const hrefs = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href')));

test.describe('call tracking: pauses, several recipients, other digit scripts, a shared tracking number', () => {
  test('swapped keeping every other byte, and put back byte for byte on withdrawal, a copy of <body> taken while granted too', async ({
    page,
    server,
  }) => {
    const before = await open(page, server);
    await callConsentline(page, 'acceptAll');
    await expect(page.locator('.jp')).toHaveText('お問い合わせ：(８８８) ９９９-００００');
    await expect(page.locator('.both')).toHaveText('Sales 888-999-0000, support 888-999-0000');
    // Links are written in a task after the text.
    await expect
      .poll(() => hrefs(page))
      .toEqual([
        'tel:+18889990000,,123',
        'tel:+18889990000;ext=123',
        'tel:+18889990000;phone-context=example.com',
        'tel:+18889990000p123',
        'tel:+18889990000W1#',
        'sms:+18889990000,+18889990000?body=hi',
        'sms:+15559999999;+18889990000?body=Tom%26Jerry',
        'tel:+18889990000',
      ]);
    await page.evaluate(() => {
      (window as unknown as { cachedBody: Node }).cachedBody = document.body.cloneNode(true);
    });
    await callConsentline(page, 'rejectAll');
    expect(await page.locator('main').innerHTML()).toBe(before);
    // Turbo Drive's restoration visit: the clone taken while granted becomes <body> again.
    await page.evaluate(async () => {
      document.body.replaceWith((window as unknown as { cachedBody: Node }).cachedBody);
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(await page.locator('main').innerHTML()).toBe(before);
  });
});
