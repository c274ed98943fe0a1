import { doc } from '../dom.js';
import type { Strings } from './en.js';

/** A language picked for the UI: its tag, and the pack its texts come from. */
export interface PickedLanguage {
  /** The UI's language, its root's `lang`: the tag asked for, else the one that found a pack, else `en`. */
  _private_tag: string;
  /** The chosen pack. */
  _private_pack: Partial<Strings>;
  /**
   * The language the pack is written in: the UI's, or, for a tag asked for that has no pack, the
   * tag that found one (`<html lang>`, a browser language), else `en`.
   */
  _private_packTag: string;
}

/**
 * Picks a language: `lang` if given, then `<html lang>`, then the browser's languages, matched by
 * primary subtag against `packs`; English when nothing matches. A `lang` without a pack stays the
 * UI's language (the site's `strings` are in it) and the pack found next supplies the rest.
 */
export function pickLanguage(packs: Record<string, Partial<Strings>>, lang?: string): PickedLanguage {
  // Own keys only: a tag like "__proto__" or "constructor" must not pick Object.prototype.
  const own = Object.assign(Object.create(null) as Record<string, Partial<Strings>>, packs);
  for (const tag of [lang, doc('documentElement').lang, ...(navigator.languages || [])]) {
    const pack = tag && own[tag.toLowerCase().split('-')[0]!];
    if (pack) return { _private_tag: lang || tag!, _private_pack: pack, _private_packTag: tag! };
  }
  return { _private_tag: lang || 'en', _private_pack: own['en'] || {}, _private_packTag: 'en' };
}
