// The consent UI's WCAG checks in Firefox ESR: reflow at 320 × 256 CSS px, right to left, a
// hostile page (a transform on <body>, rules on pseudo-elements) and forced colours. Playwright cannot drive this
// Firefox here, so the test starts it as a child process (support/firefox.ts) on a page that loads
// each case in an iframe of the case's size, measures it there and posts what it saw.
import { expect, serveHtml, test } from './fixtures';
import { HAS_FIREFOX, NO_FIREFOX, firefoxReport } from './support/firefox';

const CATEGORIES = { analytics: { cookies: ['_ga'] }, advertising: { cookies: ['_fbp'] }, social: { cookies: [] } };
const ARABIC = {
  lang: 'ar',
  close: true,
  layout: 'box',
  strings: {
    title: 'ملفات تعريف الارتباط وخصوصيتك',
    prefs: 'تفضيلات الخصوصية وملفات تعريف الارتباط لهذا الموقع وشركائه',
  },
};
const HOSTILE =
  '*{box-sizing:content-box} button{all:unset} div{position:relative;z-index:1} html{font-size:40px} ' +
  ':focus{outline:none} body{transform:translateZ(0);min-height:300vh} *::before,*::after{display:none!important}';

interface Case {
  name: string;
  width: number;
  height: number;
  html: string;
  ui: Record<string, unknown>;
  css?: string;
}

const CASES: Case[] = [
  { name: 'reflow', width: 320, height: 256, html: 'lang="en"', ui: { layout: 'modal', close: true } },
  { name: 'englishOnHebrew', width: 1000, height: 700, html: 'lang="he" dir="rtl"', ui: {} },
  { name: 'arabicBox', width: 1000, height: 700, html: 'lang="ar" dir="rtl"', ui: ARABIC },
  { name: 'hostile', width: 1000, height: 700, html: 'lang="en"', ui: { close: true }, css: HOSTILE },
];

const FORCED: Case = {
  name: 'forced',
  width: 1000,
  height: 700,
  html: 'lang="en"',
  ui: { layout: 'box', close: true },
};

const frame = (c: Case) =>
  `<!doctype html><html ${c.html}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>` +
  `<style>body{margin:0}${c.css ?? ''}</style>` +
  `<script type="application/json" id="consentline-config">${JSON.stringify({ categories: CATEGORIES, ui: c.ui })}</script>` +
  `<script src="/dist/consentline.min.js"></script></head><body><main><h1>Page</h1><p>Text.</p></main></body></html>`;

/** Runs in Firefox, in the case's iframe window: what the test asserts. */
async function measure(w: Window & { Consentline: { showPreferences(): void } }) {
  const d = w.document;
  const reachable = (selector: string) =>
    [...d.querySelectorAll(selector)].map((el) => {
      el.scrollIntoView({ block: 'nearest' });
      const r = el.getBoundingClientRect();
      const hit = d.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return r.height > 0 && (hit === el || el.contains(hit));
    });
  const overlaps = (text: string, other: string) => {
    const o = d.querySelector(other)!.getBoundingClientRect();
    const range = d.createRange();
    range.selectNodeContents(d.querySelector(text)!);
    return [...range.getClientRects()].some(
      (r) => r.left < o.right && r.right > o.left && r.top < o.bottom && r.bottom > o.top,
    );
  };
  const root = d.querySelector('#consentline')!;
  const banner = d.querySelector('#consentline .b')!.getBoundingClientRect();
  const cross = d.querySelector('#consentline .b .x');
  const out = {
    direction: w.getComputedStyle(root).direction,
    banner: [banner.left, banner.top, banner.bottom].map(Math.round),
    viewport: w.innerHeight,
    bannerButtons: reachable('#consentline .b button'),
    cross: cross ? w.getComputedStyle(cross, '::before').display !== 'none' : null,
    bannerTextClear: cross ? !overlaps('#consentline .b .t', '#consentline .b .x') : null,
    dialogControls: [] as boolean[],
    titleClear: false,
    knob: false,
    // Painted colours, forced colours applied: the dialog's surface, the cross, a switch's track and knob, off and on.
    colours: [] as string[],
  };
  w.Consentline.showPreferences();
  out.dialogControls = reachable('#consentline dialog input, #consentline dialog button');
  out.titleClear = !overlaps('#consentline h2', '#consentline dialog .x');
  const sw = d.querySelector<HTMLInputElement>('#consentline-analytics')!;
  out.knob = w.getComputedStyle(sw, '::before').display !== 'none';
  const paint = (el: Element, pseudo?: string) => w.getComputedStyle(el, pseudo).backgroundColor;
  out.colours = [
    paint(d.querySelector('#consentline dialog')!),
    paint(d.querySelector('#consentline dialog .x')!, '::before'),
    paint(sw),
    paint(sw, '::before'),
  ];
  sw.click();
  // The track's colour eases over 150 ms (longer on a busy machine): wait for it to settle.
  for (let i = 0; i < 30 && sw.getAnimations().length; i++) await new Promise((done) => setTimeout(done, 100));
  out.colours.push(paint(sw), paint(sw, '::before'));
  return out;
}

