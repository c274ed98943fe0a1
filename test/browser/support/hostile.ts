// Watches a page for hostile input that got through: an init script (runs before any page script)
// flags every element whose tag or attributes carry the payload marker, every event-handler
// attribute, every `javascript:` link, any write to `window.__xss`, and every CSP or Trusted Types
// violation. Payloads used with it carry the marker `xss` so page markup of its own never matches.
import type { Page } from '@playwright/test';

export interface HostileReport {
  /** Elements or writes that came from a payload. */
  flags: string[];
  /** `securitypolicyviolation` events (directive and blocked URI). */
  violations: string[];
}

function watch() {
  const w = window as unknown as { __hostile: HostileReport };
  const report: HostileReport = (w.__hostile = { flags: [], violations: [] });
  const flag = (s: string) => report.flags.length < 50 && report.flags.push(s.slice(0, 200));
  Object.defineProperty(window, '__xss', {
    configurable: false,
    get: () => undefined,
    set: (v) => flag(`window.__xss = ${String(v)}`),
  });
  const check = (el: Element) => {
    if (/xss/i.test(el.tagName)) flag(`<${el.tagName}>`);
    for (const a of Array.from(el.attributes)) {
      const v = a.value.replace(/[\s\0-\x1f]/g, '').toLowerCase();
      if (
        /^on/i.test(a.name) ||
        /xss/i.test(a.name) ||
        (/xss/i.test(a.value) && !/^(data-|aria-|title$|value$|placeholder$|content$|alt$)/.test(a.name))
      )
        flag(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
      if (
        (a.name === 'href' || a.name === 'src' || a.name === 'action') &&
        /^(javascript|vbscript|data:text\/html)/.test(v)
      )
        flag(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
    }
  };
  const walk = (n: Node) => {
    if (n instanceof Element) {
      check(n);
      for (const c of Array.from(n.querySelectorAll('*'))) check(c);
      if (n.shadowRoot) walk(n.shadowRoot);
    } else if (n instanceof DocumentFragment) for (const c of Array.from(n.querySelectorAll('*'))) check(c);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target instanceof Element) check(r.target);
      for (const n of Array.from(r.addedNodes)) walk(n);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener(
    'securitypolicyviolation',
    (e) => report.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    true,
  );
}

/** Installs the watcher; call before the first navigation. */
export const watchHostile = async (page: Page): Promise<void> => {
  await page.addInitScript(watch);
};

/** What the watcher saw on the current document, after a final sweep of the whole DOM. */
export const readHostile = (page: Page): Promise<HostileReport> =>
  page.evaluate(() => {
    const r = (window as unknown as { __hostile?: HostileReport }).__hostile ?? {
      flags: ['watcher missing'],
      violations: [],
    };
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes))
        if (/^on/i.test(a.name)) r.flags.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
    }
    if (document.querySelector('img[src="x"], img[src$="/x"], script[src*="xss"], iframe[src*="xss"]'))
      r.flags.push('payload element present');
    return { flags: [...new Set(r.flags)], violations: r.violations };
  });

/** Serves pages matching `glob` with `nonce="demo"` on every script tag, so `?csp=strict` lets them run. */
export const addNonces = async (page: Page, glob: string): Promise<void> => {
  await page.route(glob, async (route) => {
    const res = await route.fetch();
    await route.fulfill({
      response: res,
      body: (await res.text()).replace(/<script(?![^>]*nonce=)/g, '<script nonce="demo"'),
    });
  });
};
