// The soak page: a single-page app that re-renders its header, its content and its footer on every
// route, as dashboards and shops do for hours. Each route writes 100 numbers in 50 paragraphs (some
// as tel: links), the header and footer numbers and links, a marked placeholder, a form that takes
// the attribution token, a custom element with an open shadow root holding a number, and two
// held-back embeds (social, not granted: they keep their placeholders). Served twice: with the SDK
// (script tag, DNI configured, the UI mounted) and without it, so the SDK's own part can be told
// from the app's. Used by `npm run bench:soak` (bench/soak.mjs) and test/browser/soak.spec.ts.

export const TARGET = '+15551234567';
export const TRACKING = '+18889990000';

/** Path prefix the soak pages are served under: `/soak/sdk` and `/soak/bare`. */
export const SOAK_PREFIX = '/soak/';

const CONFIG = {
  dni: { targets: [TARGET], rules: [{ direct: true, number: TRACKING }] },
};

// Runs in the page: `window.__soak.routes(n)` renders n routes, each in a task of its own, and
// returns the time each took, from the first DOM write until the mutation observers (the SDK's
// included) have handled it.
function app() {
  const LAYOUTS = ['(555) 123-4567', '555-123-4567', '555.123.4567', '+1 555 123 4567', '555 123 4567'];
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k]);
    e.append(...kids);
    return e;
  };
  if (!customElements.get('soak-phone')) {
    customElements.define(
      'soak-phone',
      class extends HTMLElement {
        constructor() {
          super();
          this.attachShadow({ mode: 'open' }).append(el('b', {}, 'Sales: 555 123 4567'));
        }
      },
    );
  }
  const header = document.getElementById('header');
  const main = document.getElementById('main');
  const footer = document.getElementById('footer');
  let route = 0;
  const render = () => {
    route++;
    history.replaceState(null, '', `?route=${route}`);
    header.replaceChildren(
      el('nav', {}, el('a', { href: `?route=${route + 1}` }, 'Next'), ' Route ', String(route)),
      el('a', { href: 'tel:+15551234567', class: 'call' }, '(555) 123-4567'),
      el('span', {}, ' Call us: 555-123-4567'),
    );
    const paragraphs = [];
    for (let i = 0; i < 50; i++) {
      const a = LAYOUTS[(route + i) % LAYOUTS.length];
      const b = LAYOUTS[(route + i + 2) % LAYOUTS.length];
      paragraphs.push(
        i % 5 === 0
          ? el(
              'p',
              {},
              `Item ${i} of route ${route}: ring `,
              el('a', { href: 'tel:' + a.replace(/[^\d+]/g, '') }, a),
              ` or text ${b} today.`,
            )
          : el('p', {}, `Item ${i} of route ${route}: call ${a} or ${b} for a quote.`),
      );
    }
    main.replaceChildren(
      el('h1', {}, `Route ${route}`),
      ...paragraphs,
      // (Images, not iframes: an iframe costs tens of milliseconds to create, which would bury the
      // SDK's part of a route in the browser's.)
      el('img', {
        'data-category': 'social',
        'data-src': '/embed/video.html',
        'data-provider': 'Video',
        width: '320',
        height: '180',
      }),
      el('img', {
        'data-category': 'social',
        'data-src': '/embed/map.html',
        'data-provider': 'Maps',
        width: '320',
        height: '180',
      }),
      el('soak-phone', {}),
      el('form', { 'data-consentline-form': '' }, el('input', { name: 'email' })),
    );
    footer.replaceChildren(
      el('p', {}, 'Northside Plumbing, call ', el('a', { href: 'tel:+15551234567' }, '555.123.4567'), ' any time.'),
      el('p', {}, 'Hotline: ', el('span', { 'data-dni': '+15551234567' })),
    );
  };
  // A task of its own per route, as a router's navigation is (MessageChannel: no timer clamping).
  const channel = new MessageChannel();
  const nextTask = () =>
    new Promise((resolve) => {
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(0);
    });
  window.__soak = {
    async routes(n) {
      const times = [];
      for (let i = 0; i < n; i++) {
        await nextTask();
        const t0 = performance.now();
        render();
        // Mutation observers run at the microtask checkpoint that follows the render, before this.
        await Promise.resolve();
        times.push(performance.now() - t0);
      }
      return times;
    },
    // What the visitor sees in the header, footer, shadow root and a paragraph: the proof the SDK is swapping.
    shown: () => ({
      header: header.querySelector('.call').textContent,
      headerHref: header.querySelector('.call').getAttribute('href'),
      shadow: main.querySelector('soak-phone').shadowRoot.textContent,
      paragraph: main.querySelectorAll('p')[1].textContent,
      placeholders: document.querySelectorAll('.consentline-ph').length,
      token: main.querySelectorAll('input[name=consentline_token]').length,
    }),
  };
}

