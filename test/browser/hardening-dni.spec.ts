// Call tracking on hostile or large pages, on the built script tag: a link's escaped tail is never
// decoded by a swap, and a site with hundreds of numbers keeps call tracking.
import type { Page } from '@playwright/test';
import { recordFigures } from '../support/figures';
import { consoleTexts, expect, test, type TestServer } from './fixtures';

type Api = Record<string, (...a: unknown[]) => unknown>;

/** A page with the given DNI config (JSON block) and body, loading the SDK; returns its console warnings. */
async function open(page: Page, server: TestServer, path: string, dni: unknown, body: string): Promise<string[]> {
  const warnings = consoleTexts(page, 'warning');
  await page.route(`**${path}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body:
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>` +
        `<script type="application/json" id="consentline-config">${JSON.stringify({ dni }).replace(/</g, '\\u003c')}</script>` +
        `<script src="/dist/consentline.min.js"></script></head><body><main>${body}</main></body></html>`,
    }),
  );
  await page.goto(server.url + path);
  await page.waitForFunction(() => typeof window.Consentline?.get === 'function');
  return warnings;
}

// Calls the API and returns once the tasks the call queued have run (the grant's number, then the page).
const call = (page: Page, method: string) =>
  page.evaluate(async (m) => {
    (window.Consentline as unknown as Api)[m]!();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  }, method);

const hrefs = (page: Page) => page.$$eval('a', (as) => as.map((a) => a.getAttribute('href')));
const texts = (page: Page, sel: string) => page.$$eval(sel, (els) => els.map((e) => e.textContent));

test.describe('tel: and sms: links keep every byte but the number', () => {
  // Escaped delimiters (`%26` is "&", `%3F` "?", `%3B` ";", `%3D` "="), in the number part and after it.
  const LINKS = [
    'sms:+15551234567?%26body%3DTom%26Jerry',
    'sms:+15551234567%26body%3DTom%26Jerry',
    'sms:%2B15551234567%3Fbody%3DHi%26to%3Dall',
    'tel:+15551234567;ext=12%26x',
    'tel:+1%20555%20123%204567%3Bext%3D12%26x',
    'tel:555%E2%80%93123%E2%80%934567%E2%80%94%26',
  ];

  test('after the swap only the number is new, and a withdrawal puts every link back byte for byte', async ({
    page,
    server,
  }) => {
    const body = LINKS.map((h, i) => `<p><a id="l${i}" href="${h}">Text us ${i}</a></p>`).join('');
    await open(
      page,
      server,
      '/dni-links.html',
      { targets: ['+15551234567'], rules: [{ direct: true, number: '+18889990000' }] },
      body,
    );
    expect(await hrefs(page)).toEqual(LINKS);

    await call(page, 'acceptAll');
    await expect
      .poll(() => hrefs(page))
      .toEqual([
        'sms:+18889990000?%26body%3DTom%26Jerry',
        'sms:+18889990000%26body%3DTom%26Jerry',
        'sms:+18889990000%3Fbody%3DHi%26to%3Dall',
        'tel:+18889990000;ext=12%26x',
        'tel:+18889990000%3Bext%3D12%26x',
        'tel:+18889990000%E2%80%94%26',
      ]);

    await call(page, 'rejectAll');
    expect(await hrefs(page)).toEqual(LINKS);
    recordFigures('dni: tel/sms links keep their bytes (browser)', { cases: LINKS.length, scenarios: 1 });
  });
});

test.describe('hundreds of numbers', () => {
  const e164 = (i: number) => `+1555${String(1000000 + 1999 * i).padStart(7, '0')}`;
  const tracking = (i: number) => `+1888${String(1000000 + i).padStart(7, '0')}`;
  const written = (n: string) => `(${n.slice(2, 5)}) ${n.slice(5, 8)}-${n.slice(8)}`;
  // A location page per number: the 1st, 250th, 500th and 501st, in text and in a link.
  const SHOWN = [0, 249, 499, 500];
  const body = SHOWN.map(
    (i) => `<p class="loc">Store ${i + 1}: <strong>${written(e164(i))}</strong> <a href="tel:${e164(i)}">call</a></p>`,
  ).join('');
  const config = (count: number) => {
    const targets = Array.from({ length: count }, (_, i) => e164(i));
    return { targets, rules: [{ direct: true, number: Object.fromEntries(targets.map((t, i) => [t, tracking(i)])) }] };
  };

  test('500 targets and a rule map of 500 numbers: each location gets its own number, with no warning', async ({
    page,
    server,
  }) => {
    const warnings = await open(page, server, '/dni-500.html', config(500), body.split('<p class="loc">Store 501')[0]!);
    await call(page, 'acceptAll');
    const want = [0, 249, 499].map((i) => written(tracking(i)));
    await expect.poll(() => texts(page, '.loc strong')).toEqual(want);
    // Links are written in a task after the text.
    await expect.poll(() => hrefs(page)).toEqual([0, 249, 499].map((i) => `tel:${tracking(i)}`));
    expect(warnings).toEqual([]);
    recordFigures('dni: 500 targets (browser)', { scenarios: 1 });
  });

  test('612 targets: the first 500 still work and one warning names the count for each list', async ({
    page,
    server,
  }) => {
    const warnings = await open(page, server, '/dni-612.html', config(612), body);
    await call(page, 'acceptAll');
    const want = [written(tracking(0)), written(tracking(249)), written(tracking(499)), written(e164(500))];
    await expect.poll(() => texts(page, '.loc strong')).toEqual(want);
    // Links are written in a task after the text.
    await expect
      .poll(() => hrefs(page))
      .toEqual([`tel:${tracking(0)}`, `tel:${tracking(249)}`, `tel:${tracking(499)}`, `tel:${e164(500)}`]);
    expect(warnings).toEqual([
      '[consentline] dni.targets: 612 given, the first 500 kept',
      '[consentline] dni.rules[0].number: 612 given, the first 500 kept',
    ]);
    recordFigures('dni: 612 targets (browser)', { scenarios: 1 });
  });
});

