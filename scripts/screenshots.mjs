// Side-by-side screenshots of Consentline's consent UI and vanilla-cookieconsent's default theme
// on the same page, light and dark, desktop and mobile, banner and preferences dialog, written to
// docs/screenshots/ (embedded in docs/consent-ui.md). Needs `npm run build` first.
//
//   node scripts/screenshots.mjs
//
// Chromium: as for the browser tests (bench/chromium.mjs).
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../bench/chromium.mjs';

const OUT = 'docs/screenshots';
const VANILLA = JSON.parse(readFileSync('node_modules/vanilla-cookieconsent/package.json', 'utf8')).version;
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, mobile: { width: 390, height: 844 } };
// How much of each raw screenshot the side-by-side image shows: enough to read, small files.
const SCALE = { desktop: 0.5, mobile: 0.7 };

const TEXT =
  'We use cookies for statistics, ads and social media only with your consent. You can change your choice at any time.';
const COOKIES = {
  analytics: [
    { name: '_ga', provider: 'Google Analytics', purpose: 'Tells visitors apart', duration: '2 years' },
    { name: '_ga_<id>', provider: 'Google Analytics', purpose: 'Keeps the session state', duration: '2 years' },
  ],
  advertising: [{ name: '_gcl_au', provider: 'Google Ads', purpose: 'Measures ad conversions', duration: '3 months' }],
};