/** The page's HTML; `sdk: false` is the same app without the SDK. */
export function buildSoakPage({ sdk = true } = {}) {
  const tag = sdk
    ? `<script type="application/json" id="consentline-config">${JSON.stringify(CONFIG).replace(/</g, '\\u003c')}</script>\n<script src="/dist/consentline.min.js"></script>`
    : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Soak</title><link rel="icon" href="data:,">
${tag}
</head>
<body>
<header id="header"></header>
<main id="main"></main>
<footer id="footer"></footer>
<script>(${app})()</script>
</body>
</html>
`;
}

/** demo/server.mjs route handler for {@link SOAK_PREFIX}: `/soak/sdk`, `/soak/bare`, and the embeds' pages. */
export function handleSoak(_req, res, _body, url) {
  const name = url.pathname.slice(SOAK_PREFIX.length);
  if (name !== 'sdk' && name !== 'bare') return false;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(buildSoakPage({ sdk: name === 'sdk' }));
  return true;
}

/**
 * Runs in the page before anything else (an init script): counts the MutationObservers and event
 * listeners created from the SDK's script, told by the script URL in the call stack. An observer
 * counts while it observes something; a listener until it is removed or its target is collected.
 * (`once` listeners are left out: they remove themselves when they fire.)
 */
export function instrument() {
  const SDK = '/dist/consentline';
  const fromSdk = () => String(new Error().stack).includes(SDK);
  const observers = new Set();
  const active = new WeakMap();
  const NativeMO = window.MutationObserver;
  window.MutationObserver = class extends NativeMO {
    constructor(cb) {
      super(cb);
      if (fromSdk()) observers.add(new WeakRef(this));
    }
    observe(...args) {
      active.set(this, true);
      return super.observe(...args);
    }
    disconnect() {
      active.set(this, false);
      return super.disconnect();
    }
  };
  const targets = new Set();
  const byTarget = new WeakMap();
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const key = (type, options) => `${type}|${typeof options === 'boolean' ? options : !!options?.capture}`;
  proto.addEventListener = function (type, fn, options) {
    if (fn && !(typeof options === 'object' && options?.once) && fromSdk()) {
      let m = byTarget.get(this);
      if (!m) {
        byTarget.set(this, (m = new Map()));
        targets.add(new WeakRef(this));
      }
      const k = key(type, options);
      if (!m.has(k)) m.set(k, new Set());
      m.get(k).add(fn);
    }
    return add.call(this, type, fn, options);
  };
  proto.removeEventListener = function (type, fn, options) {
    byTarget.get(this)?.get(key(type, options))?.delete(fn);
    return remove.call(this, type, fn, options);
  };
  window.__sdkHolds = () => {
    let mo = 0;
    for (const w of observers) {
      const o = w.deref();
      if (o && active.get(o)) mo++;
    }
    let listeners = 0;
    for (const w of targets) {
      const t = w.deref();
      if (t) for (const s of byTarget.get(t).values()) listeners += s.size;
    }
    return { observers: mo, listeners };
  };
}
