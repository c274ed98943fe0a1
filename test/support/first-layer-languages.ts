// The language and direction each text of a banner's first layer is in, as a browser resolves
// them: the nearest `lang` and the nearest `dir` (the page's, when the banner says none).

/**
 * Each text of the first layer under `root` (a `#consentline`, the live UI's or the server's
 * copy), in order: its text, the primary subtag of its nearest `lang` and its nearest `dir`.
 */
export function firstLayerLanguages(root: Element): string[] {
  const region = root.querySelector('[role="region"]')!;
  const texts: Array<[Element, string]> = [
    [region, region.getAttribute('aria-label')!],
    ...[...region.querySelectorAll('strong, .t p:last-child, .a button')].map((el): [Element, string] => [
      el,
      el.firstChild?.textContent?.trim() ?? '',
    ]),
  ];
  return texts.map(([el, text]) => {
    const lang = el.closest('[lang]')?.getAttribute('lang')?.split('-')[0];
    return `${text} [${lang} ${el.closest('[dir]')?.getAttribute('dir')}]`;
  });
}
