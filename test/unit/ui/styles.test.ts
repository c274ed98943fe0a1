// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { adoptLook, CSS, PLACEHOLDER_LOOK, styleText, UI_LOOK } from '../../../src/ui/styles';

const adopted = (selector = '#consentline') =>
  document.adoptedStyleSheets.filter((s) => [...s.cssRules].some((r) => r.cssText.includes(selector)));
const cleanups: Array<() => void> = [];
const adopt = (look = UI_LOOK) => {
  const release = adoptLook(look);
  cleanups.push(release);
  return release;
};

afterEach(() => {
  cleanups.splice(0).forEach((f) => f());
  document.adoptedStyleSheets = [];
  document.head.replaceChildren();
});

describe('adoptLook', () => {
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

  it('the UI and embed placeholders each get a sheet of their own, counted apart', () => {
    const ui = adopt();
    const placeholders = adopt(PLACEHOLDER_LOOK);
    adopt(PLACEHOLDER_LOOK);
    expect(document.adoptedStyleSheets).toHaveLength(2);
    expect(adopted('.consentline-ph')).toHaveLength(1);
    ui();
    expect(adopted()).toHaveLength(0);
    placeholders();
    expect(adopted('.consentline-ph')).toHaveLength(1);
  });

  it('every declaration is !important, so the page’s CSS cannot override the UI', () => {
    const all = styleText(UI_LOOK) + styleText(PLACEHOLDER_LOOK);
    const declarations = all.replace(/@media[^{]*\{/g, '').match(/[\w-]+:[^;{}]+[;}]/g) ?? [];
    expect(declarations.length).toBeGreaterThan(50);
    for (const d of declarations) if (!d.startsWith('--')) expect(d, d).toMatch(/!important[;}]$/);
  });

  it('the UI’s sheet has no placeholder rule, the placeholders’ none of the UI; the bindings’ copy is the UI’s but for the rule that hides it and its direction', () => {
    const ui = styleText(UI_LOOK);
    const placeholders = styleText(PLACEHOLDER_LOOK);
    expect(ui).not.toContain('.consentline-ph');
    expect(placeholders).not.toContain('#consentline');
    // The shared part (reset, theme, buttons) is written for each root.
    for (const text of [ui, placeholders]) expect(text).toContain('--cl-dark-bg');
    expect(placeholders).toContain('.consentline-ph button{');
    // Placeholders are only ever drawn in the browser, which adopts their sheet with the first one.
    // The mount adopts a rule that hides the copy, which the copy's own <style> must leave out.
    // The copy's own: the direction of the language it inherits (direction.test.ts).
    const [copied, direction] = CSS.split(/\n(?=#consentline\.cp:not)/);
    expect(direction).toMatch(/^#consentline\.cp:not\(\[dir\]\):is\([^{]+\)\{direction:rtl!important;\}$/);
    expect(ui).toBe(`${copied}\n#consentline.cp{display:none!important;}`);
    expect(copied).not.toContain('.cp');
  });
});
