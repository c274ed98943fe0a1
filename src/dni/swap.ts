// Finds targets in the DOM and swaps them, remembering every original so a withdrawal can put
// the page back exactly. One TreeWalker pass keeps the text nodes a cheap pattern finds something
// in; only those are tested in full and written; one MutationObserver looks only at what changed.
// The parts: swap-records.ts (what was written), swap-walk.ts (walks that pause), swap-schedule.ts
// (work in short tasks), swap-marked.ts ([data-dni] elements), swap-split.ts (numbers split
// across nodes), swap-undefined.ts (custom elements defined later), swap-copies.ts (copies of
// swapped content the page puts back), swap-dom.ts (where to look).
import { inBrowser, noop } from '../core/env.js';
import { doc } from '../dom/document.js';
import { closest, isElement, queryAll } from '../dom/element.js';
import type { NumberMatcher, ParsedTarget, Reading } from './match.js';
import { createCopies } from './swap-copies.js';
import { each, skipping, FORMS, LABELS, LINKS, MARKED, NUMBER_HREF, TOKEN_FIELD, WHOLE } from './swap-dom.js';
import { swapMarked, type Picker } from './swap-marked.js';
import { createSwapRecords, type Swappable, type SwapRecord } from './swap-records.js';
import { runInTasks, type Phase } from './swap-schedule.js';
import { swapSplit } from './swap-split.js';
import { waitForDefinitions, type DefinitionWaits } from './swap-undefined.js';
import { eachShadowRoot, findShadowRoots, walkElements } from '../dom/shadow-roots.js';
import { findCandidates, walkTexts } from './swap-walk.js';
import { createWeakList } from './weak-list.js';

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
  /**
   * Swaps the page with the current numbers (starting in the call when a finished read-ahead
   * found the candidates, for at most a few ms after `heardAt`, the `performance.now()` at which
   * the grant was heard; else in a task right after it; long walks and open shadow roots in slices
   * of a few ms), then follows changes.
   */
  apply(heardAt?: number): void;
  /**
   * Puts every swapped text, link and marked element back; stops following changes. `withdrawn`:
   * the visitor withdrew, so content the page inserts later that shows what was written here (a
   * copy of the page it kept, as Turbo Drive's cache or a pjax app does) gets the originals too
   * and loses its token fields, until `apply()` or a restore without it.
   */
  restore(withdrawn?: boolean): void;
  /**
   * Before consent, while the page is idle: finds the text nodes a target may be in, reading only
   * (nothing stored, sent or written; what was read stays in this object), and watches what
   * changes after, so that `apply()` only writes: unchanged candidates are not read again, changed
   * and added content is looked at as on any change. Ends at `apply()` or `restore()`.
   */
  prepare(): void;
}

/** A read-only pass of the page ahead of consent (see Swapper.prepare). */
interface PreScan {
  /** Candidate text nodes with their text, read for targets. */
  _private_found: Map<Text, Reading>;
  /** Nodes the page added or whose text it changed since the walk began: looked at again on apply. */
  _private_changed: Set<Node>;
  _private_done: boolean;
  _private_stop: () => void;
}

const OBSERVE = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeFilter: ['href', 'contenteditable', 'data-no-swap'],
};

// The page pass, in tasks right after apply(): the text nodes are walked in slices of WALK_MS;
// then the marked elements, the candidates, links and forms are written (until WRITE_MS after the
// task began: each written slice costs the page a rendered frame); then open shadow roots are
// searched in slices of SHADOW_ROOTS_MS. In the call that granted, only the marked elements and
// the candidates: links, forms and definitions follow in the next task.
const WALK_MS = 8;
const WRITE_MS = 24;
// In the call that granted (the page read ahead), writing stops this long after the grant was
// heard and goes on in the tasks after: with the call's own work before it, that task stays under
// 50 ms on a phone four times slower than a desktop. The other listeners of the decision and the
// grant's own start (storage, the visit's context) run between the two, and on such a phone may
// take most of that time: writing then still goes on for CALL_MIN_WRITE_MS once it starts, which
// is enough for the candidates a read-ahead found on a page of 10,000 elements.
const CALL_WRITE_MS = 12;
const CALL_MIN_WRITE_MS = 10;
const SHADOW_ROOTS_MS = 5;
// Nodes a read-ahead notes as added or changed before it gives up (the grant then walks the page
// as without one): an undecided page that keeps adding content is not followed without end.
const MAX_CHANGED = 1000;
// Observer calls answered in one task. A page script that puts a node back whenever it changes
// (its own MutationObserver) and this observer would answer each other in microtasks for ever, and
// the task (the consent call itself) would never end. Past this many in one task, the page's
// changes are left as it made them: a node so fought keeps the page's own number. A change the
// page makes in a later task (a re-render, a timer) is answered again.
const TASK_ROUNDS = 100;

