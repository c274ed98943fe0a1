// Finds targets in the DOM and swaps them, remembering every original so a withdrawal can put
// the page back exactly. One TreeWalker pass, the regex only on text that can hold a number, and
// one MutationObserver that looks only at what changed.
import type { NumberMatcher, ParsedTarget } from './match';
import { groupDigits } from './match';

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
  /** Swaps everything under the root with the current numbers, then follows changes. */
  apply(): void;
  /** Puts every swapped text, link and marked element back; stops following changes. */
  restore(): void;
}

// Never inside code, form fields, editable regions or anything the site marks.
const SKIP = 'script,style,noscript,template,textarea,select,option,[contenteditable],[data-no-swap]';
const LINKS = '[href^="tel:" i],[href^="sms:" i]';
const MARKED = '[data-dni]';
const FORMS = 'form[data-consentline-form]';
const OBSERVE = { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href'] };

type Rec = [original: string, written: string, get: () => string, set: (v: string) => void];

/** Creates the DOM side of number insertion. */
export function createSwapper(matcher: NumberMatcher, options: SwapperOptions): Swapper {
  const { pick, token = () => '', log } = options;
  // Everything written, with how to read and write it back: [original, written, get, set].
  const recs = new Map<Node, Rec>();
  const inputs: Element[] = [];
  let mo: MutationObserver | undefined;
  const { targets } = matcher;
  const picker = (where: Node) => (t: ParsedTarget, found: string) => {
    const n = pick(t);
    log?.(t.e164, `"${found}"`, where, n ? `→ ${n}` : 'kept: no number');
    return n;
  };
  const skipped = (el: Element | null, found: string): boolean => {
    const s = el?.closest(SKIP);
    if (s) log?.(`"${found}" kept: inside`, s);
    return !el || !!s;
  };
  // Recomputes a value from its original (or from the app's newer value) and writes only a change.
  const swap = (key: Node, get: () => string, set: (v: string) => void, compute: (src: string) => string | undefined) => {
    const rec = recs.get(key);
    const cur = get();
    const src = rec && cur === rec[1] ? rec[0] : cur;
    const out = compute(src) ?? src;
    recs.set(key, [src, out, get, set]);
    if (cur !== out) set(out);
  };

  const doText = (n: Text) => {
    const d = n.data;
    // The cheap test first: most text is too short or holds no target.
    if (recs.has(n) || (d.length > 6 && matcher.test(d) && !skipped(n.parentElement, d)))
      swap(n, () => n.data, (v) => (n.data = v), (src) => matcher.replace(src, picker(n.parentNode as Node)));
  };

  const walk = (top: Node) => {
    // A marked element shows the number of its `data-dni` target (or the first target), in the
    // layout of its own text when that holds the target, else grouped.
    each(top, MARKED, (el) =>
      swap(el, () => el.textContent || '', (v) => (el.textContent = v), (src) => {
        const t = targets.find((x) => x.e164 === el.getAttribute('data-dni')) ?? targets[0];
        const n = t && picker(el)(t, src);
        return n && (matcher.test(src) ? matcher.replace(src, () => n) : groupDigits(n.slice(1 + t.cc.length)));
      }),
    );
    const w = document.createTreeWalker(top, 5 /* SHOW_ELEMENT | SHOW_TEXT */);
    for (let n: Node | null = top; n; n = w.nextNode()) {
      if (n.nodeType === 3) doText(n as Text);
      else {
        const sr = (n as Element).shadowRoot;
        if (sr) {
          walk(sr);
          mo?.observe(sr, OBSERVE);
        }
      }
    }
    each(top, LINKS, (el) => {
      const get = () => el.getAttribute('href') || '';
      if (recs.has(el) || !skipped(el, get()))
        swap(el, get, (v) => el.setAttribute('href', v), (src) => matcher.replaceHref(src, picker(el)));
    });
    each(top, FORMS, (form) => {
      const v = token();
      if (!v || form.querySelector('[name=consentline_token]')) return;
      const i = document.createElement('input');
      i.type = 'hidden';
      i.name = 'consentline_token';
      i.value = v;
      inputs.push(form.appendChild(i));
    });
  };

  const onChange = (records: MutationRecord[]) => {
    try {
      for (const r of records) r.type === 'childList' ? r.addedNodes.forEach(walk) : walk(r.target);
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
      walk(document);
      mo.observe(document, OBSERVE);
      mo.takeRecords();
    },
    restore() {
      mo?.disconnect();
      mo = undefined;
      // Only what still shows our write goes back: the app's own later changes stay.
      recs.forEach(([o, w, get, set]) => get() === w && set(o));
      inputs.forEach((i) => i.remove());
      recs.clear();
      inputs.length = 0;
    },
  };
}

const each = (node: Node, sel: string, fn: (el: Element) => void) => {
  if (node.nodeType === 1 && (node as Element).matches(sel)) fn(node as Element);
  (node as ParentNode).querySelectorAll?.(sel).forEach(fn);
};
