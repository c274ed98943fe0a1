// What a visitor sees of the consent banners on a page (happy-dom computes the styles).

/** The banners a visitor sees: in the page, and shown (not `hidden`, not hidden by a style). */
export const shownBanners = (): Element[] =>
  [...document.querySelectorAll('[role="region"]')].filter((el) => el.checkVisibility());

/**
 * Deletes every rule whose selector uses `:has()` from the page's style sheets, adopted ones
 * included: the page as a browser without `:has()` styles it (its parser drops such a rule whole).
 * Sheets added later keep theirs: call it again after each step.
 */
export function dropHasRules(): void {
  for (const sheet of [...document.styleSheets, ...document.adoptedStyleSheets])
    for (let i = sheet.cssRules.length - 1; i >= 0; i--)
      if (sheet.cssRules[i]!.cssText.includes(':has(')) sheet.deleteRule(i);
}

/** {@link shownBanners} in a browser without `:has()`. */
export const shownWithoutHas = (): Element[] => {
  dropHasRules();
  return shownBanners();
};
