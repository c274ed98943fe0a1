import { doc } from '../dom.js';
import type { Strings } from './en.js';

/**
 * Picks a language: `lang` if given, then `<html lang>`, then the browser's languages, matched by
 * primary subtag against `packs`; English when nothing matches. Returns the tag to set as the
 * UI's `lang` and the chosen pack.
 */
export function pickLanguage(packs: Record<string, Partial<Strings>>, lang?: string): [string, Partial<Strings>] {
  // Own keys only: a tag like "__proto__" or "constructor" must not pick Object.prototype.
  const own = Object.assign(Object.create(null) as Record<string, Partial<Strings>>, packs);
  for (const tag of [lang, doc('documentElement').lang, ...(navigator.languages || [])]) {
    const pack = tag && own[tag.toLowerCase().split('-')[0]!];
    if (pack) return [lang || tag!, pack];
  }
  return [lang || 'en', own['en'] || {}];
}
