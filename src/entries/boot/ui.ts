import type { ScriptConfig } from '../../core/config.js';
import { bool, entries, list, oneOf, shape, str, type Check, type Warn } from '../../core/validate.js';
import { BUILT_IN_CATEGORIES } from '../../core/categories.js';
import { hasOwn } from '../../core/has-own.js';
import { enUi, type PlaceholderKey, type Strings } from '../../ui/i18n/en.js';
import { mountUi, type MountUiOptions } from '../../ui/mount.js';
import type { BootContext } from './context.js';
import { loadEmbeds } from './embeds-loader.js';
import { inOwnTaskOrFrame } from '../../dom/own-task.js';

declare global {
  interface Window {
    /** Language packs added by `dist/i18n/<lang>.js` files loaded before the SDK. */
    ConsentlineLangs?: Record<string, Partial<Strings>>;
  }
}

// For a list that restricts (providers, their hosts), an invalid value means none, not the default
// "any": a typo in the configuration must not lift the restriction.
const orNone =
  <T>(check: Check<T[]>): Check<T[]> =>
  (v, path, warn) => {
    const checked = check(v, path, warn);
    if (checked) return checked;
    warn(`${path}: taken as empty, so nothing is allowed`);
    return [];
  };

const uiSchema = shape({
  layout: oneOf('bar', 'box', 'modal'),
  position: oneOf('bottom', 'top', 'center'),
  theme: oneOf('auto', 'light', 'dark'),
  close: bool,
  reopen: bool,
  lang: str(35, /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/),
  strings: entries(/^\w{1,40}$/, str(1000), 60),
  reloadOnWithdraw: bool,
  cookieTable: entries(
    /^[\w-]{1,32}$/,
    list(shape({ name: str(100), provider: str(100), purpose: str(300), duration: str(60) }), 30),
    20,
  ),
  cookiePaths: list(str(200, /^\/[^\s;,]*$/), 20),
  // Embed providers by the name their markup gives in data-provider (see activateHeldBack).
  providers: orNone(
    entries(
      /^[^\0-\x1f]{1,60}$/,
      shape({ categories: list(str(32), 10), hosts: orNone(list(str(253, /^(\*\.)?[\w.-]+$/), 20)) }),
      50,
    ),
  ),
});

/** The `ui` section of the script tag's configuration, validated. */
export type UiConfig = NonNullable<ReturnType<typeof uiSchema>>;

// The placeholders' strings: embeds.js brings their English, and reads a site's.
const PLACEHOLDER_KEYS: readonly PlaceholderKey[] = ['blocked', 'load', 'optedOut'];

/**
 * Validates `config.ui` (warning about what it drops, about names nothing uses, and about a forced
 * `lang` whose texts the page has no pack for and `strings` do not all give).
 */
export function readUiConfig(config: ScriptConfig, warn: Warn, packs?: unknown): UiConfig {
  const ui = uiSchema(config.ui ?? {}, 'ui', warn) ?? {};
  const primary = ui.lang?.toLowerCase().split('-')[0];
  const given = ui.strings?.filter(([key]) => hasOwn(enUi, key)).length ?? 0;
  // `packs` is the page's window.ConsentlineLangs: anything, null included.
  if (primary && primary !== 'en' && !hasOwn(Object(packs), primary) && given < Object.keys(enUi).length)
    warn(`ui.lang: no i18n/${primary}.js before the SDK, so texts not in ui.strings are in another language`);
  const ids: readonly string[] = [...BUILT_IN_CATEGORIES, ...(config.categories ?? []).map((c) => c.id)];
  // A category's label goes by its id, its description by the id and `Text`.
  for (const [key] of ui.strings ?? [])
    if (
      !hasOwn(enUi, key) &&
      !PLACEHOLDER_KEYS.includes(key as PlaceholderKey) &&
      !ids.includes(key.replace(/Text$/, ''))
    )
      warn(`ui.strings.${key}: unknown key, ignored`);
  for (const [id] of ui.cookieTable ?? [])
    if (!ids.includes(id)) warn(`ui.cookieTable.${id}: unknown category, ignored`);
  return ui;
}

/** Mounts the banner, dialog, reopen controls and held-back content, and adds `showPreferences` / `hidePreferences` to the global. */
export function startUi(ctx: BootContext): () => void {
  // `cookiePaths` are cleared by the cookie storage with the rest (see script-tag.ts), so the UI
  // is mounted without a clearing of its own.
  const { strings, providers, cookieTable, cookiePaths: _cleared, ...rest } = ctx.ui;
  const ui = mountUi(
    ctx.store,
    {
      ...rest,
      providers: providers && Object.fromEntries(providers),
      languages: window.ConsentlineLangs ?? {},
      // The SDK's own tag's nonce gates held-back scripts (see activateHeldBack).
      nonce: ctx.tag?.nonce || '',
      strings: strings && Object.fromEntries(strings),
      cookieTable: cookieTable && Object.fromEntries(cookieTable),
      privacyPolicyUrl: ctx.config.privacyPolicyUrl,
      defer: ctx.defer,
      // Held-back scripts a grant inserts load before the work it left for later.
      _private_loading: ctx.holdLater,
      // Drawn after the boot's task, which ends with the API complete: in the next task, or in the
      // next frame when that comes first, so the banner is in it.
      _private_draw: (task: () => void) => inOwnTaskOrFrame(task, ctx.onError),
    } as MountUiOptions,
    // Embed placeholders are an add-on, fetched when the page has an embed.
    loadEmbeds(ctx),
  );
  Object.assign(ctx.api, { showPreferences: ui.showPreferences, hidePreferences: ui.hidePreferences });
  ctx.watchPreferences = ui.watchPreferences;
  return ui;
}
