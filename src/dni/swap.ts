// Finds targets in the DOM and swaps them, remembering every original so a withdrawal can put
// the page back exactly. One TreeWalker pass, the regex only on text that can hold a number, and
// one MutationObserver that looks only at what changed.
import type { NumberMatcher, ParsedTarget } from './match';
import { groupDigits, parseTarget } from './match';

/** Options of {@link createSwapper}. */
export interface SwapperOptions {
  /** Tracking number (E.164) for a target, or undefined to keep the original. */
  pick: (target: ParsedTarget) => string | undefined;
  /** Attribution token written into marked forms, or '' for none. @default () => '' */
  token?: () => string;
  /** Called with a line for each target found and what was done. @default none */
  log?: (...args: unknown[]) => void;
  /** @default document */
  root?: Document;
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
const LINKS = 'a[href],area[href]';
const MARKED = '[data-dni]';
const FORMS = 'form[data-consentline-form]';
const OBSERVE = { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href'] };

type Rec = [original: string, written: string];

/** Creates the DOM side of number insertion. */
export function createSwapper(matcher: NumberMatcher, options: SwapperOptions): Swapper {
  const { pick, token = () => '', log, root = document } = options;
  const texts = new Map<Text, Rec>();
  const hrefs = new Map<Element, Rec>();
  const marks = new Map<Element, Rec>();
  const inputs = new Set<HTMLInputElement>();
  let mo: MutationObserver | undefined;
  // Vanity texts need not contain a digit; otherwise a short or digit-free text is skipped cheaply.
  const min = matcher.targets.length ? 7 : Infinity;
  const picker = (where: string) => (t: ParsedTarget, found: string) => {
    const n = pick(t);
    log?.(`${t.e164} found as "${found}" in ${where}:`, n ? `swapped to ${n}` : 'kept (no tracking number for this visit)');
    return n;
  };
  const skipped = (n: Node, found: string): boolean => {
    const el = n.nodeType === 1 ? (n as Element) : n.parentElement;
    const s = !el || !!el.closest(SKIP);
    if (s) log?.(`"${found.slice(0, 40)}" kept: inside ${el ? el.closest(SKIP)?.nodeName : 'nothing'} (skipped)`);
    return s;
  };

  const doText = (n: Text) => {
    const rec = texts.get(n);
    const src = rec && n.data === rec[1] ? rec[0] : n.data;
    if (src.length < min || !matcher.test(src) || skipped(n, src)) {
      if (rec && src !== rec[0]) texts.delete(n);
      return;
    }
    const out = matcher.replace(src, picker(`<${n.parentNode?.nodeName.toLowerCase()}> text`));
    texts.set(n, [src, out]);
    if (n.data !== out) n.data = out;
  };

  const doHref = (el: Element) => {
    const rec = hrefs.get(el);
    const cur = el.getAttribute('href') || '';
    const src = rec && cur === rec[1] ? rec[0] : cur;
    const out = matcher.replaceHref(src, picker('a link')) ?? src;
    if (out !== src || rec) hrefs.set(el, [src, out]);
    if (cur !== out) el.setAttribute('href', out);
  };

  // A marked element shows the number of its `data-dni` target (or the first target), in the
  // layout of its own text when that is a target, else grouped.
  const doMark = (el: Element) => {
    const rec = marks.get(el);
    const cur = el.textContent || '';
    const src = rec && cur === rec[1] ? rec[0] : cur;
    const want = el.getAttribute('data-dni');
    const t = matcher.targets.find((x) => x.e164 === want) ?? matcher.targets[0];
    const n = t && picker('a [data-dni] element')(t, src);
    const out = !n ? src : matcher.test(src) ? matcher.replace(src, () => n) : groupDigits(parseTarget(n).nsn);
    marks.set(el, [src, out]);
    if (cur !== out) el.textContent = out;
  };

  const doForm = (form: Element) => {
    const v = token();
    if (!v || form.querySelector('input[name=consentline_token]')) return;
    const i = document.createElement('input');
    i.type = 'hidden';
    i.name = 'consentline_token';
    i.value = v;
    form.append(i);
    inputs.add(i);
  };

  const each = (node: Node, sel: string, fn: (el: Element) => void) => {
    if (node.nodeType === 1 && (node as Element).matches(sel)) fn(node as Element);
    (node as ParentNode).querySelectorAll?.(sel).forEach(fn);
  };

  const walk = (top: Node) => {
    each(top, MARKED, doMark);
    const w = root.createTreeWalker(top, 5 /* SHOW_ELEMENT | SHOW_TEXT */);
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
    each(top, LINKS, (el) => /^\s*(tel|sms):/i.test(el.getAttribute('href') || '') && !skipped(el, 'link') && doHref(el));
    each(top, FORMS, doForm);
  };

  const onChange = (records: MutationRecord[]) => {
    for (const r of records) {
      if (r.type === 'childList') r.addedNodes.forEach(walk);
      else if (r.type === 'characterData') doText(r.target as Text);
      else walk(r.target);
    }
    // Drop the records of our own writes: a swapped node is never processed again.
    mo?.takeRecords();
  };

  return {
    apply() {
      mo ??= new MutationObserver(onChange);
      walk(root);
      mo.observe(root, OBSERVE);
      mo.takeRecords();
    },
    restore() {
      mo?.disconnect();
      mo = undefined;
      texts.forEach(([o, w], n) => n.data === w && (n.data = o));
      hrefs.forEach(([o, w], el) => el.getAttribute('href') === w && el.setAttribute('href', o));
      marks.forEach(([o, w], el) => el.textContent === w && (el.textContent = o));
      inputs.forEach((i) => i.remove());
      texts.clear();
      hrefs.clear();
      marks.clear();
      inputs.clear();
    },
  };
}