/** Creates the DOM side of number insertion. Outside a browser it swaps nothing. */
export function createSwapper(matcher: NumberMatcher, options: SwapperOptions): Swapper {
  if (!inBrowser()) return { apply: noop, restore: noop, prepare: noop };
  const { pick, token = () => '', log } = options;
  // What was written in this document, so that a copy the page puts back is known.
  const copies = createCopies();
  const records = createSwapRecords(copies._private_notePlace);
  // Marked elements seen: a placeholder is filled at first sight only.
  let seen = new WeakSet<Element>();
  const waits: DefinitionWaits = new Map();
  // Token fields added to forms, removed again on withdrawal (weakly held: an SPA's forms come and go).
  const tokenFields = createWeakList<Element>();
  let observer: MutationObserver | undefined;
  // After a withdrawal: watches what the page inserts for copies of what was written.
  let copyWatch: MutationObserver | undefined;
  let cancelPass = noop;

  // Each number written is remembered as written, with the page's own writing of it, and each
  // placeholder's fill with its own text, as the matcher and swap-marked.ts tell (see
  // swap-copies.ts): no second match for it.
  const pickFor = (where: Node): Picker =>
    Object.assign(
      (target: ParsedTarget, found: string) => {
        const number = pick(target);
        log?.(target.e164, found, where, number || 'kept: no number');
        return number;
      },
      {
        wrote: (written: string, found: string) => copies._private_noteNumber(written, found),
        filled: (written: string, found: string) => copies._private_noteFill(written, found),
      },
    );
  const split = (el: Element) => swapSplit(el, matcher, records, pickFor(el));

  // Never an exception in the host page's own turn (its mutation, its consent call). Then the
  // records of our own writes are dropped: a swapped node is never processed again.
  const guard = (task: () => void) => {
    try {
      task();
    } catch (error) {
      log?.(error);
    }
    observer?.takeRecords();
  };

  // `at` is an element or a shadow root; no parent at all is skipped too.
  const skipped = (at: Node | null, found: string): boolean => {
    const skip = at && skipping(at);
    if (skip) log?.(found, 'kept: inside', skip);
    return !at || !!skip;
  };

  // A written node is recomputed the way it was first written: a split number's part as its whole.
  const redo = (record: SwapRecord, node: Swappable) => {
    if (record._private_whole) split(record._private_whole);
    else records.write(node, record._private_compute);
  };

  const writeOneMarked = (el: Element) => {
    if (!skipped(el, '')) swapMarked(el, seen, matcher, records, pickFor);
  };
  const writeMarked = (top: Node) => each(top, MARKED, writeOneMarked);

  // Each candidate is tested again (the page may have changed since it was found). They are taken
  // from the end of `stack` (no shifting); past `deadline` it stops and returns false.
  // A candidate a pre-scan read, unchanged since, is taken from `known` and only written.
  const writeCandidates = (stack: Text[], deadline = Infinity, known?: Map<Text, Reading>): boolean => {
    for (let node: Text | undefined; (node = stack.pop()); ) {
      const record = records.get(node);
      const parent = node.parentNode;
      // The page may have removed it since. Else the cheap test first: most text is too short or
      // holds no target.
      if (!node.isConnected) continue;
      const reading = known?.get(node);
      const data = reading?.text ?? node.data;
      const holds = reading ? reading.found : data.length >= matcher.min && matcher.test(data);
      if (record) redo(record, node);
      else if (holds && !skipped(parent, data)) {
        // The text read ahead is only written (with new numbers too); one the page changed since is read again.
        const compute = (original: string) => {
          const pick = pickFor(parent as Node);
          return reading?.text === original ? matcher.write(reading, pick) : matcher.replace(original, pick);
        };
        records.write(node, compute, undefined, data);
      }
      if (performance.now() > deadline) return false;
    }
    return true;
  };

  const writeLink = (el: Element) => {
    const href = el.getAttribute('href') || '';
    if (NUMBER_HREF.test(href) && !skipped(el, href)) {
      records.write(el, (original) => {
        const written = matcher.replaceHref(original, pickFor(el));
        if (written) copies._private_noteHref(written, original);
        return written;
      });
      // Its label and title name the same number as its text and its href.
      for (const name of LABELS) {
        const label = el.getAttributeNode(name);
        if (label) records.write(label, (original) => matcher.replace(original, pickFor(el)));
      }
      split(el);
    }
  };

  // A form's controls are named properties that shadow its own methods: they are called from
  // the prototypes.
  const writeForms = (top: Node) =>
    each(top, FORMS, (form) => {
      const value = token();
      if (!value || skipped(form, '') || Element.prototype.querySelector.call(form, TOKEN_FIELD)) return;
      copies._private_noteToken(value);
      const field = Object.assign(doc('createElement').call(document, 'input') as HTMLInputElement, {
        type: 'hidden',
        name: 'consentline_token',
        value,
      });
      Node.prototype.appendChild.call(form, field);
      tokenFields.add(field);
    });

  const writeLinksAndForms = (top: Node) => {
    each(top, LINKS, writeLink);
    writeForms(top);
  };

  const watchShadowRoot = (root: ShadowRoot) => {
    walk(root);
    observer?.observe(root, OBSERVE);
  };

  const onDefined = (el: Element) => {
    if (observer) guard(() => walk(wholeAround(el) ?? el));
  };

  // Content added or changed later: all at once, the marked elements first, then the candidates,
  // links and forms, its open shadow roots included.
  const walk = (top: Node) => {
    const found = top instanceof Text ? [top] : [];
    findCandidates(walkTexts(top), found, matcher);
    writeMarked(top);
    writeCandidates(found.reverse());
    writeLinksAndForms(top);
    findShadowRoots(walkElements(top), watchShadowRoot);
    waitForDefinitions(top, waits, onDefined);
  };

  // A change inside a link or a marked element is a change of the whole.
  const wholeAround = (node: Node) => {
    const el = isElement(node) ? node : node.parentElement;
    return el && closest(el, WHOLE);
  };

  // Copies of what was written that the page puts in (content it inserts, a text or an href it
  // sets) get their originals, then the numbers and token of now (`now`: '' after a withdrawal),
  // in their open shadow roots too, which the copy watch then follows.
  const revertChanged = (changes: MutationRecord[], now: string) =>
    changes.forEach((change) =>
      (change.type === 'childList' ? [...change.addedNodes] : [change.target]).forEach((node) => {
        copies._private_revert(node, records, now);
        eachShadowRoot(node, (root) => {
          copyWatch?.observe(root, OBSERVE);
          copies._private_revert(root, records, now);
        });
      }),
    );

  // What shows our writes where nothing is written now (the page made its region editable or
  // no-swap, or moved it into one) gets the page's own text back, for good, and our token fields
  // there go: an inline editor never saves a tracking number or a visit's token into the site's
  // content.
  // (From the prototype: `top` may be a form with a control named "contains".)
  const inside = (top: Node, node: Node) => Node.prototype.contains.call(top, node);
  const release = (top: Node) => {
    records.forEach((_, node) => {
      const at = (node as Attr).ownerElement ?? (isElement(node) ? node : node.parentNode);
      if (at && inside(top, at) && skipping(at)) records.write(node, () => undefined);
    });
    tokenFields.forEach((field) => {
      if (inside(top, field)) field.remove();
    });
  };

  let rounds = 0;
  const onChange = (changes: MutationRecord[]) => {
    if (!rounds)
      setTimeout(() => {
        rounds = 0;
      });
    if (++rounds > TASK_ROUNDS) {
      log?.('kept: the page puts back what is written, in the same task');
      return;
    }
    guard(() => {
      revertChanged(changes, token());
      for (const change of changes) {
        const target = change.target;
        if (change.type !== 'characterData' && skipping(target)) release(target);
        const whole = wholeAround(change.target);
        if (whole) walk(whole);
        else if (change.type === 'childList') change.addedNodes.forEach(walk);
        else walk(change.target);
      }
    });
  };

  // The whole page, in the phases named above. Changes made meanwhile reach the observer; a walk
  // whose node the page removed starts again; a restore or new numbers cancel the rest.
  // With a finished pre-scan the walk is skipped: its candidates, then whatever the page added or
  // changed since it began.
  const pagePass = (scan: PreScan | undefined, heardAt?: number): Phase => {
    let texts = walkTexts(document);
    let found: Text[] = [];
    let elements = walkElements(document);
    const known = scan?._private_found;
    const walkText: Phase = (taskStart) => {
      if (scan) {
        const changed = scan._private_changed;
        // A candidate inside content the page added since is read again with it: that content
        // may be a section the page kept aside and changed there, where no observer sees it.
        const added = (node: Node): boolean => {
          for (let at: Node | null = node; at; at = at.parentNode) if (changed.has(at)) return true;
          return false;
        };
        known!.forEach((_, node) => {
          if (added(node)) known!.delete(node);
          else found.push(node);
        });
        changed.forEach((node) => {
          if (node.isConnected) findCandidates(walkTexts(node), found, matcher);
          if (node instanceof Text && found.at(-1) !== node) found.push(node);
        });
      } else {
        if (!texts.currentNode.isConnected) {
          texts = walkTexts(document);
          found = [];
        }
        if (!findCandidates(texts, found, matcher, taskStart + WALK_MS)) return walkText;
      }
      found.reverse();
      if (heardAt === undefined) return writeUntil(taskStart + WRITE_MS);
      // In the call, only the texts: what the visitor sees first.
      const deadline = Math.max(heardAt + CALL_WRITE_MS, performance.now() + CALL_MIN_WRITE_MS);
      return writeTextsUntil(deadline) ? writeRest : writeText;
    };
    // Marked elements and links are written in slices as the texts are (a store list may hold
    // thousands of either), each from a list read once; forms and definitions then all at once.
    const inSlices = (selector: string, write: (el: Element) => void) => {
      let list: Element[] | undefined;
      return (deadline: number): boolean => {
        list ??= [...queryAll(document, selector)].reverse();
        for (let el: Element | undefined; (el = list.pop()); ) {
          if (el.isConnected) write(el);
          if (performance.now() > deadline) return false;
        }
        return true;
      };
    };
    const writeMarkedUntil = inSlices(MARKED, writeOneMarked);
    const writeLinksUntil = inSlices(LINKS, writeLink);
    // A marked element is written whole, before the candidates.
    const writeTextsUntil = (deadline: number): boolean =>
      writeMarkedUntil(deadline) && writeCandidates(found, deadline, known);
    const writeRestUntil = (deadline: number): Phase => {
      if (!writeLinksUntil(deadline)) return writeRest;
      writeForms(document);
      waitForDefinitions(document, waits, onDefined);
      return walkShadowRoots;
    };
    const writeRest: Phase = (taskStart) => writeRestUntil(taskStart + WRITE_MS);
    const writeUntil = (deadline: number): Phase => (writeTextsUntil(deadline) ? writeRestUntil(deadline) : writeText);
    const writeText: Phase = (taskStart) => writeUntil(taskStart + WRITE_MS);
    const walkShadowRoots: Phase = (taskStart) => {
      if (!elements.currentNode.isConnected) elements = walkElements(document);
      return findShadowRoots(elements, watchShadowRoot, taskStart + SHADOW_ROOTS_MS) ? undefined : walkShadowRoots;
    };
    return walkText;
  };

  let scan: PreScan | undefined;
  const endScan = () => {
    scan?._private_stop();
    const done = scan?._private_done ? scan : undefined;
    scan = undefined;
    return done;
  };

  return {
    prepare() {
      if (observer || scan) return;
      const found = new Map<Text, Reading>();
      const changed = new Set<Node>();
      // What the page removes is let go: a node added and removed again, or a candidate removed,
      // needs no look at the grant (one put back is noted as added again).
      let given = false;
      const note = (changes: MutationRecord[]) => {
        if (given) return;
        for (const change of changes) {
          if (change.type === 'childList') {
            change.removedNodes.forEach((n) => {
              changed.delete(n);
              found.delete(n as Text);
            });
            change.addedNodes.forEach((n) => changed.add(n));
          } else if (change.type === 'characterData') changed.add(change.target);
        }
        if (changed.size > MAX_CHANGED) {
          given = true;
          found.clear();
          changed.clear();
          self._private_done = false;
          self._private_stop();
        }
      };
      // Watching from before the walk, so that a change made while it goes on is not missed.
      const watch = new MutationObserver(note);
      let texts = walkTexts(document);
      let list: Text[] = [];
      const walkText: Phase = (taskStart) => {
        note(watch.takeRecords());
        if (given) return undefined;
        if (!texts.currentNode.isConnected) {
          texts = walkTexts(document);
          list = [];
        }
        if (!findCandidates(texts, list, matcher, taskStart + WALK_MS)) return walkText;
        list.reverse();
        return readText(taskStart);
      };
      // Each candidate's text is read for targets, in document order and in slices too; one that
      // holds none is dropped.
      const readText: Phase = (taskStart) => {
        note(watch.takeRecords());
        if (given) return undefined;
        for (let node: Text | undefined; (node = list.pop()); ) {
          const reading = matcher.read(node.data);
          if (reading.found) found.set(node, reading);
          if (performance.now() > taskStart + WALK_MS) return readText;
        }
        self._private_done = true;
        return undefined;
      };
      let cancel = noop;
      const idle = window.requestIdleCallback ?? setTimeout;
      const handle = idle(() => {
        watch.observe(document, OBSERVE);
        cancel = runInTasks(walkText, guard);
      });
      const self: PreScan = {
        _private_found: found,
        _private_changed: changed,
        _private_done: false,
        _private_stop: () => {
          (window.cancelIdleCallback ?? clearTimeout)(handle);
          cancel();
          note(watch.takeRecords());
          watch.disconnect();
        },
      };
      scan = self;
    },
    apply(heardAt) {
      copyWatch?.disconnect();
      copyWatch = undefined;
      observer ??= new MutationObserver(onChange);
      // New numbers: what is already swapped is rewritten from its original (it no longer shows a
      // target); a split number once, not once per part.
      const wholes = new Set<Element>();
      records.forEach((record, node) => {
        if (record._private_whole) wholes.add(record._private_whole);
        else redo(record, node);
      });
      wholes.forEach(split);
      observer.observe(document, OBSERVE);
      observer.takeRecords();
      cancelPass();
      // Read ahead, the page needs only writing, from the first candidates on: that starts now,
      // so the numbers show in the frame that shows the decision (see CALL_WRITE_MS). Otherwise
      // the walk starts in a task of its own.
      const scanned = endScan();
      const inCall = scanned ? (heardAt ?? performance.now()) : undefined;
      cancelPass = runInTasks(pagePass(scanned, inCall), guard, inCall !== undefined);
    },
    restore(withdrawn) {
      endScan();
      cancelPass();
      observer?.disconnect();
      observer = undefined;
      copyWatch?.disconnect();
      copyWatch = undefined;
      // Only what still shows our write goes back: the app's own later changes stay. (Where each
      // write stands is noted first: a copy the page puts back later is read by it.)
      copies._private_placeAll();
      records.restore();
      tokenFields.forEach((field) => field.remove());
      tokenFields.clear();
      // A copy the page made of a marked form (a popup cloning it) carries a copy of the token.
      each(document, `${FORMS} ${TOKEN_FIELD}`, (field) => field.remove());
      seen = new WeakSet();
      waits.clear();
      // A copy of the page may come back at any time of the document's life (a Back visit), and
      // nothing tells when none is left: the watch lasts until the next grant or stop. Only what the
      // page inserts or sets is looked at; nothing is read before anything was written.
      if (withdrawn && copies._private_any()) {
        const watch = new MutationObserver((changes) => guard(() => revertChanged(changes, '')));
        watch.observe(document, OBSERVE);
        eachShadowRoot(document, (root) => watch.observe(root, OBSERVE));
        copyWatch = watch;
      }
    },
  };
}
