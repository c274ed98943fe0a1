// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createNumberMatcher } from '../../../src/dni/match';
import { createSwapper } from '../../../src/dni/swap';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};
const us = createNumberMatcher(['+15551234567']);
// Every swapper is restored after its test even when an assertion failed (a live observer would
// swap the next test's page with its own numbers).
const live: Array<{ restore(): void }> = [];
const track = <T extends { restore(): void }>(s: T): T => (live.push(s), s);
const mk = () => track(createSwapper(us, { pick: () => '+18889990000' }));
const toUs = () => '+18889990000';
// A marked element holding a text node its framework made (and keeps a reference to), swapped.
const frameworkMarked = async () => {
  const p = document.createElement('p');
  p.dataset['dni'] = '';
  const t = document.createTextNode('Call 555-123-4567');
  p.append(t);
  document.body.append(p);
  const s = mk();
  s.apply();
  await settle();
  return { p, t, s };
};
afterEach(() => {
  live.splice(0).forEach((s) => s.restore());
  document.body.replaceChildren();
});

describe('marked elements ([data-dni] without markup)', () => {
  it('each target in a marked element gets its own number (not the first target’s)', async () => {
    const m = createNumberMatcher(['+15551234567', '+15551239999']);
    const map: Record<string, string> = { '+15551234567': '+18889990000', '+15551239999': '+17770001111' };
    document.body.innerHTML = `<p id="a" data-dni>Sales 555-123-4567, support 555-123-9999</p>`;
    const s = track(createSwapper(m, { pick: (t) => map[t.e164] }));
    s.apply();
    await settle();
    // Unmarked, the same text gives 'Sales 888-999-0000, support 777-000-1111'.
    expect(document.getElementById('a')!.textContent).toBe('Sales 888-999-0000, support 777-000-1111');
    s.restore();
  });

  it('a target with no tracking number keeps its digits inside a marked element', async () => {
    const m = createNumberMatcher(['+15551234567', '+15551239999']);
    document.body.innerHTML = `<p id="a" data-dni>Sales 555-123-4567, support 555-123-9999</p>`;
    const s = track(createSwapper(m, { pick: (t) => (t.e164 === '+15551234567' ? '+18889990000' : undefined) }));
    s.apply();
    await settle();
    expect(document.getElementById('a')!.textContent).toBe('Sales 888-999-0000, support 555-123-9999');
    s.restore();
  });

  it('the framework’s own text node stays in the page (its later updates show)', async () => {
    const { p, t, s } = await frameworkMarked();
    expect(p.firstChild).toBe(t);
    t.data = 'Closed today'; // e.g. React/Vue/Lit updating the node it created
    await settle();
    expect(p.textContent).toBe('Closed today');
    s.restore();
  });

  it('a framework inserting before its own text node does not throw', async () => {
    const { p, t, s } = await frameworkMarked();
    expect(() => p.insertBefore(document.createElement('b'), t)).not.toThrow();
    s.restore();
  });

  it('restore is exact: comment markers (Lit/Vue/SSR <!-- -->) inside a marked element survive', async () => {
    document.body.innerHTML = `<p id="c" data-dni>Call <!--x-->555-123-4567</p>`;
    const before = document.body.innerHTML;
    const s = mk();
    s.apply();
    await settle();
    s.restore();
    expect(document.body.innerHTML).toBe(before);
  });

  it('withdrawal after the app added markup to a swapped marked element: original back', async () => {
    document.body.innerHTML = `<p id="m" data-dni>Call 555-123-4567</p>`;
    const el = document.getElementById('m')!;
    const s = mk();
    s.apply();
    await settle();
    el.append(document.createElement('i'));
    await settle();
    s.restore();
    expect(el.textContent).toBe('Call 555-123-4567');
  });

  it('withdrawal after the app added markup to a filled placeholder: our number gone', async () => {
    document.body.innerHTML = `<span id="e" data-dni></span>`;
    const el = document.getElementById('e')!;
    const s = mk();
    s.apply();
    await settle();
    expect(el.textContent).toBe('888 999 0000');
    el.append(Object.assign(document.createElement('i'), { textContent: '☎' }));
    await settle();
    s.restore();
    expect(el.innerHTML).toBe('<i>☎</i>');
  });

  it('marked elements inside data-no-swap or an editable region are not written', async () => {
    document.body.innerHTML = `<div data-no-swap><span id="a" data-dni>555-123-4567</span></div><div contenteditable><span id="b" data-dni>555-123-4567</span><span id="c" data-dni><b>555</b>-123-4567</span></div>`;
    const before = document.body.innerHTML;
    const s = mk();
    s.apply();
    await settle();
    expect(document.body.innerHTML).toBe(before);
    s.restore();
  });
});

