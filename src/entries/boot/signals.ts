// The signal bridge in the script-tag build: GPC and the regime before the store exists (with the
// Consent Mode default pushed synchronously, before any tag can fire), then Consent Mode updates,
// USP, opt-out links and the GPC status element once it does, with GPP and USP's path for frames
// (an add-on, on a visit US rules apply to) and receipts (an add-on, when configured).
import type { ScriptConfig } from '../../core/config.js';
import { resolveCategories } from '../../core/categories.js';
import { grantsFor } from '../../core/grants.js';
import type { Regime } from '../../core/types.js';
import type { Warn } from '../../core/validate.js';
import { createConsentModeBridge, pushConsentDefault } from '../../signals/consent-mode.js';
import { REGION, validateSignalsConfig, type SignalsConfig } from '../../signals/config.js';
import { readGpc } from '../../signals/gpc.js';
import { bindOptOutLinks, showGpcStatus } from '../../signals/opt-out.js';
import { resolveRegime } from '../../signals/regime.js';
import type { startVendorBridges } from '../../signals/vendors/config.js';
import { providedAddon, warnIfOtherRelease } from './addon.js';
import type { BootContext, EarlySignals } from './context.js';
import { loadGpp } from './gpp-loader.js';
import { loadReceipts } from './receipts-loader.js';
import { startUsp } from './usp.js';

/** The region hint: `window.ConsentlineRegion`, then the tag's `data-region`, then `signals.region`. */
function readRegion(config: SignalsConfig, tag: HTMLScriptElement | undefined): string | undefined {
  const w = (window as { ConsentlineRegion?: unknown }).ConsentlineRegion;
  const hint = typeof w === 'string' ? w : (tag?.dataset['region'] ?? config.region);
  return hint && REGION.test(hint) ? hint.toUpperCase() : undefined;
}

/** Validates `config.signals`, reads GPC and the region (the hint on `tag`, the SDK's own tag), picks the regime and pushes the Consent Mode default. */
export function prepareSignals(config: ScriptConfig, warn: Warn, tag: HTMLScriptElement | undefined): EarlySignals {
  const signals = validateSignalsConfig(config.signals, warn);
  const gpc = readGpc(navigator);
  const region = readRegion(signals, tag);
  const regime: Regime = signals.regions
    ? resolveRegime(region, { regions: Object.fromEntries(signals.regions) })
    : (config.regime ?? 'opt-in');
  // US frameworks (GPP section, USP) apply to a US region hint, or without a hint to an opt-out visit.
  const usApplies = () => (region ? region.startsWith('US') : regime === 'opt-out');
  const cm = signals.consentMode;
  if (cm !== false) {
    let categories: ReturnType<typeof resolveCategories> = [];
    try {
      categories = resolveCategories(config.categories ?? []);
    } catch {
      // Invalid categories fail later in the store; until then only `necessary` is granted.
    }
    pushConsentDefault({
      ...cm,
      grants: grantsFor(categories, regime, gpc),
      map: cm?.map && Object.fromEntries(cm.map),
      gpc,
      saleShare: categories.filter((c) => c.saleShare).map((c) => c.id),
    } as Parameters<typeof pushConsentDefault>[0]);
  }
  return { gpc, regime, region, signals, usApplies };
}

// ADD-ON HOOK. The vendor bridges' add-on is loaded by the page with a <script> before the SDK,
// as dist/dni-pool.js can be: it provides itself in the add-on registry (./addon.ts) under
// `vendors`, and must be there when the SDK starts, since a vendor's default has to be queued
// before the vendor's tag runs. GPP and the state sections are fetched by the SDK
// (./gpp-loader.ts); a page may still load dist/gpp-states.js itself before the SDK.
export function startSignals(ctx: BootContext): () => void {
  // Consent Mode's update goes out inside the click, before held-back tags that read it run; the
  // rest hears the change a task later.
  const { store, later, api } = ctx;
  const s = ctx.early.signals ?? {};
  const applies = ctx.early.usApplies ?? (() => false);
  const map = s.consentMode ? s.consentMode.map : undefined;
  // A type mapped to a category no one can grant stays denied, as it should; the site must hear why.
  for (const [type, id] of map ?? [])
    if (!store.categories.some((c) => c.id === id))
      ctx.warn(`signals.consentMode.map.${type}: unknown category "${id}", always denied`);
  const startVendors = providedAddon('vendors') as typeof startVendorBridges | undefined;
  // Without them, the vendors' tags would run with no consent default: the site must hear why.
  if (s.vendors && typeof startVendors !== 'function' && !warnIfOtherRelease('vendors', 'vendors.js'))
    ctx.warn('signals.vendors: dist/vendors.js did not run before the SDK; no vendor bridges');
  api['optOut'] = () => store.optOut('opt-out');
  const parts: Array<() => false | undefined | '' | (() => void)> = [
    () => s.consentMode !== false && createConsentModeBridge(store, { map: map && Object.fromEntries(map) }),
    () => s.gpp !== false && applies() && loadGpp(ctx, s.gpp),
    // Like Consent Mode, the vendors hear a change inside the click: a held-back vendor tag reads it.
    () => s.vendors && typeof startVendors === 'function' && startVendors(store, s.vendors, ctx.warn),
    () => s.usp && startUsp(ctx, s.usp, applies),
    () => bindOptOutLinks(later),
    () => showGpcStatus(later, { text: s.gpcText }),
    () => s.receipts?.endpoint && loadReceipts(ctx, s.receipts.endpoint),
  ];
  // One part that cannot start (another script's read-only `__gpp` or `__uspapi`) must not take
  // the rest with it: the opt-out links above all.
  const offs = parts.map((start) => {
    try {
      return start();
    } catch (error) {
      ctx.onError(error);
      return false;
    }
  });
  return () => {
    for (const off of offs) if (typeof off === 'function') off();
  };
}
