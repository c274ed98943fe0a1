import { bool, entries, list, oneOf, shape, str } from '../../core/validate';
import type { Strings } from '../../ui/i18n/en';
import { mountConsentUi, type ConsentUiOptions } from '../../ui/mount';
import type { BootContext } from './context';

declare global {
  interface Window {
    /** Language packs added by `dist/i18n/<lang>.js` files loaded before the SDK. */
    ConsentlineLangs?: Record<string, Partial<Strings>>;
  }
}

const uiSchema = shape({
  position: oneOf('bottom', 'top', 'center'),
  close: bool,
  reopen: bool,
  lang: str(35, /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/),
  strings: entries(/^\w{1,40}$/, str(1000), 60),
  reloadOnWithdraw: bool,
  cookiePaths: list(str(200, /^\/[^\s;,]*$/), 20),
});

/** Validates `config.ui`, mounts the banner, dialog, reopen controls and held-back content, and adds `showPreferences` / `hidePreferences` to the global. */
export function startUi(ctx: BootContext): () => void {
  const { strings, ...rest } = uiSchema(ctx.config.ui ?? {}, 'ui', ctx.warn) ?? {};
  // Called while the SDK's own tag runs: its nonce gates held-back scripts (see activateHeldBack).
  const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce || '';
  const options: ConsentUiOptions = { ...rest, languages: window.ConsentlineLangs ?? {}, nonce };
  if (strings) options.strings = Object.fromEntries(strings);
  if (ctx.config.privacyPolicyUrl) options.privacyPolicyUrl = ctx.config.privacyPolicyUrl;
  const ui = mountConsentUi(ctx.store, options);
  ctx.api['showPreferences'] = ui.showPreferences;
  ctx.api['hidePreferences'] = ui.hidePreferences;
  return ui;
}
