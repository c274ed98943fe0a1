import type { Strings } from './en.js';

/** German. */
export const de: Strings = {
  title: 'Cookies und Ihre Privatsphäre',
  text: 'Wir verwenden Cookies, um Besuche zu messen, passende Werbung zu zeigen und soziale Medien einzubetten – nur mit Ihrer Einwilligung. Sie können Ihre Wahl jederzeit ändern.',
  policy: 'Datenschutzerklärung',
  accept: 'Alle akzeptieren',
  reject: 'Alle ablehnen',
  custom: 'Anpassen',
  close: 'Schließen und alle ablehnen',
  prefs: 'Datenschutz-Einstellungen',
  save: 'Auswahl speichern',
  done: 'Schließen',
  honored: 'Opt-out-Anfrage berücksichtigt',
  reopen: 'Cookie-Einstellungen',
  cookies: 'Cookies',
  cookieName: 'Name',
  cookieProvider: 'Anbieter',
  cookiePurpose: 'Zweck',
  cookieDuration: 'Speicherdauer',
  blocked: 'Dieser Inhalt von {p} ist blockiert, bis Sie „{c}“ erlauben.',
  load: '„{c}“ erlauben und laden',
  optedOut:
    'Dieser Inhalt von {p} bleibt blockiert: Er benötigt „{c}“, und Ihr Widerspruch gegen den Verkauf oder die Weitergabe personenbezogener Daten wird beachtet.',
  necessary: 'Notwendig',
  necessaryText: 'Für den Betrieb der Website erforderlich. Immer aktiv.',
  analytics: 'Statistik',
  analyticsText: 'Zählt Besuche und misst, wie die Website genutzt wird.',
  advertising: 'Werbung',
  advertisingText: 'Zeigt passende Werbung und misst sie. Teilt Daten mit Werbepartnern.',
  social: 'Soziale Medien',
  socialText: 'Eingebettete Beiträge, Videos und Teilen-Schaltflächen sozialer Netzwerke.',
};
