// Builds the one page every library is measured on: the same body (about 2,000 elements, a few
// phone numbers), the same copy and the same three held-back scripts, each library wiring them in
// its own documented convention. Deterministic: same input, same bytes.

/** The copy every banner shows; each library gets it through its own translation mechanism. */
export const COPY = {
  title: 'We value your privacy',
  description:
    'We use cookies to run this site, to measure its audience, to show relevant ads and to let you share pages. Choose what you allow; you can change your mind at any time.',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  customize: 'Customize',
  save: 'Save choices',
  privacy: 'Privacy policy',
  prefsTitle: 'Cookie preferences',
  categories: {
    necessary: ['Strictly necessary', 'Needed for the site to work; always on.'],
    analytics: ['Analytics', 'Counts visits and traffic sources so we can improve the site.'],
    advertising: ['Advertising', 'Shows ads that match your interests and measures them.'],
    social: ['Social', 'Lets you share pages and see posts from social networks.'],
  },
};

export const CATEGORIES = ['analytics', 'advertising', 'social'];

// A small linear congruential generator: the page must be byte-identical on every run.
function random(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const WORDS =
  'plumbing heating repair boiler service emergency local family owned licensed insured estimate free quote same day weekend installation water heater drain leak pipe kitchen bathroom radiator thermostat energy saving annual check warranty technician certified friendly reliable honest price guarantee neighbourhood'.split(
    ' ',
  );

/** Phone numbers as a small business writes them; the DNI page swaps the first target. */
export const PHONES = ['(555) 123-4567', '+1 555 123 4567', '555.123.4567', '555-987-6543'];

function sentence(rnd, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rnd() * WORDS.length)]);
  const s = out.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}

/**
 * The body: header, navigation, sections of cards with lists and a table, a footer. `elements` is
 * the target element count; `phones` how many phone numbers to scatter through it.
 */
export function buildBody({ elements = 2000, phones = 4, seed = 7, phoneTexts = PHONES } = {}) {
  const rnd = random(seed);
  const parts = [];
  let count = 0;
  let phoneIndex = 0;
  const phoneEvery = Math.max(1, Math.floor(elements / Math.max(1, phones)));
  const el = (html) => {
    parts.push(html);
    count += (html.match(/<[a-z][a-z0-9]*[\s>]/g) ?? []).length;
  };
  el(
    `<header class="top"><a class="logo" href="/">Northside Plumbing</a><nav><ul>` +
      ['Services', 'Pricing', 'Areas', 'Reviews', 'Blog', 'Contact']
        .map((t) => `<li><a href="#${t.toLowerCase()}">${t}</a></li>`)
        .join('') +
      `</ul></nav><p class="call">Call us: <a href="tel:+15551234567">${PHONES[0]}</a></p></header>`,
  );
  el(`<main>`);
  el(
    `<section class="hero"><h1>Fast, honest plumbing since 1987</h1><p>${sentence(rnd, 24)}</p><p><a class="btn" href="#quote">Get a free quote</a></p></section>`,
  );
  let section = 0;
  while (count < elements - 40) {
    section++;
    el(`<section id="s${section}"><h2>${sentence(rnd, 4)}</h2>`);
    for (let card = 0; card < 6 && count < elements - 40; card++) {
      let phone = '';
      if (phoneIndex < phones && count >= phoneIndex * phoneEvery) {
        const text = phoneTexts[phoneIndex % phoneTexts.length];
        phone = ` Call <strong class="phone">${text}</strong> today.`;
        phoneIndex++;
      }
      const items = 3 + Math.floor(rnd() * 3);
      el(
        `<article class="card"><h3>${sentence(rnd, 3)}</h3><p>${sentence(rnd, 18)}${phone}</p><ul>` +
          Array.from({ length: items }, () => `<li><span>${sentence(rnd, 4)}</span></li>`).join('') +
          `</ul><p class="more"><a href="#s${section}">Read more</a> <em>${Math.floor(rnd() * 90 + 10)} reviews</em></p></article>`,
      );
    }
    el(
      `<table><thead><tr><th>Service</th><th>From</th><th>Time</th></tr></thead><tbody>` +
        Array.from(
          { length: 3 },
          () =>
            `<tr><td>${sentence(rnd, 2)}</td><td>$${Math.floor(rnd() * 300 + 49)}</td><td>${Math.floor(rnd() * 4 + 1)} h</td></tr>`,
        ).join('') +
        `</tbody></table></section>`,
    );
  }
  while (phoneIndex < phones) {
    el(`<p class="phone-line">Or call <span>${phoneTexts[phoneIndex % phoneTexts.length]}</span></p>`);
    phoneIndex++;
  }
  el(`</main>`);
  el(
    `<footer><p>Northside Plumbing, 12 Main Street. <a href="/privacy">${COPY.privacy}</a> · <a href="#cookies">Cookie settings</a></p><p>Office: <a href="tel:+15559876543">${PHONES[3]}</a></p></footer>`,
  );
  return { html: parts.join('\n'), elements: count };
}

