/**
 * Every string the consent UI shows. `{p}` stands for an embed's provider and `{c}` for a
 * category label or a list of them. Category labels and descriptions are keyed by category id (`analytics`,
 * `analyticsText`); a label or description given in the configuration wins over these.
 */
export interface Strings {
  title: string;
  text: string;
  policy: string;
  accept: string;
  reject: string;
  custom: string;
  /** Accessible name of the banner's close control, which refuses. */
  close: string;
  prefs: string;
  save: string;
  /** Accessible name of the dialog's close control (no decision). */
  done: string;
  /** Shown on sale/share categories while GPC or an opt-out applies. */
  honored: string;
  reopen: string;
  /** Summary of a category's cookie table, followed by the count. */
  cookies: string;
  /** Cookie table column headers. */
  cookieName: string;
  cookieProvider: string;
  cookiePurpose: string;
  cookieDuration: string;
  /** Embed placeholder; `{c}` names every category its button grants. */
  blocked: string;
  load: string;
  /** Embed placeholder, with no button, while GPC or an opt-out keeps a category it needs off. */
  optedOut: string;
  [key: string]: string;
}

/** English, built into the script-tag file. */
export const en: Strings = {
  title: 'Cookies and your privacy',
  text: 'We use cookies for statistics, ads and social media only with your consent. You can change your choice at any time.',
  policy: 'Privacy policy',
  accept: 'Accept all',
  reject: 'Reject all',
  custom: 'Customize',
  close: 'Close and reject all',
  prefs: 'Privacy preferences',
  save: 'Save choices',
  done: 'Close',
  honored: 'Opt-Out Request Honored',
  reopen: 'Cookie settings',
  cookies: 'Cookies',
  cookieName: 'Name',
  cookieProvider: 'Provider',
  cookiePurpose: 'Purpose',
  cookieDuration: 'Duration',
  blocked: '{p} content is blocked until you allow {c}.',
  load: 'Allow {c} and load',
  optedOut:
    '{p} content stays blocked: it needs {c}, and your opt-out of the sale or sharing of personal information is honored.',
  necessary: 'Necessary',
  necessaryText: 'Needed for the site to work.',
  analytics: 'Analytics',
  analyticsText: 'Measures how the site is used.',
  advertising: 'Advertising',
  advertisingText: 'Relevant ads, shared with ad partners.',
  social: 'Social media',
  socialText: 'Posts, videos and share buttons from social networks.',
};
