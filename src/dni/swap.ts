// Finds targets in the DOM and swaps them, remembering every original so a withdrawal can put
// the page back exactly. One TreeWalker pass keeps the text nodes a cheap pattern finds something
// in; only those are tested in full and written; one MutationObserver looks only at what changed.
import { inBrowser, noop } from '../core/env.js';
import type { NumberMatcher, ParsedTarget } from './match.js';
import { E164, parseTarget, plainFor } from './match.js';

/** Options of {@link createSwapper}. */
export interface SwapperOptions {
  /** Tracking number (E.164) for a target, or undefined to keep the original. */
  pick: (target: ParsedTarget) => string | undefined;
  /** Attribution token written into marked forms, or '' for none. @default () => '' */
  token?: () => string;
  /** Called with a line for each target found and what was done. @default none */
  log?: (...args: unknown[]) => void;
}

/** What {@link createSwapper} returns. */
export interface Swapper {
  /** Swaps the page with the current numbers in short tasks right after the call (open shadow roots in slices of a few ms), then follows changes. */
  apply(): void;
  /** Puts every swapped text, link and marked element back; stops following changes. */
  restore(): void;
}

// Never inside code, form fields, editable regions or anything the site marks.
const SKIP = 'script,style,noscript,template,textarea,select,option,[contenteditable],[data-no-swap]';
const LINKS = '[href^="tel:" i],[href^="sms:" i]';
// Not links (their href is theirs): an element that shows a number even where its text holds none.
const MARKED = '[data-dni]:not([href])';
// A change inside one of these is a change of the whole (its number may be split across nodes).
const WHOLE = `${LINKS},${MARKED}`;
const FORMS = 'form[data-consentline-form]';
const OBSERVE = { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href'] };

type Compute = (src: string) => string | undefined;
// `whole`: the element whose text a part belongs to (a split number), redone as one.
type Rec = [original: string, written: string, get: () => string, set: (v: string) => void, compute: Compute, whole?: Element | undefined];

/** Creates the DOM side of number insertion. Outside a browser it swaps nothing. */
export function createSwapper(matcher: NumberMatcher, options: SwapperOptions): Swapper {
  if (!inBrowser()) return { apply: noop, restore: noop };
  const { pick, token = () => '', log } = options;
  // Everything written, with how to read, write and recompute it, in the order first written;
  // held weakly: a node the page dropped (an SPA's old route) is not kept alive by us, and one it
  // keeps aside and shows again (a cached view) is still recomputed and restored.
  let recs = new WeakMap<Node, Rec>();
  // Marked elements seen: a placeholder is filled at first sight only, so nothing fights a script
  // that writes there too.
  let seen = new WeakSet<Element>();
  const keys = new Set<WeakRef<Node>>();
  const forRecs = (fn: (r: Rec, key: Node) => void) =>
    keys.forEach((w) => {
      const k = w.deref();
      k ? fn(recs.get(k) as Rec, k) : keys.delete(w);
    });
  const inputs: Element[] = [];
  let gen = 0;
  let mo: MutationObserver | undefined;
  const { targets, min } = matcher;
  const picker = (where: Node) => (t: ParsedTarget, found: string) => {
    const n = pick(t);
    log?.(t.e164, found, where, n || 'kept: no number');
    return n;
  };
  // `at` is an element or a shadow root; skipped inside SKIP, also across shadow boundaries.
  const skipped = (at: Node | null, found: string): boolean => {
    // (Only a shadow root's host: `document.host` may be a form named "host", an anchor's a string.)
    for (let e = at, r; e; r = e.getRootNode() as ShadowRoot, e = r.nodeType === 11 ? r.host : null) {
      const s = (e as Element).closest?.(SKIP);
      if (s) return log?.(found, 'kept: inside', s), true;
    }
    return !at;
  };
  // Recomputes a value from its original (or from the app's newer value) and writes only a change.
  const swap = (key: Node, get: () => string, set: (v: string) => void, compute: Compute, whole?: Element) => {
    const rec = recs.get(key);
    const cur = get();
    const src = rec && cur === rec[1] ? rec[0] : cur;
    const out = compute(src) ?? src;
    rec || keys.add(new WeakRef(key));
    recs.set(key, [src, out, get, set, compute, whole]);
    if (cur !== out) set(out);
  };
  const redo = (r: Rec, key: Node) => (r[5] ? split(r[5]) : swap(key, r[2], r[3], r[4]));

  const doText = (n: Text) => {
    const d = n.data;
    const p = n.parentNode as Element;
    // A written node is recomputed the way it was first written (a split link's part, say); else
    // the cheap test first: most text is too short or holds no target.
    const r = recs.get(n);
    if (r) redo(r, n);
    else if (d.length >= min && matcher.test(d) && !skipped(p, d)) swap(n, () => n.data, (v) => (n.data = v), (src) => matcher.replace(src, picker(p)));
  };

  // Open shadow roots. An added subtree's elements are visited at once; the whole page's in slices
  // of a few milliseconds once its light DOM is done: visiting every element costs as much as the
  // rest of the swap. Returns whether it reached the end.
  const shadows = (w: TreeWalker, until = Infinity): boolean => {
    for (let n: Node | null = w.currentNode, i = 0; n; n = w.nextNode()) {
      const sr = (n as Element).shadowRoot;
      if (sr) {
        walk(sr);
        mo?.observe(sr, OBSERVE);
      }
      if (!(++i & 127) && performance.now() > until) return !w.nextNode();
    }
    return true;
  };
  // Text nodes of `top` that may hold a target: the walk reads each and keeps those the cheap
  // pattern finds something in (each is tested in full when written). `next` runs the walk until
  // `until` and returns whether it reached the end.
  const scan = (top: Node) => {
    const hits: Text[] = [];
    const w = document.createTreeWalker(top, 12 /* SHOW_TEXT | SHOW_CDATA_SECTION */);
    if (top instanceof Text) hits.push(top);
    const next = (until = Infinity): boolean => {
      for (let n: Node | null, i = 0; (n = w.nextNode()); ) {
        // (A shorter text is not even read: making its string is most of a first walk's cost.)
        if ((n as Text).length >= min && matcher.maybe((n as Text).data)) hits.push(n as Text);
        if (!(++i & 63) && performance.now() > until) return false;
      }
      return true;
    };
    return { hits, next, w, marked: false };
  };

  // Writes the marked elements (first), the candidates (each tested again: the page may have
  // changed since they were found), then links and forms of `top`. Past `until` it stops between
  // candidates and returns false; called again, it goes on.
  const write = (top: Node, c: ReturnType<typeof scan>, until = Infinity): boolean => {
    if (!c.marked) {
      c.marked = true;
      // Candidates are then taken from the end of the list (no shifting): reversed once.
      c.hits.reverse();
      // A marked element with markup inside: its text is matched as one and written digit by digit
      // into its own text nodes. One whose text holds a target is swapped as any text is (each
      // number its own). Else it is a placeholder: the number of its `data-dni` target (or the
      // first) goes into its own text node(s), grouped (with its country code when that is not the
      // target's), at first sight; text the page puts there since is only swapped. Only the
      // element's text nodes are written (a framework keeps the nodes it made).
      each(top, MARKED, (el) => {
        if (skipped(el, '')) return;
        const whole = matcher.test(el.textContent || '');
        const was = seen.has(el);
        seen.add(el);
        // (Several text nodes and no markup: a framework's comment markers, `555-123-<!-- -->4567`.)
        if (el.childElementCount || (whole && el.childNodes.length > 1)) return split(el);
        if (was || whole) return;
        const t = targets.find((x) => x.e164 === el.getAttribute('data-dni')) ?? targets[0];
        const texts = [...el.childNodes].filter((x): x is Text => x.nodeType === 3);
        if (!texts[0]) texts.push(el.appendChild(document.createTextNode('')));
        texts.forEach((x, i) => {
          const o = x.data;
          swap(x, () => x.data, (v) => (x.data = v), (src) => {
            if (src !== o) return matcher.replace(src, picker(el));
            const n = t && picker(el)(t, src);
            if (n && E164.test(n)) return i ? '' : plainFor(t, parseTarget(n));
          });
        });
      });
    }
    for (let n; (n = c.hits.pop()); ) {
      // The page may have removed it since.
      if (n.isConnected) doText(n);
      if (performance.now() > until) return false;
    }
    each(top, LINKS, (el) => {
      const get = () => el.getAttribute('href') || '';
      if (recs.has(el) || !skipped(el, get())) {
        swap(el, get, (v) => el.setAttribute('href', v), (src) => matcher.replaceHref(src, picker(el)));
        split(el);
      }
    });
    each(top, FORMS, (form) => {
      const v = token();
      if (!v || form.querySelector('[name=consentline_token]')) return;
      inputs.push(form.appendChild(Object.assign(document.createElement('input'), { type: 'hidden', name: 'consentline_token', value: v })));
    });
    return true;
  };

  // A number split across elements inside a link or a marked element (`<a href="tel:…"><span>(555)</span>
  // 123-4567</a>`): the element's text is matched as one, and the new digits go back into the same
  // text nodes, so the markup stays; only when nothing but digits changes, else every part shows
  // its own text. Redone as a whole whenever a part is (new numbers, a change inside).
  const split = (el: Element) => {
    const nodes: Text[] = [];
    // Each part's own text: the original of what shows our write, else what the app put there.
    const orig: string[] = [];
    for (const w = document.createTreeWalker(el, 4); w.nextNode(); ) {
      const n = w.currentNode as Text;
      const r = recs.get(n);
      const ours = r && n.data === r[1];
      // (Not a node that shows what we wrote into it on its own, a filled placeholder say.)
      if (ours && !r[5]) continue;
      nodes.push(n);
      orig.push(ours ? r[0] : n.data);
    }
    if (nodes.length < 2 || orig.some((d) => matcher.test(d))) return;
    const all = orig.join('');
    const o = matcher.replace(all, picker(el));
    const out = o.replace(/\d/g, '0') === all.replace(/\d/g, '0') ? o : all;
    let at = 0;
    nodes.forEach((n, i) => swap(n, () => n.data, (v) => (n.data = v), () => out.slice(at, (at += orig[i]!.length)), el));
  };

  // Custom elements not defined yet: their shadow roots come when they are, without a mutation.
  // One wait per name, holding only the roots (the document, a shadow root) where it was seen.
  const waiting = new Map<string, Set<Node>>();
  const later = (top: Node) =>
    self.customElements &&
    each(top, ':not(:defined)', (el) => {
      const n = el.localName;
      let s = waiting.get(n);
      if (!s) {
        if (customElements.get(n)) return;
        waiting.set(n, (s = new Set()));
        // (A name that can never be defined rejects: nothing to do.)
        customElements.whenDefined(n).then(() => {
          waiting.delete(n);
          if (mo) s!.forEach((root) => (root as ParentNode).querySelectorAll(n).forEach((e) => onChange([{ target: e } as unknown as MutationRecord])));
        }, () => {});
      }
      s.add(el.getRootNode());
    });

  // Content added or changed later: all at once, its open shadow roots included.
  const walk = (top: Node) => {
    const c = scan(top);
    c.next();
    write(top, c);
    shadows(document.createTreeWalker(top, 1));
    later(top);
  };

  const onChange = (records: MutationRecord[]) => {
    try {
      for (const r of records) {
        // A change inside a link or a marked element is a change of the whole.
        const t = r.target;
        const l = (t.nodeType === 1 ? (t as Element) : t.parentElement)?.closest(WHOLE);
        l ? walk(l) : r.type === 'childList' ? r.addedNodes.forEach(walk) : walk(t);
      }
    } catch (e) {
      // Never an exception in the host page's own mutation turn.
      log?.(e);
    }
    // Drop the records of our own writes: a swapped node is never processed again.
    mo?.takeRecords();
  };

  return {
    apply() {
      mo ??= new MutationObserver(onChange);
      // New numbers: what is already swapped is rewritten from its original (it no longer shows a
      // target); a split number once, not once per part.
      const wholes = new Set<Element>();
      forRecs((r, key) => (r[5] ? wholes.add(r[5]) : redo(r, key)));
      wholes.forEach(split);
      mo.observe(document, OBSERVE);
      mo.takeRecords();
      // The whole page is done in tasks of its own right after this call, so that none of them
      // (nor the consent call) grows into a long task on a slow phone: the text nodes are walked
      // in slices of ~8 ms, then the candidates, links and forms are written (up to
      // ~24 ms a task: each written slice costs the page a rendered frame), then open shadow roots
      // are searched in slices of ~5 ms. Changes made meanwhile reach the observer; a walk whose
      // node was removed starts again; a restore or new numbers stop the rest (`gen`).
      const g = ++gen;
      const elements = () => document.createTreeWalker(document, 1);
      let c: ReturnType<typeof scan> | undefined;
      let e: TreeWalker | undefined;
      const step = (): unknown =>
        setTimeout(() => {
          if (g !== gen) return;
          try {
            const t = performance.now();
            if (e) shadows(e.currentNode.isConnected ? e : (e = elements()), t + 5) || step();
            else {
              if (!c?.w.currentNode.isConnected) c = scan(document);
              if (c.next(t + 8) && write(document, c, t + 24)) later(document), (e = elements());
              step();
            }
          } catch (error) {
            log?.(error);
          }
          mo?.takeRecords();
        });
      step();
    },
    restore() {
      gen++;
      mo?.disconnect();
      mo = undefined;
      // Only what still shows our write goes back: the app's own later changes stay.
      forRecs(([o, w, get, set]) => get() === w && set(o));
      inputs.forEach((i) => i.remove());
      recs = new WeakMap();
      seen = new WeakSet();
      keys.clear();
      waiting.clear();
      inputs.length = 0;
    },
  };
}

const each = (node: Node, sel: string, fn: (el: Element) => void) => {
  if (node.nodeType === 1 && (node as Element).matches(sel)) fn(node as Element);
  (node as ParentNode).querySelectorAll?.(sel).forEach(fn);
};