type Measured = Awaited<ReturnType<typeof measure>>;

test.skip(!HAS_FIREFOX, NO_FIREFOX);

test('Firefox ESR: the dialog reflows at 320 × 256, the UI takes its language’s direction and mirrors, hostile page CSS moves or hides nothing, forced colours keep switches and the cross visible', async ({
  server,
}) => {
  test.setTimeout(120_000);
  for (const c of [...CASES, FORCED]) serveHtml(server, `/ff-wcag/${c.name}.html`, frame(c));
  const runner = (cases: Case[]) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body style="margin:0"><script>` +
    `var measure = ${String(measure)};` +
    `var cases = ${JSON.stringify(cases.map(({ name, width, height }) => ({ name, width, height })))};` +
    `(async function () { var out = {}; for (var c of cases) { var f = document.createElement('iframe');` +
    `  f.style.cssText = 'display:block;border:0;width:' + c.width + 'px;height:' + c.height + 'px';` +
    `  var loaded = new Promise(function (r) { f.onload = r; }); f.src = '/ff-wcag/' + c.name + '.html'; document.body.append(f); await loaded;` +
    `  await new Promise(function (r) { setTimeout(r, 300); });` +
    `  try { out[c.name] = await measure(f.contentWindow); } catch (e) { out[c.name] = { error: String(e) }; } f.remove(); }` +
    `  fetch('/ff-wcag/report', { method: 'POST', body: JSON.stringify(out) }); })();` +
    `</script></body></html>`;
  serveHtml(server, '/ff-wcag/run.html', runner(CASES));
  serveHtml(server, '/ff-wcag/run-forced.html', runner([FORCED]));
  const run = (page: string, prefs = {}) =>
    firefoxReport<Record<string, Measured>>(server, {
      page,
      report: '/ff-wcag/report',
      prefs,
      args: ['--width', '1100', '--height', '900'],
    });
  try {
    const report = await run('/ff-wcag/run.html');
    const all = (xs: boolean[]) => xs.length > 0 && xs.every(Boolean);
    const { reflow, englishOnHebrew, arabicBox, hostile } = report as Record<string, Measured>;
    expect(reflow, JSON.stringify(reflow)).toMatchObject({ direction: 'ltr' });
    expect([all(reflow!.bannerButtons), all(reflow!.dialogControls)], JSON.stringify(reflow)).toEqual([true, true]);
    expect(englishOnHebrew!.direction).toBe('ltr');
    expect(arabicBox, JSON.stringify(arabicBox)).toMatchObject({
      direction: 'rtl',
      bannerTextClear: true,
      titleClear: true,
    });
    expect(arabicBox!.banner[0]).toBe(16);
    expect(hostile, JSON.stringify(hostile)).toMatchObject({ cross: true, knob: true });
    expect(hostile!.banner[2], JSON.stringify(hostile)).toBe(hostile!.viewport);
    expect(all(hostile!.bannerButtons)).toBe(true);
    // Firefox's "Override the colours specified by the page with your selections above: Always",
    // what forced-colors: active matches there.
    const { forced } = await run('/ff-wcag/run-forced.html', { 'browser.display.document_color_use': 2 });
    const [surface, cross, off, offKnob, on, onKnob] = forced!.colours;
    expect([cross !== surface, offKnob !== off, onKnob !== on, on !== off], JSON.stringify(forced)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  } finally {
    for (const c of [...CASES, FORCED]) delete server.routes[`/ff-wcag/${c.name}.html`];
    delete server.routes['/ff-wcag/run.html'];
    delete server.routes['/ff-wcag/run-forced.html'];
  }
});
