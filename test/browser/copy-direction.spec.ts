// The banner's server-rendered copy (React and Vue, from the built bundles) laid out in a real
// browser on a page that says its language but not its direction (`<html lang="ar">`, no `dir`),
// against the live UI the script tag draws on the same page with the same strings: a copy laid out
// in another direction than the live UI would flip when the live UI takes its place.
import { createElement } from 'react';
import { renderToString as renderReact } from 'react-dom/server';
import { createSSRApp, h as vueH } from 'vue';
import { renderToString as renderVue } from 'vue/server-renderer';
// @ts-expect-error built bundle without types beside it
import { createConsentStore, readConsentCookie } from '../../dist/esm/index.js';
// @ts-expect-error built bundle without types beside it
import { ConsentBanner as ReactBanner, ConsentProvider } from '../../dist/esm/react.js';
// @ts-expect-error built bundle without types beside it
import { ConsentBanner as VueBanner, consentline } from '../../dist/esm/vue.js';
import { SOME_ARABIC } from '../support/first-layer-languages';
import { expect, test } from './fixtures';
import { routePage } from './ui-support';

const COPIES: Record<string, () => Promise<string>> = {
  React: async () =>
    renderReact(
      createElement(
        ConsentProvider,
        { store: createConsentStore(), serverState: readConsentCookie('') },
        createElement(ReactBanner, { strings: SOME_ARABIC }),
      ),
    ),
  Vue: () =>
    renderVue(
      createSSRApp(() => vueH(VueBanner, { strings: SOME_ARABIC })).use(consentline, {
        store: createConsentStore(),
        serverState: readConsentCookie(''),
      }),
    ),
};

/** The first layer's texts in order, each with the direction the browser lays it out in. */
const laidOut = () => {
  const region = document.querySelector('#consentline [role="region"]')!;
  const texts = [...region.querySelectorAll('strong, .t p:last-child, .a button')].map(
    (el) => `${el.firstChild?.textContent?.trim()} ${getComputedStyle(el).direction}`,
  );
  return [`${region.getAttribute('aria-label')} ${getComputedStyle(region).direction}`, ...texts];
};

for (const [framework, copy] of Object.entries(COPIES)) {
  test(`${framework}: the copy of strings given without a language, on a page that says only its language, is laid out as the live UI is`, async ({
    page,
    server,
  }) => {
    await routePage(page, '/live.html', { html: 'lang="ar"', config: { ui: { strings: SOME_ARABIC } } });
    await page.goto(`${server.url}/live.html`);
    await expect(page.getByRole('button', { name: SOME_ARABIC.accept })).toBeVisible();
    const live = await page.evaluate(laidOut);
    expect(live[0]).toBe(`${SOME_ARABIC.title} rtl`);

    const html = await copy();
    await page.route('**/copy.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>t</title></head><body><main><h1>Page</h1></main>${html}</body></html>`,
      }),
    );
    await page.goto(`${server.url}/copy.html`);
    await expect(page.getByRole('button', { name: SOME_ARABIC.accept })).toBeVisible();
    expect(await page.evaluate(laidOut)).toEqual(live);
  });
}