const STYLE = `<style>
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1d2330;background:#fafafa}
.top{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:1rem 2rem;background:#0b3d5c;color:#fff}
.top a{color:#fff}.top ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
main{max-width:70rem;margin:0 auto;padding:1rem 2rem}.hero{padding:3rem 0}.hero h1{font-size:2.4rem;margin:0 0 1rem}
section{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem;margin:2rem 0}
section>h2,section>table{grid-column:1/-1}.card{background:#fff;border:1px solid #dde;border-radius:8px;padding:1rem}
.card h3{margin:0 0 .5rem;font-size:1.1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #dde;padding:.3rem .6rem;text-align:left}
.btn{display:inline-block;padding:.6rem 1.2rem;background:#e46b1a;color:#fff;border-radius:6px;text-decoration:none}
footer{padding:2rem;background:#222;color:#eee}footer a{color:#fff}
</style>`;

const held = (cat) => `/held/${cat}.js`;

/**
 * One library's wiring. `head` goes at the end of <head>, `tail` at the end of <body>; `held` is
 * the markup of the three held-back scripts in the library's own convention. `assets` are the
 * files the page itself references for the library (what it fetches on its own is seen at run time).
 */
export const LIBRARIES = {
  bare: {
    label: 'bare page',
    head: () => '',
    held: () => '',
    tail: () => '',
  },
  consentline: {
    label: 'Consentline',
    assets: ['/dist/consentline.min.js'],
    head: () => '',
    held: () =>
      CATEGORIES.map((c) => `<script type="text/plain" data-category="${c}" src="${held(c)}"></script>`).join('\n'),
    tail: (extra = {}) => {
      const config = {
        ...extra,
        regime: 'opt-in',
        privacyPolicyUrl: '/privacy',
        categories: Object.fromEntries(
          CATEGORIES.map((c) => [c, { label: COPY.categories[c][0], description: COPY.categories[c][1] }]),
        ),
        ui: {
          position: 'bottom',
          strings: {
            title: COPY.title,
            text: COPY.description,
            policy: COPY.privacy,
            accept: COPY.acceptAll,
            reject: COPY.rejectAll,
            custom: COPY.customize,
            prefs: COPY.prefsTitle,
            save: COPY.save,
          },
        },
      };
      return `<script type="application/json" id="consentline-config">${JSON.stringify(config)}</script>\n<script src="/dist/consentline.min.js" data-consentline></script>`;
    },
  },
  'vanilla-cookieconsent': {
    label: 'vanilla-cookieconsent',
    assets: [
      '/lib/vanilla-cookieconsent/dist/cookieconsent.css',
      '/lib/vanilla-cookieconsent/dist/cookieconsent.umd.js',
    ],
    // Per its getting-started guide: the stylesheet in <head>, the UMD script and CookieConsent.run() in <body>.
    head: () => `<link rel="stylesheet" href="/lib/vanilla-cookieconsent/dist/cookieconsent.css">`,
    held: () =>
      CATEGORIES.map((c) => `<script type="text/plain" data-category="${c}" src="${held(c)}"></script>`).join('\n'),
    tail: () => {
      const sections = [
        { title: COPY.prefsTitle, description: COPY.description },
        ...['necessary', ...CATEGORIES].map((c) => ({
          title: COPY.categories[c][0],
          description: COPY.categories[c][1],
          linkedCategory: c,
        })),
      ];
      const config = {
        hideFromBots: false,
        guiOptions: {
          consentModal: { layout: 'bar', position: 'bottom', equalWeightButtons: true },
          preferencesModal: { layout: 'box' },
        },
        categories: { necessary: { enabled: true, readOnly: true }, analytics: {}, advertising: {}, social: {} },
        language: {
          default: 'en',
          translations: {
            en: {
              consentModal: {
                title: COPY.title,
                description: COPY.description,
                acceptAllBtn: COPY.acceptAll,
                acceptNecessaryBtn: COPY.rejectAll,
                showPreferencesBtn: COPY.customize,
                footer: `<a href="/privacy">${COPY.privacy}</a>`,
              },
              preferencesModal: {
                title: COPY.prefsTitle,
                acceptAllBtn: COPY.acceptAll,
                acceptNecessaryBtn: COPY.rejectAll,
                savePreferencesBtn: COPY.save,
                closeIconLabel: 'Close',
                sections,
              },
            },
          },
        },
      };
      return `<script src="/lib/vanilla-cookieconsent/dist/cookieconsent.umd.js"></script>\n<script>CookieConsent.run(${JSON.stringify(config)});</script>`;
    },
  },
  klaro: {
    label: 'klaro',
    assets: ['/lib/klaro/dist/klaro.js'],
    // Per its README: the config as `klaroConfig`, then klaro.js (styles bundled) with `defer`.
    head: () => {
      const config = {
        version: 1,
        elementID: 'klaro',
        styling: { theme: ['light', 'bottom', 'wide'] },
        noticeAsModal: false,
        showNoticeTitle: true,
        htmlTexts: false,
        groupByPurpose: true,
        storageMethod: 'cookie',
        cookieName: 'klaro',
        default: false,
        mustConsent: false,
        acceptAll: true,
        hideDeclineAll: false,
        hideLearnMore: false,
        privacyPolicy: '/privacy',
        translations: {
          en: {
            privacyPolicyUrl: '/privacy',
            consentNotice: { title: COPY.title, description: COPY.description, learnMore: COPY.customize },
            consentModal: { title: COPY.prefsTitle, description: COPY.description },
            ok: COPY.acceptAll,
            acceptAll: COPY.acceptAll,
            decline: COPY.rejectAll,
            save: COPY.save,
            purposes: Object.fromEntries(
              CATEGORIES.map((c) => [c, { title: COPY.categories[c][0], description: COPY.categories[c][1] }]),
            ),
          },
        },
        services: CATEGORIES.map((c) => ({
          name: `${c}-svc`,
          title: COPY.categories[c][0],
          purposes: [c],
          default: false,
        })),
      };
      return `<script>var klaroConfig = ${JSON.stringify(config)};</script>\n<script defer src="/lib/klaro/dist/klaro.js"></script>`;
    },
    held: () =>
      CATEGORIES.map(
        (c) =>
          `<script type="text/plain" data-type="text/javascript" data-name="${c}-svc" data-src="${held(c)}"></script>`,
      ).join('\n'),
    tail: () => '',
  },
  tarteaucitron: {
    label: 'tarteaucitron',
    assets: ['/lib/tarteaucitronjs/tarteaucitron.min.js'],
    // Per its README: tarteaucitron.js in <head>, init(), custom services, then jobs pushed per service.
    head: () => {
      const params = {
        privacyUrl: '/privacy',
        bodyPosition: 'bottom',
        hashtag: '#tarteaucitron',
        cookieName: 'tarteaucitron',
        orientation: 'bottom',
        groupServices: true,
        showDetailsOnClick: true,
        serviceDefaultState: 'wait',
        showAlertSmall: false,
        cookieslist: false,
        showIcon: false,
        adblocker: false,
        DenyAllCta: true,
        AcceptAllCta: true,
        highPrivacy: true,
        handleBrowserDNTRequest: false,
        removeCredit: true,
        moreInfoLink: false,
        mandatory: true,
        mandatoryCta: false,
      };
      const text = {
        alertBigPrivacy: `${COPY.title}. ${COPY.description}`,
        acceptAll: COPY.acceptAll,
        denyAll: COPY.rejectAll,
        personalize: COPY.customize,
        privacyUrl: COPY.privacy,
        title: COPY.prefsTitle,
        allowAll: COPY.acceptAll,
        analytic: { title: COPY.categories.analytics[0], details: COPY.categories.analytics[1] },
        ads: { title: COPY.categories.advertising[0], details: COPY.categories.advertising[1] },
        social: { title: COPY.categories.social[0], details: COPY.categories.social[1] },
      };
      const types = { analytics: 'analytic', advertising: 'ads', social: 'social' };
      const services = CATEGORIES.map(
        (c) =>
          `tarteaucitron.services['${c}-svc']={key:'${c}-svc',type:'${types[c]}',name:${JSON.stringify(COPY.categories[c][0])},needConsent:true,cookies:[],js:function(){tarteaucitron.addScript('${held(c)}');}};`,
      ).join('\n');
      return (
        `<script>var tarteaucitronCustomText = ${JSON.stringify(text)};</script>\n` +
        `<script src="/lib/tarteaucitronjs/tarteaucitron.min.js"></script>\n` +
        `<script>tarteaucitron.init(${JSON.stringify(params)});\n${services}</script>`
      );
    },
    held: () =>
      `<script>${CATEGORIES.map((c) => `(tarteaucitron.job = tarteaucitron.job || []).push('${c}-svc');`).join('')}</script>`,
    tail: () => '',
  },
};

/** The full HTML for one library (or `bare`). */
export function buildPage(name, { body = buildBody(), config } = {}) {
  const lib = LIBRARIES[name];
  if (!lib) throw new Error(`unknown library ${name}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Northside Plumbing</title>
${STYLE}
${lib.head()}
</head>
<body>
${body.html}
${lib.held()}
${lib.tail(config)}
</body>
</html>
`;
}

/** The held-back script a category's tag loads: it marks itself as run, with the time. */
export function heldScript(category) {
  return `(window.__benchRan = window.__benchRan || {})[${JSON.stringify(category)}] = performance.now();\n`;
}