// The same page for both: a small business site that supports dark mode (`color-scheme: light dark`).
const page = (head, body = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Harbor Plumbing</title>
<link rel="stylesheet" href="/site.css">${head}</head><body>
<header><b>Harbor Plumbing &amp; Heating</b><nav><a href="#">Services</a> <a href="#">Contact</a> <a href="#">Privacy</a></nav></header>
<main><h1>Burst pipe? Cold radiator? We are on our way.</h1>
<p>Licensed plumbers and heating engineers serving the Bay Area since 1998. Call (555) 123-4567 any time, day or night.</p>
<div class="cards"><section><h2>Emergency repairs</h2><p>Leaks, bursts and blocked drains, fixed the same day.</p></section>
<section><h2>Boilers &amp; heating</h2><p>Servicing, repairs and new installs with a 10-year warranty.</p></section>
<section><h2>Bathrooms</h2><p>From a new tap to a full refit. Book a free survey.</p></section></div>
<p>We are a family business with twelve vans on the road. Every job comes with a fixed quote before we start, and every repair with a two-year guarantee.</p></main>${body}</body></html>`;

const SITE_CSS = `:root{color-scheme:light dark;font:17px/1.6 Georgia,serif;background:#f7f4ee;color:#222}
@media(prefers-color-scheme:dark){:root{background:#14161a;color:#ddd}a{color:#8cf}}
body{margin:0}header{display:flex;justify-content:space-between;flex-wrap:wrap;gap:1em;padding:1em 2em;background:#0d3b66;color:#fff}
header a{color:#fff;margin-left:1em}main{max-width:60em;margin:auto;padding:1em 2em}h1{font-size:2.2em;line-height:1.2}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14em,1fr));gap:1em}.cards section{padding:0 1em;border:1px solid #8884;border-radius:8px}`;

const ours = (ui) =>
  page(
    `<script type="application/json" id="consentline-config">${JSON.stringify({
      privacyPolicyUrl: '#privacy',
      categories: {
        analytics: { cookies: ['_ga', '_ga_*'] },
        advertising: { cookies: ['_gcl_au'] },
        social: { cookies: [] },
      },
      ui: { cookieTable: COOKIES, close: true, ...ui },
    })}</script><script src="/dist/consentline.min.js"></script>`,
  );

const vanillaTable = (rows) =>
  rows && {
    headers: { name: 'Name', domain: 'Provider', desc: 'Purpose', exp: 'Duration' },
    body: rows.map((r) => ({ name: r.name, domain: r.provider, desc: r.purpose, exp: r.duration })),
  };
const section = (id, title, description) => ({
  title,
  description,
  linkedCategory: id,
  cookieTable: vanillaTable(COOKIES[id]),
});
// vanilla-cookieconsent's defaults (box, bottom right), its dark mode as its docs show it (a class
// on <html> when the visitor prefers dark), and the same strings and cookies as ours.
// `hideFromBots: false` only because it hides itself from automated browsers such as this one.
const vanilla = page(
  `<link rel="stylesheet" href="/vanilla/cookieconsent.css">
<script>if (matchMedia('(prefers-color-scheme: dark)').matches) document.documentElement.classList.add('cc--darkmode');</script>`,
  `<script src="/vanilla/cookieconsent.umd.js"></script><script>CookieConsent.run(${JSON.stringify({
    hideFromBots: false,
    categories: { necessary: { enabled: true, readOnly: true }, analytics: {}, advertising: {}, social: {} },
    language: {
      default: 'en',
      translations: {
        en: {
          consentModal: {
            title: 'Cookies and your privacy',
            description: `${TEXT} <a href="#privacy">Privacy policy</a>`,
            acceptAllBtn: 'Accept all',
            acceptNecessaryBtn: 'Reject all',
            showPreferencesBtn: 'Customize',
          },
          preferencesModal: {
            title: 'Privacy preferences',
            acceptAllBtn: 'Accept all',
            acceptNecessaryBtn: 'Reject all',
            savePreferencesBtn: 'Save choices',
            closeIconLabel: 'Close',
            sections: [
              section('necessary', 'Necessary', 'Needed for the site to work.'),
              section('analytics', 'Analytics', 'Measures how the site is used.'),
              section('advertising', 'Advertising', 'Relevant ads, shared with ad partners.'),
              section('social', 'Social media', 'Posts, videos and share buttons from social networks.'),
            ],
          },
        },
      },
    },
  })});</script>`,
);

const PAGES = {
  '/ours-bar.html': ours({ layout: 'bar' }),
  '/ours-box.html': ours({ layout: 'box' }),
  '/ours-modal.html': ours({ layout: 'modal' }),
  '/vanilla.html': vanilla,
};
const FILES = {
  '/site.css': ['text/css', () => SITE_CSS],
  '/dist/consentline.min.js': ['text/javascript', () => readFileSync('dist/consentline.min.js')],
  '/vanilla/cookieconsent.css': [
    'text/css',
    () => readFileSync('node_modules/vanilla-cookieconsent/dist/cookieconsent.css'),
  ],
  '/vanilla/cookieconsent.umd.js': [
    'text/javascript',
    () => readFileSync('node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js'),
  ],
};

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const [type, body] = PAGES[path] ? ['text/html', () => PAGES[path]] : (FILES[path] ?? []);
  if (!type) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': type }).end(body());
});
await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch(chromiumLaunchOptions());

/** A screenshot of one page in one state, as a data URL. */
async function shoot(path, { viewport, colorScheme, dialog }) {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], colorScheme, deviceScaleFactor: 1 });
  const p = await context.newPage();
  await p.goto(base + path);
  const isVanilla = path.startsWith('/vanilla');
  await p.waitForSelector(isVanilla ? '#cc-main .cm' : '#consentline .b');
  if (dialog) {
    // Open the preferences and unfold the analytics cookie table in both.
    if (isVanilla) {
      await p.evaluate(() => window.CookieConsent.showPreferences());
      await p.locator('#cc-main .pm__section-title', { hasText: 'Analytics' }).click();
    } else {
      await p.evaluate(() => window.Consentline.showPreferences());
      await p
        .locator('#consentline dialog details')
        .first()
        .evaluate((d) => (d.open = true));
      await p.evaluate(() => document.activeElement?.blur());
    }
  }
  await p.waitForTimeout(600); // vanilla-cookieconsent animates in
  const png = await p.screenshot();
  await context.close();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Screenshots in a row with captions, written as one PNG. */
async function compose(file, shots, viewport, colorScheme) {
  const { width, height } = VIEWPORTS[viewport];
  const w = Math.round(width * SCALE[viewport]);
  const h = Math.round(height * SCALE[viewport]);
  const context = await browser.newContext({
    viewport: { width: shots.length * (w + 24) + 24, height: h + 64 },
    colorScheme,
  });
  const p = await context.newPage();
  await p.setContent(
    `<body style="margin:0;padding:12px;display:flex;gap:24px;background:${colorScheme === 'dark' ? '#0b0c0f' : '#e9ebef'};color:${colorScheme === 'dark' ? '#eee' : '#111'};font:600 15px system-ui,sans-serif">${shots
      .map(
        ([caption, src]) =>
          `<figure style="margin:0"><figcaption style="margin:0 0 8px">${caption}</figcaption><img src="${src}" width="${w}" height="${h}" style="display:block;border-radius:6px"></figure>`,
      )
      .join('')}</body>`,
  );
  await p.screenshot({ path: `${OUT}/${file}`, fullPage: true });
  await context.close();
  console.log(`${OUT}/${file}`);
}

mkdirSync(OUT, { recursive: true });
for (const colorScheme of ['light', 'dark']) {
  for (const viewport of ['desktop', 'mobile']) {
    for (const dialog of [false, true]) {
      const opts = { viewport, colorScheme, dialog };
      await compose(
        `${colorScheme}-${viewport}-${dialog ? 'dialog' : 'banner'}.png`,
        [
          ['Consentline', await shoot('/ours-box.html', opts)],
          [`vanilla-cookieconsent ${VANILLA}`, await shoot('/vanilla.html', opts)],
        ],
        viewport,
        colorScheme,
      );
    }
  }
}
// Our three layouts, light, desktop.
const layouts = [];
for (const layout of ['bar', 'box', 'modal'])
  layouts.push([
    `layout: ${layout}`,
    await shoot(`/ours-${layout}.html`, { viewport: 'desktop', colorScheme: 'light' }),
  ]);
SCALE.desktop = 0.4;
await compose('layouts.png', layouts, 'desktop', 'light');

await browser.close();
server.close();
