// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createNumberMatcher } from '../../../src/dni/match';
import { createSwapper } from '../../../src/dni/swap';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};
const live: Array<{ restore(): void }> = [];
const mk = () => {
  const s = createSwapper(createNumberMatcher(['+15551234567']), { pick: () => '+18889990000' });
  live.push(s);
  return s;
};
afterEach(() => {
  live.splice(0).forEach((s) => s.restore());
  document.body.replaceChildren();
});

describe('marked elements', () => {
  // A framework's comment markers split the number into two text nodes: textContent holds the
  // target, so it is neither a placeholder nor split() (childElementCount 0), and no single text
  // node holds it. b6acc7c swapped it (whole textContent). README: "mark its element data-dni".
  it('a marked number split by a comment marker (React SSR <!-- -->) is swapped', async () => {
    document.body.innerHTML = '<span id="a" data-dni>555-123-<!-- -->4567</span>';
    const s = mk();
    s.apply();
    await settle();
    expect(document.getElementById('a')!.textContent).toBe('888-999-0000');
    s.restore();
    expect(document.getElementById('a')!.innerHTML).toBe('555-123-<!-- -->4567');
  });

  // split(link) recomputes every text node from its original, the placeholder's ('') included,
  // and writes it back: the filled placeholder is emptied in the same pass. b6acc7c showed it.
  it('a placeholder inside a tel: link shows the number', async () => {
    document.body.innerHTML = '<a href="tel:+15551234567">Call <span id="p" data-dni></span></a>';
    const s = mk();
    s.apply();
    await settle();
    expect(document.getElementById('p')!.textContent).toBe('888 999 0000');
  });

  // Same root cause: markup added later makes the element go through split(), which puts the
  // placeholder's original text back while consent still holds. b6acc7c kept the number.
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
