import { hasOwn } from '../../core/has-own.js';
import { enUi, type Strings } from './en.js';

/**
 * The language a string of the UI is written in, by key: one from `strings` is the site's, in the
 * UI's language `tag`; one from the pack is in `packTag`; any other is the built-in English.
 */
export const textLanguage =
  (tag: string, pack: Partial<Strings>, packTag: string, strings: Partial<Strings>) =>
  (key: string): string => {
    if (hasOwn(strings, key)) return tag;
    return hasOwn(pack, key) ? packTag : 'en';
  };

/**
 * Whether some string of the banner, the dialog or the reopen button is in another language than
 * `tag` (WCAG 3.1.2: such a part says so). The embed placeholders' are not counted: a placeholder
 * is labelled on its own.
 */
export const mixesLanguages = (languageOf: (key: string) => string, tag: string): boolean =>
  Object.keys(enUi).some((key) => languageOf(key) !== tag);