describe('marked elements', () => {
  // A framework's comment markers split the number into two text nodes, no element between: the
  // whole text holds the target and no single node does: matched as one and split.
  it('a marked number split by a comment marker (React SSR <!-- -->) is swapped', async () => {
    document.body.innerHTML = '<span id="a" data-dni>555-123-<!-- -->4567</span>';
    const s = mk();
    s.apply();
    await settle();
    expect(document.getElementById('a')!.textContent).toBe('888-999-0000');
    s.restore();
    expect(document.getElementById('a')!.innerHTML).toBe('555-123-<!-- -->4567');
  });

  // A filled placeholder is not a part of its link's split text (which would put its empty
  // original back in the same pass).
  it('a placeholder inside a tel: link shows the number', async () => {
    document.body.innerHTML = '<a href="tel:+15551234567">Call <span id="p" data-dni></span></a>';
    const s = mk();
    s.apply();
    await settle();
    expect(document.getElementById('p')!.textContent).toBe('888 999 0000');
  });

  // Nor of its own split text once the app adds markup to it.
  it('a filled placeholder keeps its number when the app adds markup to it', async () => {
    document.body.innerHTML = '<span id="p" data-dni>Call us</span>';
    const s = mk();
    s.apply();
    await settle();
    expect(document.getElementById('p')!.textContent).toBe('888 999 0000');
    const small = document.createElement('small');
    small.textContent = ' 24/7';
    document.getElementById('p')!.append(small);
    await settle();
    expect(document.getElementById('p')!.textContent).toBe('888 999 0000 24/7');
  });

  it('a marked element whose number sits whole in one of its text nodes, beside a comment marker: the app may later write other text there and it stays', async () => {
    document.body.innerHTML = '<p id="a" data-dni>Call <!-- -->555-123-4567</p>';
    const a = document.getElementById('a')!;
    const node = a.lastChild as Text;
    const s = mk();
    s.apply();
    await settle();
    expect(a.textContent).toBe('Call 888-999-0000');
    node.data = 'Closed today';
    await settle();
    expect([a.textContent, a.lastChild === node]).toEqual(['Call Closed today', true]);
    node.data = '555-123-4567';
    await settle();
    expect(a.textContent).toBe('Call 888-999-0000');
    s.restore();
    expect(a.innerHTML).toBe('Call <!-- -->555-123-4567');
  });
});

// A node first swapped on its own (it held the whole number) that the app later updates in place
// (frameworks reuse text nodes) to one part of a split number is a part again.
describe('split() and a part earlier swapped on its own', () => {
  it('tel: link: the app turns its text node into "(555)" and adds " 123-4567" → swapped as a whole', async () => {
    document.body.innerHTML = '<a id="l" href="tel:+15551234567"><span id="a">555-123-4567</span><span id="b"></span></a>';
    const s = mk();
    s.apply();
    await settle();
    expect(document.getElementById('l')!.textContent).toBe('888-999-0000');
    (document.getElementById('a')!.firstChild as Text).data = '(555)';
    document.getElementById('b')!.textContent = ' 123-4567';
    await settle();
    expect(document.getElementById('l')!.textContent).toBe('(888) 999-0000');
  });

  it('marked element: the app rewrites its text node to "555-" and appends <b>123-4567</b> → swapped as a whole', async () => {
    document.body.innerHTML = '<span id="p" data-dni>555-123-4567</span>';
    const s = mk();
    s.apply();
    await settle();
    expect(document.getElementById('p')!.textContent).toBe('888-999-0000');
    const p = document.getElementById('p')!;
    (p.firstChild as Text).data = '555-';
    const b = document.createElement('b');
    b.textContent = '123-4567';
    p.append(b);
    await settle();
    expect(p.textContent).toBe('888-999-0000');
    s.restore();
    expect(p.textContent).toBe('555-123-4567');
  });
});

describe('tel: links', () => {
  it.each(['tel: 555-123-4567', 'tel: +1 555 123 4567', 'tel:%20+15551234567', 'tel://5551234567'])('%j is rewritten', (h) => {
    expect(us.replaceHref(h, toUs)).toBe('tel:+18889990000');
  });

  it('in the page: the text shows the tracking number, so must the link', async () => {
    document.body.innerHTML = `<a id="a" href="tel: 555-123-4567">555-123-4567</a>`;
    const s = createSwapper(us, { pick: toUs });
    s.apply();
    await new Promise((r) => setTimeout(r, 0));
    const a = document.getElementById('a')!;
    try {
      expect(a.textContent).toBe('888-999-0000');
      expect(a.getAttribute('href')).toBe('tel:+18889990000');
    } finally {
      s.restore();
    }
  });
});
