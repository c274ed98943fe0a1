// Leakage audit: records, for one page session, every cookie write (with its flags and expiry),
// every localStorage / sessionStorage / IndexedDB / Cache Storage write, and every request of every
// type (fetch, XHR, beacon, image, script, iframe, websocket), each stamped with the time so it can
// be attributed to before or after the visitor's decision. Writes are caught by instrumenting the
// page's own APIs before any page script runs (so the writer is whoever called them) and by CDP for
// Set-Cookie headers; requests come from Playwright's network events, which see every type.
import type { Page } from '@playwright/test';

export type AuditKind =
  | 'cookie'
  | 'localStorage'
  | 'sessionStorage'
  | 'indexedDB'
  | 'cacheStorage'
  | 'request'
  | 'websocket';

export interface AuditEvent {
  kind: AuditKind;
  /** Cookie string, storage key, database name, cache name, or request URL. */
  detail: string;
  /** Request resource type, or the storage operation. */
  type: string;
  /** ms since epoch (page and test share a clock). */
  time: number;
  url: string;
}

export interface Audit {
  events: AuditEvent[];
  /** Marks the moment of the visitor's decision; later events count as after it. */
  markDecision(): void;
  before(): AuditEvent[];
  after(): AuditEvent[];
  /** Events of `kind`, optionally only those whose detail matches. */
  of(kind: AuditKind, match?: RegExp): AuditEvent[];
}

function instrument() {
  const send = (kind: string, detail: string, type: string) => {
    try {
      (window as unknown as { __auditRecord: (e: unknown) => void }).__auditRecord({
        kind,
        detail: String(detail).slice(0, 500),
        type,
        time: Date.now(),
        url: location.href,
      });
    } catch {
      // The binding is missing in about:blank frames; nothing to record there.
    }
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookie?.set && cookie.get) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      get() {
        return cookie.get!.call(this);
      },
      set(v: string) {
        send('cookie', v, 'document.cookie');
        cookie.set!.call(this, v);
      },
    });
  }
  const storageKind = (s: Storage) => (s === window.localStorage ? 'localStorage' : 'sessionStorage');
  const { setItem, removeItem, clear } = Storage.prototype;
  Storage.prototype.setItem = function (k: string, v: string) {
    send(storageKind(this), k, 'setItem');
    return setItem.call(this, k, v);
  };
  Storage.prototype.removeItem = function (k: string) {
    send(storageKind(this), k, 'removeItem');
    return removeItem.call(this, k);
  };
  Storage.prototype.clear = function () {
    send(storageKind(this), '*', 'clear');
    return clear.call(this);
  };
  if (window.indexedDB) {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (name: string, version?: number) {
      send('indexedDB', name, 'open');
      return version === undefined ? open.call(this, name) : open.call(this, name, version);
    };
  }
  if (window.caches) {
    const openCache = CacheStorage.prototype.open;
    CacheStorage.prototype.open = function (name: string) {
      send('cacheStorage', name, 'open');
      return openCache.call(this, name);
    };
  }
  const cs = (window as unknown as { cookieStore?: { set?: (...a: unknown[]) => Promise<void> } }).cookieStore;
  if (cs?.set) {
    const set = cs.set.bind(cs);
    cs.set = (...a: unknown[]) => {
      send('cookie', JSON.stringify(a), 'cookieStore.set');
      return set(...a);
    };
  }
}

/** Starts auditing `page`; call before the first navigation. */
export async function startAudit(page: Page): Promise<Audit> {
  const events: AuditEvent[] = [];
  let mark = Infinity;
  await page.exposeBinding('__auditRecord', (_source, e: AuditEvent) => {
    events.push(e);
  });
  await page.addInitScript(instrument);
  page.on('request', (r) => {
    events.push({ kind: 'request', detail: r.url(), type: r.resourceType(), time: Date.now(), url: page.url() });
  });
  page.on('websocket', (ws) => {
    events.push({ kind: 'websocket', detail: ws.url(), type: 'websocket', time: Date.now(), url: page.url() });
  });
  page.on('response', async (r) => {
    const setCookie = await r.headerValue('set-cookie').catch(() => null);
    if (setCookie)
      events.push({ kind: 'cookie', detail: setCookie, type: 'set-cookie', time: Date.now(), url: r.url() });
  });
  return {
    events,
    markDecision() {
      mark = Date.now();
    },
    before: () => events.filter((e) => e.time < mark),
    after: () => events.filter((e) => e.time >= mark),
    of: (kind, match) => events.filter((e) => e.kind === kind && (!match || match.test(e.detail))),
  };
}

/** Requests other than the page's own documents, scripts and styles from its own origin. */
export const isCollection = (e: AuditEvent, origin: string): boolean =>
  e.kind === 'websocket' ||
  (e.kind === 'request' &&
    !(
      e.detail.startsWith(origin) &&
      ['document', 'script', 'stylesheet', 'image', 'font'].includes(e.type) &&
      !/\/collect|\/pool|\/receipt/.test(e.detail)
    ));

/** What a page may do at some moment: the categories granted, and whether a decision was made. */
export interface Allowed {
  analytics: boolean;
  advertising: boolean;
  social: boolean;
  /** A decision exists, so its receipt (and the receipt queue) may be sent or stored. */
  decided?: boolean;
  /** The consent cookie's name. @default 'consentline' */
  cookieName?: string;
}

/**
 * Attributes each event to the category it serves and lists those that `allowed` does not permit,
 * as readable strings (empty means no leak). The consent cookie is strictly necessary; the DNI
 * context (`consentline_dni`), pool calls and the analytics tag's hit belong to `analytics` (the DNI
 * category on the demo pages); the social embed to `social`; receipts to a decision. A pool
 * release is always allowed: it ends a lease after a withdrawal.
 */
export function findLeaks(events: AuditEvent[], origin: string, allowed: Allowed): string[] {
  const cookieName = allowed.cookieName ?? 'consentline';
  const leaks: string[] = [];
  const leak = (e: AuditEvent, why: string) => leaks.push(`${why}: ${e.kind} ${e.type} ${e.detail.slice(0, 120)}`);
  for (const e of events) {
    if (e.kind === 'cookie') {
      if (e.type === 'set-cookie' || e.detail.split('=')[0]!.trim() !== cookieName) leak(e, 'cookie');
    } else if (e.kind === 'localStorage') {
      if (e.type === 'removeItem' || e.type === 'clear') continue;
      if (e.detail === 'consentline_dni' && allowed.analytics) continue;
      if (e.detail === 'consentline_receipts' && allowed.decided) continue;
      leak(e, 'storage');
    } else if (e.kind === 'request') {
      if (!e.detail.startsWith(origin)) {
        leak(e, 'third party');
        continue;
      }
      const path = new URL(e.detail).pathname;
      if (path === '/pool/release') continue;
      if (path.startsWith('/pool/') || path === '/collect/analytics') {
        if (!allowed.analytics) leak(e, 'analytics refused');
      } else if (path === '/social-post.html') {
        if (!allowed.social) leak(e, 'social refused');
      } else if (path === '/collect/receipts') {
        if (!allowed.decided) leak(e, 'receipt before a decision');
      } else if (
        /^\/(collect|receipt)/.test(path) ||
        ['fetch', 'xhr', 'ping', 'eventsource', 'websocket'].includes(e.type)
      ) {
        leak(e, 'collection');
      }
    } else {
      leak(e, 'storage');
    }
  }
  return leaks;
}
