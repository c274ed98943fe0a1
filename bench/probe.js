// Injected with addInitScript before any page script. Records paints, long tasks, long animation
// frames, layout shifts, storage writes and the first trusted click, and runs a rAF loop that finds
// the first frame in which a visible "Accept all" control is hit-testable at its centre.
// Kept cheap: one querySelectorAll per frame until found, then it stops.
(() => {
  const ACCEPT = 'Accept all';
  const CATS = ['analytics', 'advertising', 'social'];
  const now = () => performance.now();
  let resolveReady, resolveActive;
  const B = (window.__bench = {
    clickableAt: null,
    rect: null,
    fcp: null,
    frames: 0,
    longtasks: [],
    loaf: [],
    shifts: [],
    writes: [],
    click: null,
    ran: {},
    stop: false,
    ready: new Promise((r) => (resolveReady = r)),
    active: new Promise((r) => (resolveActive = r)),
  });
  const observe = (type, fn) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true });
    } catch {}
  };
  observe('paint', (e) => {
    if (e.name === 'first-contentful-paint') B.fcp = e.startTime;
  });
  observe('longtask', (e) => B.longtasks.push([e.startTime, e.duration]));
  observe('layout-shift', (e) => {
    if (!e.hadRecentInput) B.shifts.push([e.startTime, e.value]);
  });
  observe('long-animation-frame', (e) =>
    B.loaf.push([
      e.startTime,
      e.duration,
      e.blockingDuration,
      (e.scripts || []).map((s) => [s.sourceURL, s.startTime, s.duration, s.invoker]),
    ]),
  );

  // Held-back scripts assign window.__benchRan[category]; the setters time it.
  const ran = {};
  for (const cat of CATS) {
    Object.defineProperty(ran, cat, {
      enumerable: true,
      get: () => B.ran[cat],
      set: (t) => {
        if (B.ran[cat] === undefined) B.ran[cat] = now();
        if (CATS.every((c) => B.ran[c] !== undefined)) resolveActive(true);
      },
    });
  }
  window.__benchRan = ran;

  // Every cookie and Web Storage write, with its time, so "consent stored" and "written before
  // the choice" are both observable.
  try {
    const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: desc.enumerable,
      get() {
        return desc.get.call(this);
      },
      set(value) {
        B.writes.push([now(), 'cookie', String(value).split('=')[0].trim()]);
        desc.set.call(this, value);
      },
    });
    for (const method of ['setItem', 'removeItem', 'clear']) {
      const original = Storage.prototype[method];
      Storage.prototype[method] = function (...args) {
        let area = 'storage';
        try {
          area = this === window.localStorage ? 'localStorage' : 'sessionStorage';
        } catch {}
        B.writes.push([now(), `${area}.${method}`, String(args[0])]);
        return original.apply(this, args);
      };
    }
  } catch {}

  addEventListener(
    'click',
    (e) => {
      // The last trusted click: a banner that ignores the first (handlers not attached yet) is
      // clicked again, and accept -> active runs from the click that worked.
      if (e.isTrusted) B.click = e.timeStamp;
    },
    true,
  );

  const hitTestable = (el, root) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
      return null;
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const hit = root.elementFromPoint(x, y);
    if (!hit || (hit !== el && !el.contains(hit))) return null;
    // "Visible": an opacity fade counts once the control is at least half opaque.
    let opacity = 1;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
      const style = getComputedStyle(n);
      if (style.visibility === 'hidden') return null;
      opacity *= Number(style.opacity);
    }
    return opacity >= 0.5 ? { x, y, width: r.width, height: r.height } : null;
  };
  const search = (root) => {
    // Every peer and our UI render the accept control as a <button>; the page itself has none,
    // so this costs next to nothing per frame until a banner appears.
    for (const el of root.querySelectorAll('button')) {
      if (el.textContent.trim() !== ACCEPT) continue;
      const rect = hitTestable(el, root);
      if (rect) return rect;
    }
    return null;
  };
  const find = () => {
    if (!document.body) return null;
    const found = search(document);
    if (found) return found;
    for (const el of document.body.children)
      if (el.shadowRoot) {
        const inner = search(el.shadowRoot);
        if (inner) return inner;
      }
    return null;
  };
  const loop = () => {
    B.frames++;
    if (B.stop) return;
    const rect = find();
    if (rect) {
      B.clickableAt = now();
      B.rect = rect;
      resolveReady(true);
      return;
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  // Where the accept control is now (it may have moved since it first became clickable).
  B.locate = find;
})();
