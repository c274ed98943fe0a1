// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { createCookieStorage } from '../../../src/storage/cookie-storage';
import { mountConsentUi, type ConsentUi, type ConsentUiOptions } from '../../../src/ui/mount';
import { fr } from '../../../src/ui/i18n/fr';
import { pickLanguage } from '../../../src/ui/i18n/pick';
import { en, enUi } from '../../../src/ui/i18n/en';
import { es } from '../../../src/ui/i18n/es';
import { de } from '../../../src/ui/i18n/de';
import { pt } from '../../../src/ui/i18n/pt';

const buttons = () => [...document.querySelectorAll('#consentline .b button')].map((b) => b.textContent);
let ui: ConsentUi | undefined;

beforeEach(() => {
  document.body.replaceChildren();
  document.documentElement.lang = 'en';
});
afterEach(() => {
  ui?.();
  ui = undefined;
});

describe('mountConsentUi (happy-dom)', () => {
  it('shows the banner until a decision exists, then removes it; destroy removes everything', () => {
    const store = createConsentStore();
    ui = mountConsentUi(store, { privacyPolicyUrl: '/privacy' });
    expect(buttons()).toEqual(['Accept all', 'Reject all', 'Customize']);
    expect(document.querySelector<HTMLAnchorElement>('#consentline a')!.getAttribute('href')).toBe('/privacy');
    (document.querySelectorAll('#consentline .b button')[1] as HTMLButtonElement).click();
    expect(store.get().decision?.method).toBe('banner');
    expect(store.get().grants).toEqual({ necessary: true, analytics: false, advertising: false, social: false });
    expect(document.querySelector('#consentline .b')).toBeNull();
    store.reset();
    expect(buttons()).toHaveLength(3);
    ui();
    ui = undefined;
    expect(document.getElementById('consentline')).toBeNull();
    store.reset();
    expect(document.getElementById('consentline')).toBeNull();
  });

  it('a grant puts held-back scripts in before it removes the banner', () => {
    document.body.innerHTML = '<script type="text/plain" data-category="analytics" src="/a.js"></script>';
    const store = createConsentStore();
    ui = mountConsentUi(store);
    const bannerShown: boolean[] = [];
    const replace = vi.spyOn(Element.prototype, 'replaceWith').mockImplementation(() => {
      bannerShown.push(document.querySelector('#consentline .b') !== null);
    });
    try {
      [...document.querySelectorAll<HTMLButtonElement>('#consentline .b button')]
        .find((b) => b.textContent === 'Accept all')!
        .click();
    } finally {
      replace.mockRestore();
    }
    expect(bannerShown).toEqual([true]);
    expect(document.querySelector('#consentline .b')).toBeNull();
  });

  it('the close control refuses with method "close" and its accessible name says so', () => {
    const store = createConsentStore();
    ui = mountConsentUi(store, { close: true });
    const x = document.querySelector<HTMLButtonElement>('#consentline .b .x')!;
    expect(x.getAttribute('aria-label')).toBe('Close and reject all');
    x.click();
    expect(store.get().decision?.method).toBe('close');
    expect(store.get().grants['analytics']).toBe(false);
  });

  it('dialog: necessary on and disabled, nothing pre-ticked, save applies the switches', () => {
    const store = createConsentStore({ categories: [{ id: 'analytics', cookies: ['_ga', '_ga_*'] }] });
    ui = mountConsentUi(store);
    ui.showPreferences();
    const box = (id: string) => document.getElementById(`consentline-${id}`) as HTMLInputElement;
    expect([box('necessary').checked, box('necessary').disabled]).toEqual([true, true]);
    for (const id of ['analytics', 'advertising', 'social'])
      expect([box(id).checked, box(id).disabled]).toEqual([false, false]);
    expect(box('analytics').getAttribute('role')).toBe('switch');
    expect(document.getElementById(box('analytics').getAttribute('aria-describedby')!)!.textContent).toBe(
      'Measures how the site is used.',
    );
    // Its cookies are listed in the category's collapsed details.
    const details = box('analytics').closest('.c')!.querySelector('details')!;
    expect([details.open, details.querySelector('summary')!.textContent]).toEqual([false, 'Cookies (2)']);
    expect([...details.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['_ga', '_ga_*']);
    box('social').checked = true;
    const save = [...document.querySelectorAll('dialog button')].find(
      (b) => b.textContent === 'Save choices',
    ) as HTMLButtonElement;
    save.click();
    expect(store.get().decision?.method).toBe('preferences');
    expect(store.get().grants).toEqual({ necessary: true, analytics: false, advertising: false, social: true });
    expect(document.querySelector('dialog')).toBeNull();
  });

  it('GPC: sale/share categories show "Opt-Out Request Honored" and a locked-off switch; others stay free', () => {
    const store = createConsentStore({ gpc: true, storage: createMemoryStorage() });
    store.acceptAll('banner');
    ui = mountConsentUi(store);
    ui.showPreferences();
    for (const id of ['advertising', 'social']) {
      const box = document.getElementById(`consentline-${id}`) as HTMLInputElement;
      expect([box.checked, box.disabled], id).toEqual([false, true]);
      expect(box.closest('.c')!.querySelector('.n')!.textContent).toBe('Opt-Out Request Honored');
    }
    const analytics = document.getElementById('consentline-analytics') as HTMLInputElement;
    expect([analytics.checked, analytics.disabled]).toEqual([true, false]);
    expect(analytics.closest('.c')!.querySelector('.n')).toBeNull();
  });

  it('an opt-out without GPC shows the honoured note but leaves the switches usable', () => {
    const store = createConsentStore();
    store.acceptAll('banner');
    store.optOut();
    ui = mountConsentUi(store, { strings: { honored: 'Do Not Sell honoured' } });
    ui.showPreferences();
    const box = document.getElementById('consentline-advertising') as HTMLInputElement;
    expect([box.checked, box.disabled]).toEqual([false, false]);
    expect(box.closest('.c')!.querySelector('.n')!.textContent).toBe('Do Not Sell honoured');
  });

  it('labels: configured label wins, built-ins are translated, hostile ids read no prototype member', () => {
    document.documentElement.lang = 'fr-CA';
    const store = createConsentStore({
      categories: [{ id: 'chat', label: 'Live chat' }, { id: 'constructor' }, { id: 'social', label: 'Réseaux' }],
    });
    ui = mountConsentUi(store, { languages: { fr } });
    expect(buttons()).toEqual(['Tout accepter', 'Tout refuser', 'Personnaliser']);
    expect(document.getElementById('consentline')!.lang).toBe('fr-CA');
    ui.showPreferences();
    const labels = [...document.querySelectorAll('dialog label')].map((l) => l.textContent);
    expect(labels).toEqual(['Nécessaires', 'Mesure d’audience', 'Publicité', 'Réseaux', 'Live chat', 'constructor']);
  });

  it('elements marked data-consentline-preferences open the dialog, including ones added later', () => {
    const store = createConsentStore();
    ui = mountConsentUi(store);
    const a = document.createElement('a');
    a.href = '#x';
    a.dataset['consentlinePreferences'] = '';
    a.append(document.createElement('span'));
    document.body.append(a);
    (a.firstChild as HTMLElement).click();
    expect(document.querySelector('dialog')).not.toBeNull();
  });

  it('withdrawing a category deletes its cookies (names and prefix* patterns) on the host, each parent domain and each path', () => {
    (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL('https://shop.example.com/a/b');
    // The store has its cookie storage clear `/` and this page's paths; the UI adds cookiePaths.
    const store = createConsentStore({
      categories: [{ id: 'analytics', cookies: ['_ga', '_ga_*'] }],
      storage: createCookieStorage(),
    });
    ui = mountConsentUi(store, { heldBack: false, cookiePaths: ['/shop'] });
    store.acceptAll();
    const writes: string[] = [];
    // On the prototype: the storage reaches document.cookie through it (page content can shadow
    // the document's own members).
    const proto = Object.getPrototypeOf(document) as object;
    vi.spyOn(proto as { cookie: string }, 'cookie', 'get').mockReturnValue('_ga=1; _ga_ABC=2; _gax=3; keep=4');
    vi.spyOn(proto as { cookie: string }, 'cookie', 'set').mockImplementation((v: string) => {
      writes.push(v);
    });
    try {
      store.set({ analytics: false });
    } finally {
      vi.restoreAllMocks();
    }
    // The decision's own cookie is written through the same setter; only the others are clearing.
    const names = new Set(writes.map((w) => w.split('=')[0]).filter((n) => !n!.endsWith('consentline')));
    expect([...names].sort()).toEqual(['_ga', '_ga_ABC']);
    const ga = writes.filter((w) => w.startsWith('_ga=')).sort();
    // Secure on https: a plain deletion leaves a Secure cookie in place.
    const paths = ['/', '/a', '/a/', '/a/b', '/a/b/', '/shop'];
    const domains = ['', ';domain=shop.example.com', ';domain=example.com', ';domain=com'];
    expect(ga).toEqual(paths.flatMap((p) => domains.map((d) => `_ga=;max-age=-1;path=${p}${d};secure`)).sort());
  });

  it('never uses innerHTML: hostile strings stay text', () => {
    const store = createConsentStore();
    ui = mountConsentUi(store, { strings: { title: '<img src=x onerror=alert(1)>' } });
    expect(document.querySelector('#consentline img')).toBeNull();
    expect(document.querySelector('#consentline strong')!.textContent).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('mountConsentUi: look', () => {
  it('throws naming the option when a JavaScript caller gives a layout, position or theme it does not have', () => {
    const store = createConsentStore();
    for (const [options, message] of [
      [{ layout: 'Box' }, 'mountConsentUi: layout must be one of bar, box, modal, not "Box"'],
      [{ position: 'left' }, 'mountConsentUi: position must be one of bottom, top, center, not "left"'],
      [{ theme: 'darkk' }, 'mountConsentUi: theme must be one of auto, light, dark, not "darkk"'],
    ] as const) {
      expect(() => mountConsentUi(store, options as unknown as ConsentUiOptions)).toThrow(message);
      expect(document.querySelector('#consentline')).toBeNull();
    }
    ui = mountConsentUi(store, { layout: 'box', position: 'top', theme: 'dark' });
    expect(document.querySelector('#consentline .b')?.className).toBe('b box top');
  });

  it('layout and edge come from the options; position "center" is the modal layout', () => {
    const cases: Array<[ConsentUiOptions, string]> = [
      [{}, 'b bar bottom'],
      [{ layout: 'box' }, 'b box bottom'],
      [{ layout: 'box', position: 'top' }, 'b box top'],
      [{ layout: 'modal', close: true }, 'b modal bottom cx'],
      [{ position: 'center' }, 'b modal bottom'],
    ];
    for (const [options, className] of cases) {
      ui = mountConsentUi(createConsentStore(), options);
      expect(document.querySelector('#consentline .b')!.className, JSON.stringify(options)).toBe(className);
      ui();
    }
    ui = undefined;
  });

  it('theme: a class on the root and on embed placeholders when forced, none for "auto"', () => {
    document.body.innerHTML =
      '<iframe data-category="social" data-src="https://video.example/1" data-provider="Video"></iframe>';
    ui = mountConsentUi(createConsentStore(), { theme: 'dark' });
    expect(document.getElementById('consentline')!.className).toBe('dark');
    expect(document.querySelector('.consentline-ph')!.className).toBe('consentline-ph dark');
    ui();
    ui = mountConsentUi(createConsentStore());
    expect(document.getElementById('consentline')!.className).toBe('auto');
    expect(document.querySelector('.consentline-ph')!.className).toBe('consentline-ph');
  });

  it('the dialog takes the banner’s place: hidden (still laid out) while open, back when closed undecided', () => {
    ui = mountConsentUi(createConsentStore());
    const banner = document.querySelector('#consentline .b')!;
    ui.showPreferences();
    expect(banner.classList.contains('hd')).toBe(true);
    ui.hidePreferences();
    expect(banner.classList.contains('hd')).toBe(false);
    expect(banner.isConnected).toBe(true);
  });

  it('watchPreferences tells whether the dialog is open: at once, on opening, on saving (after the decision), on Escape and on destroy; once per change', () => {
    const store = createConsentStore();
    ui = mountConsentUi(store);
    const heard: string[] = [];
    const stop = ui.watchPreferences((open) => heard.push(`${open} ${store.get().decision ? 'decided' : 'undecided'}`));
    // A watcher that throws is skipped: the dialog and the other watchers still work.
    ui.watchPreferences(() => {
      throw new Error('watcher');
    });
    ui.showPreferences();
    ui.showPreferences();
    const dialog = () => document.querySelector('#consentline dialog');
    [...dialog()!.querySelectorAll('button')].find((b) => b.textContent === 'Reject all')!.click();
    expect(dialog()).toBeNull();
    ui.showPreferences();
    dialog()!.dispatchEvent(new Event('close'));
    ui.showPreferences();
    ui();
    ui = undefined;
    expect(heard).toEqual([
      'false undecided',
      'true undecided',
      'false decided',
      'true decided',
      'false decided',
      'true decided',
      'false decided',
    ]);
    stop();
    const other = mountConsentUi(store);
    ui = other;
    const after: boolean[] = [];
    other.watchPreferences((open) => after.push(open))();
    other.showPreferences();
    expect(after).toEqual([false]);
  });

  it('a switch per category: a labelled checkbox with role="switch", necessary locked on', () => {
    ui = mountConsentUi(createConsentStore());
    ui.showPreferences();
    const switches = [...document.querySelectorAll<HTMLInputElement>('dialog [role="switch"]')];
    expect(switches.map((s) => [s.type, s.labels?.[0]?.textContent, s.checked, s.disabled])).toEqual([
      ['checkbox', 'Necessary', true, true],
      ['checkbox', 'Analytics', false, false],
      ['checkbox', 'Advertising', false, false],
      ['checkbox', 'Social media', false, false],
    ]);
  });

  it('cookie table: configured rows with only the columns some row fills; names only otherwise; none without cookies', () => {
    const store = createConsentStore({
      categories: [
        { id: 'analytics', cookies: ['_ga*'] },
        { id: 'advertising', cookies: ['_fbp', '_gcl_au'] },
      ],
    });
    ui = mountConsentUi(store, {
      cookieTable: {
        analytics: [
          { name: '_ga', provider: 'Google', duration: '2 years' },
          { name: '_ga_<id>', provider: 'Google', duration: '2 years' },
        ],
        constructor: [{ name: 'x' }],
      },
    });
    ui.showPreferences();
    const table = (id: string) => {
      const details = document.getElementById(`consentline-${id}`)!.closest('.c')!.querySelector('details');
      return details && [...details.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    };
    expect(table('analytics')).toEqual([
      ['Name', 'Provider', 'Duration'],
      ['_ga', 'Google', '2 years'],
      ['_ga_<id>', 'Google', '2 years'],
    ]);
    expect(table('advertising')).toEqual([['Name'], ['_fbp'], ['_gcl_au']]);
    expect(table('necessary')).toBeNull();
    expect(table('social')).toBeNull();
    expect(document.querySelector('#consentline th')!.getAttribute('scope')).toBe('col');
  });
});

describe('mountConsentUi: screen readers', () => {
  const live = () => document.querySelector('#consentline [aria-live="polite"]');

  it('a choice made in the banner or the dialog is announced as saved, in the UI’s language; gone with the UI', () => {
    document.documentElement.lang = 'fr';
    const store = createConsentStore();
    ui = mountConsentUi(store, { languages: { fr } });
    const press = (selector: string, text: string) =>
      [...document.querySelectorAll<HTMLButtonElement>(selector)].find((b) => b.textContent === text)!.click();
    press('#consentline .b button', fr.accept!);
    expect(live()!.textContent).toBe(fr.saved);
    store.reset();
    ui.showPreferences();
    // A dialog opened again does not still say the last choice was saved.
    expect(live()!.textContent).toBe('');
    press('dialog button', fr.save!);
    expect(live()!.textContent).toBe(fr.saved);
    ui.showPreferences();
    press('dialog button', fr.reject!);
    expect(live()!.textContent).toBe(fr.saved);
    ui();
    ui = undefined;
    expect(live()).toBeNull();
  });

  it('with `defer`, the status message waits for it: the click only hides the banner', () => {
    const store = createConsentStore();
    const queued: Array<() => void> = [];
    ui = mountConsentUi(store, { defer: (task) => queued.push(task) });
    [...document.querySelectorAll<HTMLButtonElement>('#consentline .b button')]
      .find((b) => b.textContent === 'Accept all')!
      .click();
    expect(document.querySelector('#consentline .b')).toBeNull();
    expect(live()!.textContent).toBe('');
    queued.forEach((task) => task());
    expect(live()!.textContent).toBe(enUi.saved);
  });

  it('a decision not made in the UI (the page’s script, another tab) announces nothing', () => {
    const store = createConsentStore();
    ui = mountConsentUi(store);
    store.rejectAll('api');
    expect(live()!.textContent).toBe('');
  });
});

describe('mountConsentUi: cookie tables', () => {
  it('each cookie table is named by its category and its summary', () => {
    ui = mountConsentUi(createConsentStore({ categories: [{ id: 'analytics', cookies: ['_ga', '_ga_*'] }] }));
    ui.showPreferences();
    const names = [...document.querySelectorAll('#consentline table')].map((table) =>
      (table.getAttribute('aria-labelledby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' '),
    );
    expect(names).toEqual(['Analytics Cookies (2)']);
  });
});

describe('mountConsentUi: direction', () => {
  const ARABIC = { title: 'ملفات تعريف الارتباط وخصوصيتك', accept: 'قبول الكل' };

  it('strings given without `lang` are the page’s language: the root says it and its direction', () => {
    document.documentElement.lang = 'ar';
    ui = mountConsentUi(createConsentStore(), { strings: ARABIC });
    const root = document.getElementById('consentline')!;
    expect([root.lang, root.dir]).toEqual(['ar', 'rtl']);
    // The texts it does not give are English: each says so, and is laid out left to right.
    const reject = [...document.querySelectorAll('#consentline .b button')].find(
      (b) => b.textContent === 'Reject all',
    )!;
    // (English found through the browser's languages: en-US here.)
    expect([reject.getAttribute('lang')!.slice(0, 2), reject.getAttribute('dir')]).toEqual(['en', 'ltr']);
    const accept = [...document.querySelectorAll('#consentline .b button')].find(
      (b) => b.textContent === ARABIC.accept,
    )!;
    expect([accept.getAttribute('lang'), accept.getAttribute('dir')]).toEqual(['ar', 'rtl']);
  });

  it('a page language with a pack keeps that pack, whatever `strings` override', () => {
    document.documentElement.lang = 'de';
    ui = mountConsentUi(createConsentStore(), { languages: { de }, strings: { title: 'Cookies' } });
    const root = document.getElementById('consentline')!;
    expect([root.lang, root.dir, buttons()[1]]).toEqual(['de', 'ltr', de.reject]);
  });

  it('embed placeholders say the direction of their texts’ language', () => {
    const embed = '<iframe data-category="social" data-src="https://video.example/1" data-provider="Video"></iframe>';
    const dirs = () =>
      [...document.querySelectorAll('.consentline-ph :is(p, button)')].map((el) => el.getAttribute('dir'));
    document.documentElement.lang = 'ar';
    document.body.innerHTML = embed;
    // The built-in English on a right-to-left page: left to right.
    ui = mountConsentUi(createConsentStore());
    expect(dirs()).toEqual(['ltr', 'ltr']);
    ui();
    document.body.innerHTML = embed;
    ui = mountConsentUi(createConsentStore(), { lang: 'ar', strings: { blocked: 'محتوى {p} محظور', load: 'تحميل' } });
    expect(dirs()).toEqual(['rtl', 'rtl']);
  });
});

describe('mountConsentUi mounted twice on one page', () => {
  it('draws one UI; the other mount opens its dialog, and draws the UI when the first is destroyed', async () => {
    const store = createConsentStore();
    const embed = document.body.appendChild(document.createElement('img'));
    Object.assign(embed.dataset, { category: 'social', src: 'https://www.youtube.com/embed/x' });
    const settings = document.body.appendChild(document.createElement('button'));
    settings.setAttribute('data-consentline-preferences', '');
    const first = mountConsentUi(store, { privacyPolicyUrl: '/first' });
    const second = (ui = mountConsentUi(store, { privacyPolicyUrl: '/second' }));
    expect(document.querySelectorAll('#consentline').length).toBe(1);
    expect(document.querySelectorAll('.consentline-ph').length).toBe(1);
    second.showPreferences();
    expect(document.querySelectorAll('dialog[open]').length).toBe(1);
    second.hidePreferences();
    expect(document.querySelectorAll('dialog').length).toBe(0);
    settings.click();
    expect(document.querySelectorAll('dialog[open]').length).toBe(1);
    [...document.querySelectorAll<HTMLButtonElement>('dialog .a button')]
      .find((b) => b.textContent === 'Accept all')!
      .click();
    await new Promise((r) => setTimeout(r, 0));
    expect(embed.getAttribute('src')).toBe('https://www.youtube.com/embed/x');
    store.reset();
    // The embed stays loaded as it is when the other mount takes over: not written (reloaded) again.
    store.acceptAll();
    await Promise.resolve();
    const writes = new MutationObserver(() => {});
    writes.observe(embed, { attributes: true, attributeFilter: ['src'] });
    first();
    await Promise.resolve();
    expect(writes.takeRecords()).toEqual([]);
    store.reset();
    expect(document.querySelectorAll('#consentline').length).toBe(1);
    expect(document.querySelector('#consentline a')!.getAttribute('href')).toBe('/second');
    settings.click();
    expect(document.querySelectorAll('dialog[open]').length).toBe(1);
    second();
    ui = undefined;
    expect(document.querySelector('#consentline, dialog, .consentline-ph')).toBeNull();
    // Nothing left waiting: a new mount draws at once.
    ui = mountConsentUi(store);
    expect(document.querySelectorAll('#consentline [role="region"]').length).toBe(1);
  });
});

describe('mountConsentUi mounted twice: watchPreferences', () => {
  it("every mount's watchers hear the page's one dialog, whichever mount or control opens it, and after a takeover", () => {
    const store = createConsentStore();
    const settings = document.body.appendChild(document.createElement('button'));
    settings.setAttribute('data-consentline-preferences', '');
    const first = mountConsentUi(store);
    const second = (ui = mountConsentUi(store));
    const heard: string[] = [];
    first.watchPreferences((open) => heard.push(`first ${open}`));
    second.watchPreferences((open) => heard.push(`second ${open}`));
    second.showPreferences();
    first.hidePreferences();
    settings.click();
    // A mount that joins while the dialog is open is told so at once.
    const third = mountConsentUi(store);
    third.watchPreferences((open) => heard.push(`third ${open}`));
    third();
    // The drawing mount goes: its dialog closes, and the next mount draws and opens its own.
    first();
    second.showPreferences();
    second.hidePreferences();
    expect(heard).toEqual([
      'first false',
      'second false',
      'first true',
      'second true',
      'first false',
      'second false',
      'first true',
      'second true',
      'third true',
      'third false',
      'first false',
      'second false',
      'second true',
      'second false',
    ]);
  });
});

describe('mountConsentUi destroyed', () => {
  it('does nothing when a destroyed UI is asked to show or hide its preferences', () => {
    const store = createConsentStore();
    const gone = mountConsentUi(store);
    const root = document.getElementById('consentline')!;
    gone();
    expect(() => {
      gone.showPreferences();
      gone.hidePreferences();
    }).not.toThrow();
    expect(document.querySelector('dialog, #consentline')).toBeNull();
    // Even with its root put back by the page.
    document.body.append(root);
    expect(() => gone.showPreferences()).not.toThrow();
    expect(document.querySelector('dialog')).toBeNull();
  });
});

describe('language packs', () => {
  it('every pack has every English key', () => {
    for (const pack of [es, fr, de, pt]) expect(Object.keys(pack).sort()).toEqual(Object.keys(en).sort());
  });

  it('embed placeholders speak the UI’s language: the pack’s texts, the site’s strings over them, else English', () => {
    const placeholder = () => {
      const box = document.querySelector('.consentline-ph')!;
      return [box.querySelector('p')!.textContent, box.querySelector('button')!.textContent];
    };
    const embed = '<iframe data-category="social" data-src="https://video.example/1" data-provider="Video"></iframe>';
    document.body.innerHTML = embed;
    ui = mountConsentUi(createConsentStore(), { lang: 'de', languages: { de } });
    expect(placeholder()).toEqual([
      'Dieser Inhalt von Video ist blockiert, bis Sie „Soziale Medien“ erlauben.',
      '„Soziale Medien“ erlauben und laden',
    ]);
    ui();
    document.body.innerHTML = embed;
    ui = mountConsentUi(createConsentStore(), { lang: 'de', languages: { de }, strings: { load: 'Laden: {c}' } });
    expect(placeholder()).toEqual([
      'Dieser Inhalt von Video ist blockiert, bis Sie „Soziale Medien“ erlauben.',
      'Laden: Soziale Medien',
    ]);
    ui();
    // A pack without the placeholder's strings: its labels, the placeholder's English.
    document.body.innerHTML = embed;
    ui = mountConsentUi(createConsentStore(), { lang: 'xx', languages: { xx: { social: 'Sozial' } } });
    expect(placeholder()).toEqual(['Video content is blocked until you allow Sozial.', 'Allow Sozial and load']);
  });

  it('each text of an embed placeholder says its own language: the site’s, its pack’s, or English (WCAG 3.1.2)', () => {
    const embed = '<iframe data-category="social" data-src="https://video.example/1" data-provider="Video"></iframe>';
    const langs = () =>
      ['.consentline-ph p', '.consentline-ph button'].map((s) =>
        document.querySelector(s)?.closest('[lang]')?.getAttribute('lang'),
      );
    const { blocked: _, ...noBlocked } = de;
    // A forced `it` without a pack takes the page's `de` pack for what the site does not say.
    document.documentElement.lang = 'de';
    for (const [name, options, want, gpc] of [
      ['the site’s button', { lang: 'it', languages: { de }, strings: { load: 'Carica: {c}' } }, ['de', 'it']],
      ['a pack without the text', { lang: 'de', languages: { de: noBlocked } }, ['en', 'de']],
      ['the site’s text', { lang: 'it', languages: { de }, strings: { blocked: 'Bloccato: {p}' } }, ['it', 'de']],
      ['opted out', { lang: 'it', languages: { de }, strings: { blocked: 'Bloccato: {p}' } }, ['de', undefined], true],
    ] as const) {
      document.body.innerHTML = embed;
      ui = mountConsentUi(createConsentStore({ gpc: !!gpc }), options);
      expect(langs(), name).toEqual(want);
      ui();
    }
  });

  it('a forced lang without a pack labels the root; every text from another pack says that pack’s language (WCAG 3.1.2)', () => {
    document.documentElement.lang = 'de';
    document.body.innerHTML =
      '<iframe data-category="social" data-src="https://video.example/1" data-provider="Video"></iframe>';
    const langOf = (el: Element | null) => el!.closest('[lang]')!.getAttribute('lang');
    const byText = (selector: string, text: string) =>
      [...document.querySelectorAll(selector)].find((el) => el.textContent === text) ?? null;
    ui = mountConsentUi(createConsentStore(), {
      lang: 'it',
      languages: { de },
      privacyPolicyUrl: '/p',
      reopen: true,
      strings: { title: 'Cookie e privacy', accept: 'Accetta tutto' },
    });
    expect(document.getElementById('consentline')!.lang).toBe('it');
    // The region's name is the title: it says the title's language.
    expect(langOf(document.querySelector('#consentline [role="region"]'))).toBe('it');
    expect(
      [
        byText('#consentline strong', 'Cookie e privacy'),
        byText('#consentline a', de.policy!),
        document.querySelector('#consentline .t p + p'),
        byText('#consentline .b button', 'Accetta tutto'),
        byText('#consentline .b button', de.reject!),
        byText('#consentline .b button', de.custom!),
      ].map(langOf),
    ).toEqual(['it', 'de', 'de', 'it', 'de', 'de']);
    ui.showPreferences();
    expect([
      langOf(document.querySelector('dialog h2 span')),
      langOf(byText('dialog label span', de.analytics!)),
      langOf(byText('dialog button', de.save!)),
      langOf(byText('dialog button', 'Accetta tutto')),
    ]).toEqual(['de', 'de', 'de', 'it']);
    // The embed placeholder, in the page, says the language of its text too.
    expect(langOf(document.querySelector('.consentline-ph p'))).toBe('de');
    ui();
    // Every string the site's: the forced language is right for all, and only the root says it.
    const all = Object.fromEntries(Object.keys(enUi).map((k) => [k, `it:${k}`]));
    ui = mountConsentUi(createConsentStore(), { lang: 'it', languages: { de }, strings: all });
    expect([
      document.getElementById('consentline')!.lang,
      document.querySelectorAll('#consentline [lang]').length,
    ]).toEqual(['it', 0]);
    ui();
    // A language with its pack: as before, only the root.
    ui = mountConsentUi(createConsentStore(), { lang: 'de', languages: { de } });
    expect([
      document.getElementById('consentline')!.lang,
      document.querySelectorAll('#consentline [lang]').length,
    ]).toEqual(['de', 0]);
  });

  it('pickLanguage: explicit tag, then <html lang>, then navigator.languages, else English; no prototype keys', () => {
    document.documentElement.lang = 'de-AT';
    expect(pickLanguage({ en, de })._private_pack).toBe(de);
    expect(pickLanguage({ en, de, fr }, 'fr')).toEqual({
      _private_tag: 'fr',
      _private_pack: fr,
      _private_packTag: 'fr',
    });
    document.documentElement.lang = '__proto__';
    expect(pickLanguage({ en })._private_pack).toBe(en);
    document.documentElement.lang = 'constructor';
    expect(pickLanguage({ en })._private_pack).toBe(en);
  });
});
