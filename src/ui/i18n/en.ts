/**
 * Every string the consent UI shows. `{p}` stands for an embed's provider and `{c}` for a
 * category label or a list of them. Category labels and descriptions are keyed by category id (`analytics`,
 * `analyticsText`); a label or description given in the configuration wins over these.
 */
export interface Strings {
  /** The banner's heading, also its accessible name and what a screen reader announces when it shows. */
  title: string;
  /** The banner's text, followed by the privacy policy link. */
  text: string;
  /** Text of the privacy policy link (shown when `privacyPolicyUrl` is set). */
  policy: string;
  /** The Accept all button, in the banner and the dialog. */
  accept: string;
  /** The Reject all button, in the banner and the dialog. */
  reject: string;
  /** The banner's button that opens the preferences dialog. */
  custom: string;
  /** Accessible name of the banner's close control, which refuses. */
  close: string;
  /** The preferences dialog's heading. */
  prefs: string;
  /** The dialog's button that records the toggles as they stand. */
  save: string;
  /** Said to screen readers once a choice made in the banner or the dialog is saved (a polite status message). */
  saved: string;
  /** Accessible name of the dialog's close control (no decision). */
  done: string;
  /** Shown on sale/share categories while GPC or an opt-out applies. */
  honored: string;
  /** The floating button that reopens the preferences dialog. */
  reopen: string;
  /** Summary of a category's cookie table, followed by the count. */
  cookies: string;
  /** Cookie table column header: the cookie's name or pattern. */
  cookieName: string;
  /** Cookie table column header: who sets the cookie. */
  cookieProvider: string;
  /** Cookie table column header: what the cookie is for. */
  cookiePurpose: string;
  /** Cookie table column header: how long the cookie lasts. */
  cookieDuration: string;
  /** Embed placeholder; `{c}` names every category its button grants. */
  blocked: string;
  /** The embed placeholder's button, which grants those categories and loads the embed; `{c}` names them. */
  load: string;
  /** Embed placeholder, with no button, while GPC or an opt-out keeps a category it needs off. */
  optedOut: string;
  /** Category labels by id (`analytics`) and descriptions by id plus `Text` (`analyticsText`). */
  [key: string]: string;
}

/** The keys of the embed placeholder's strings. */
export type PlaceholderKey = 'blocked' | 'load' | 'optedOut';

/** What the banner, the dialog and the reopen button show: every string but the embed placeholder's. */
export type UiStrings = { [K in keyof Strings as K extends PlaceholderKey ? never : K]: Strings[K] };

/**
 * English for the banner, the dialog and the reopen button: what the script-tag file carries. The
 * placeholder's English ships with the placeholders, in the script tag's embed add-on.
 */
export const enUi: UiStrings = {
  title: 'Cookies and your privacy',
  text: 'We use cookies for statistics, ads and social media only with your consent. You can change your choice at any time.',
  policy: 'Privacy policy',
  accept: 'Accept all',
  reject: 'Reject all',
  custom: 'Customize',
  close: 'Close and reject all',
  prefs: 'Privacy preferences',
  save: 'Save choices',
  saved: 'Your choices have been saved.',
  done: 'Close',
  honored: 'Opt-Out Request Honored',
  reopen: 'Cookie settings',
  cookies: 'Cookies',
  cookieName: 'Name',
  cookieProvider: 'Provider',
  cookiePurpose: 'Purpose',
  cookieDuration: 'Duration',
  necessary: 'Necessary',
  necessaryText: 'Needed for the site to work.',
  analytics: 'Analytics',
  analyticsText: 'Measures how the site is used.',
  advertising: 'Advertising',
  advertisingText: 'Relevant ads, shared with ad partners.',
  social: 'Social media',
  socialText: 'Posts, videos and share buttons from social networks.',
};

/** English for embed placeholders. */
export const enPlaceholder: Pick<Strings, PlaceholderKey> = {
  blocked: '{p} content is blocked until you allow {c}.',
  load: 'Allow {c} and load',
  optedOut:
    '{p} content stays blocked: it needs {c}, and your opt-out of the sale or sharing of personal information is honored.',
};

/** English, the language used when no other is picked. */
export const en: Strings = { ...enUi, ...enPlaceholder };
