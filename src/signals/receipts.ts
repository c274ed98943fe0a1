import { isBot } from '../core/bot.js';
import { inBrowser, noop } from '../core/env.js';
import type { ConsentStore } from '../core/store.js';
import type { Decision } from '../core/types.js';

// Statuses that say "not now" rather than "never": 408 Request Timeout, 425 Too Early, 429 Too Many Requests.
const LATER = [408, 425, 429];

/** The JSON record sent for each decision. Never an IP address or user agent (the server sees those anyway; we don't add them). */
export interface ConsentReceipt {
  /** Record format version. */
  v: 1;
  /** Decision id (also in the consent cookie). */
  id: string;
  /** When the decision was made, ISO 8601. */
  time: string;
  /** Policy revision the visitor decided on. */
  revision: number;
  /** Per-category grants of the decision. */
  grants: Readonly<Record<string, boolean>>;
  /** How it was made (`banner`, `preferences`, `api`, `close`, `opt-out`, `embed`). */
  method: Decision['method'];
  /** Whether a GPC signal was present. */
  gpc: boolean;
  /** The regime it was made under: `opt-in`, consent asked for; `opt-out`, a choice against defaults that were on. */
  regime: Decision['regime'];
  /** The page origin, e.g. `https://example.com`. */
  origin: string;
}

/** Options of {@link createReceiptSender}. */
export interface ReceiptOptions {
  /** Where records are POSTed (body: JSON, content type text/plain, so a cross-origin endpoint needs no preflight). */
  endpoint: string;
  /** localStorage key of the pending queue. @default 'consentline_receipts' */
  key?: string;
  /** First retry delay in ms; doubles up to a minute. @default 2000 */
  retryMs?: number;
  /** The window (fetch, localStorage, location). @default globalThis in a browser; none elsewhere */
  win?: Window;
  /**
   * Decisions made on this page before the sender started, oldest first, sent before anything
   * else (the script tag's sender is an add-on that arrives after the visitor may have decided).
   * The decision current at start is never sent again on its own. @default []
   */
  earlier?: readonly Decision[];
}

/**
 * Sends a receipt for every new decision with `fetch` (keepalive, so it survives navigation; no
 * cookies and no referrer, so the page URL never travels with it). A record that
 * cannot be delivered is kept in localStorage and retried with backoff, on `online`, and on the next
 * page. Nothing is stored or sent before a decision exists. Returns the cleanup. Outside a browser
 * (no `win`, no document) it does nothing.
 */
export function createReceiptSender(store: ConsentStore, options: ReceiptOptions): () => void {
  const {
    endpoint,
    key = 'consentline_receipts',
    retryMs = 2000,
    win = globalThis as unknown as Window,
    earlier = [],
  } = options;
  // A crawler made no decision worth proving: nothing is queued or sent. A server has no visitor.
  if ((!inBrowser() && !options.win) || isBot(win.navigator.userAgent)) return noop;
  let delay = retryMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = false;
  let lastId = store.get().decision?.id;

  let queue: ConsentReceipt[] = [];
  try {
    const q: unknown = JSON.parse(win.localStorage.getItem(key) || '[]');
    if (Array.isArray(q)) queue = q.filter((r: ConsentReceipt | null) => typeof r?.id === 'string');
  } catch {
    // Unreadable: nothing pending.
  }
  // Written only once a decision exists: the queue is the record of that decision, kept so the site
  // can prove consent (strictly necessary), and removed as soon as it is delivered.
  const save = (): void => {
    queue = queue.slice(-20);
    try {
      if (queue.length) win.localStorage.setItem(key, JSON.stringify(queue));
      else win.localStorage.removeItem(key);
    } catch {
      // No storage: the queue lives as long as the page.
    }
  };
  const flush = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      // Oldest first; records added while a send is in flight are picked up by the same loop.
      for (let r: ConsentReceipt | undefined; (r = queue[0]); ) {
        // A 4xx will not get better by retrying: the record is dropped. 5xx, network errors and
        // the answers that ask to be tried later (408, 425, 429: a rate limit) are retried.
        // No referrer: the page URL can carry click ids or an e-mail address, and a receipt proves a
        // decision, not a visit. (sendBeacon could not say so; fetch with keepalive can.)
        const sent = await win.fetch(endpoint, {
          method: 'POST',
          body: JSON.stringify(r),
          keepalive: true,
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
        });
        if (sent.status > 499 || LATER.includes(sent.status)) throw 0;
        queue = queue.filter((x) => x !== r);
        save();
      }
      delay = retryMs;
    } catch {
      clearTimeout(timer);
      timer = setTimeout(flush, delay);
      delay = Math.min(delay * 2, 60_000);
    } finally {
      busy = false;
    }
  };

  // The decision's grants are frozen: the record can share them.
  const record = ({ id, time, revision, grants, method, gpc, regime }: Decision): void => {
    queue.push({
      v: 1,
      id,
      time: new Date(time).toISOString(),
      revision,
      grants,
      method,
      gpc,
      regime,
      origin: win.location.origin,
    });
  };
  for (const d of earlier) record(d);
  if (earlier.length) save();

  const off = store.subscribe((state) => {
    const d = state.decision;
    if (!d || d.id === lastId) return;
    lastId = d.id;
    record(d);
    save();
    void flush();
  });
  win.addEventListener('online', flush);
  void flush();
  return () => {
    off();
    clearTimeout(timer);
    win.removeEventListener('online', flush);
  };
}
