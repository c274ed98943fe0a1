// Languages written right to left, by primary subtag or script subtag (BCP 47).
const RTL = /^(ar|arc|ckb|dv|fa|he|iw|ji|ks|nqo|ps|sd|syr|ug|ur|yi)(-|$)|-(adlm|arab|hebr|nkoo|rohg|syrc|thaa)(-|$)/i;

/** The writing direction of a language tag: the UI is laid out in its own language's, not the page's. */
export const directionOf = (tag: string): 'rtl' | 'ltr' => (RTL.test(tag) ? 'rtl' : 'ltr');

/**
 * The primary subtags that {@link directionOf} finds right to left, for CSS `:lang()`, which matches
 * a tag by its prefix (`:lang(ar)` matches `ar-EG`) but not by its script subtag.
 */
export const rtlLanguages = (): string[] => RTL.source.slice(2, RTL.source.indexOf(')')).split('|');
