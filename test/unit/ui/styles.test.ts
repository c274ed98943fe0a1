// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { adoptStyles, CSS } from '../../../src/ui/styles';

const adopted = () =>
  document.adoptedStyleSheets.filter((s) => [...s.cssRules].some((r) => r.cssText.includes('#consentline')));
const cleanups: Array<() => void> = [];
const adopt = () => {
  const release = adoptStyles();
  cleanups.push(release);
  return release;
};

afterEach(() => {
  cleanups.splice(0).forEach((f) => f());
  document.adoptedStyleSheets = [];
  document.head.replaceChildren();
});

describe('adoptStyles', () => {
  it('adopts one constructed stylesheet however many parts ask for it', () => {
    adopt();
    adopt();
    expect(adopted()).toHaveLength(1);
    expect(document.querySelector('style')).toBeNull();
  });

  it('keeps the sheet while any part still uses it: the last to clean up removes it', () => {
    const ui = adopt();
    const heldBack = adopt();
    ui();
    expect(adopted()).toHaveLength(1);
    heldBack();
    expect(adopted()).toHaveLength(0);
  });

  it('a cleanup called twice counts once, so it cannot remove the sheet from under another part', () => {
    const ui = adopt();
    adopt();
    ui();
    ui();
    expect(adopted()).toHaveLength(1);
  });

  it('adopts a fresh sheet after everything was cleaned up, and keeps the page’s own sheets', () => {
    const own = new CSSStyleSheet();
    document.adoptedStyleSheets = [own];
    adopt()();
    expect(document.adoptedStyleSheets).toEqual([own]);
    adopt();
    expect(adopted()).toHaveLength(1);
    expect(document.adoptedStyleSheets[0]).toBe(own);
  });

  it('every declaration is !important, so the page’s CSS cannot override the UI', () => {
    const declarations = CSS.replace(/@media[^{]*\{/g, '').match(/[\w-]+:[^;{}]+[;}]/g) ?? [];
    expect(declarations.length).toBeGreaterThan(50);
    for (const d of declarations) if (!d.startsWith('--')) expect(d, d).toMatch(/!important[;}]$/);
  });
});
