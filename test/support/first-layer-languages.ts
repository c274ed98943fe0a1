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

/** {@link firstLayerLanguages} of the banner in `html` (a server's), read in the page as it is now. */
export function firstLayerLanguagesOf(html: string): string[] {
  const container = document.body.appendChild(document.createElement('div'));
  try {
    container.innerHTML = html;
    return firstLayerLanguages(container.querySelector('#consentline')!);
  } finally {
    container.remove();
  }
}

/** Arabic for the title and one button, given without `lang`: the rest are the built-in English. */
export const SOME_ARABIC = { title: 'ملفات تعريف الارتباط وخصوصيتك', accept: 'قبول الكل' };

/** What {@link firstLayerLanguages} reads of a banner showing {@link SOME_ARABIC} on an Arabic page. */
export const SOME_ARABIC_LAID_OUT = [
  `${SOME_ARABIC.title} [ar rtl]`,
  `${SOME_ARABIC.title} [ar rtl]`,
  'We use cookies for statistics, ads and social media only with your consent. You can change your choice at any time. [en ltr]',
  `${SOME_ARABIC.accept} [ar rtl]`,
  'Reject all [en ltr]',
  'Customize [en ltr]',
];

/** Runs `test` on a page that says it is Arabic (`<html lang="ar" dir="rtl">`), then takes that off. */
export async function onArabicPage(test: () => Promise<void>): Promise<void> {
  const page = document.documentElement;
  page.lang = 'ar';
  page.dir = 'rtl';
  try {
    await test();
  } finally {
    page.removeAttribute('lang');
    page.removeAttribute('dir');
  }
}
