/**
 * Reads Global Privacy Control. Only `navigator.globalPrivacyControl === true` counts: a missing
 * property, `false` or anything else means no signal (https://privacycg.github.io/gpc-spec/).
 *
 * @example
 * const store = createConsentStore({ gpc: readGpc(navigator) });
 */
export function readGpc(nav: object | undefined = globalThis.navigator): boolean {
  try {
    return (nav as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl === true;
  } catch {
    // A hostile getter on the navigator: no signal we can trust, and nothing escapes.
    return false;
  }
}