test.describe('editable regions', () => {
  test('content an inline editor makes editable after the swap shows the site’s own number and link, so the editor never saves a tracking number', async ({
    page,
    server,
  }) => {
    const body =
      '<article id="post"><p>Call <strong>(555) 123-4567</strong> today</p>' +
      '<a href="tel:+15551234567"><span>(555)</span> 123-4567</a></article>';
    await open(
      page,
      server,
      '/dni-editable.html',
      { targets: ['+15551234567'], rules: [{ number: '+18889990000' }] },
      body,
    );
    const post = page.locator('#post');
    const before = await post.innerHTML();
    await call(page, 'acceptAll');
    await expect(page.locator('#post strong')).toHaveText('(888) 999-0000');
    // TinyMCE's inline mode, and most inline editors, make the element itself editable.
    const saved = await page.evaluate(async () => {
      const el = document.getElementById('post')!;
      el.contentEditable = 'true';
      await new Promise((r) => setTimeout(r, 0));
      return el.innerHTML;
    });
    recordFigures('dni: editable regions keep the site’s numbers (browser)', {
      scenarios: 1,
      leaks: (saved.match(/888|999-0000/g) ?? []).length,
    });
    expect(saved).toBe(before);
  });
});

test.describe('a page that puts its own number back', () => {
  test('an element whose own script restores it on every change: the consent call returns, the element is left as the page has it, the rest is swapped', async ({
    page,
    server,
  }) => {
    // (Capped, so that a page caught in a loop comes back and the test can tell.)
    const body =
      '<p id="g">Call (555) 123-4567</p><p id="o">Or (555) 123-4567</p><script>' +
      "const g = document.getElementById('g'); const own = g.textContent; window.putBack = 0;" +
      'new MutationObserver(() => { if (g.textContent !== own && window.putBack < 20000) { window.putBack++; g.textContent = own; } })' +
      '.observe(g, { childList: true, characterData: true, subtree: true });</script>';
    await open(
      page,
      server,
      '/dni-fight.html',
      { targets: ['+15551234567'], rules: [{ number: '+18889990000' }] },
      body,
    );
    await call(page, 'acceptAll');
    await expect(page.locator('#o')).toHaveText('Or (888) 999-0000');
    const putBack = await page.evaluate(() => (window as unknown as { putBack: number }).putBack);
    recordFigures('dni: a page restoring its own number is not fought for ever (browser)', { scenarios: 1 });
    expect(putBack).toBeGreaterThan(0);
    expect(putBack).toBeLessThan(20000);
    await expect(page.locator('#g')).toHaveText('Call (555) 123-4567');
  });
});

test.describe('forms whose controls shadow Node members', () => {
  test('a form with controls named textContent or contains, inserted beside other content, stops neither the swap of that content nor the revert of a copy after a withdrawal', async ({
    page,
    server,
  }) => {
    const body =
      '<p id="t">Call (555) 123-4567</p><div id="ed" contenteditable="true"><form id="f"><input name="contains"></form></div>';
    await open(
      page,
      server,
      '/dni-clobber.html',
      { targets: ['+15551234567'], rules: [{ number: '+18889990000' }] },
      body,
    );
    await call(page, 'acceptAll');
    await expect(page.locator('#t')).toHaveText('Call (888) 999-0000');
    const kept = await page.locator('#t').evaluate((p) => p.outerHTML.replace('id="t"', 'class="copy"'));
    // One batch: content added into the editable form, a form with a control named textContent,
    // and new content holding the site's number.
    const granted = await page.evaluate(async () => {
      document.getElementById('f')!.append(document.createElement('b'));
      const form = document.createElement('form');
      form.innerHTML = '<input name="textContent"><input name="contains">';
      const p = document.createElement('p');
      p.className = 'late';
      p.textContent = 'Or (555) 123-4567';
      document.querySelector('main')!.append(form, p);
      await new Promise((r) => setTimeout(r, 0));
      return p.textContent;
    });
    expect(granted).toBe('Or (888) 999-0000');
    await call(page, 'rejectAll');
    const after = await page.evaluate(async (html) => {
      const form = document.createElement('form');
      form.innerHTML = '<input name="textContent"><input name="contains">';
      const box = document.createElement('div');
      box.innerHTML = html;
      document.querySelector('main')!.append(form, box);
      await new Promise((r) => setTimeout(r, 0));
      return box.textContent;
    }, kept);
    recordFigures('dni: copies of the page after a withdrawal (browser)', {
      scenarios: 1,
      leaks: (after!.match(/888/g) ?? []).length,
    });
    expect(after).toBe('Call (555) 123-4567');
  });
});
