// The SDK's one Trusted Types policy, "consentline", for the two script sinks it writes under
// `require-trusted-types-for 'script'`: the text of a held-back inline script the page marked (its
// nonce checked by the caller) and the URL of a script-tag add-on (a file beside the SDK's own,
// pinned by its integrity). One policy for both, made once: a CSP `trusted-types consentline`
// without 'allow-duplicates' accepts a name only once.

/** What the SDK asks of the policy. */
export interface ScriptPolicy {
  createScript(text: string): unknown;
  createScriptURL(url: string): unknown;
}

interface TrustedTypesFactory {
  createPolicy(
    name: string,
    rules: { createScript(text: string): string; createScriptURL(url: string): string },
  ): ScriptPolicy;
}

// Set on the first call: the policy, when the page allows it.
let made: { policy?: ScriptPolicy } | undefined;

/**
 * The "consentline" policy, or `undefined` where the browser has no Trusted Types or the page's CSP
 * does not allow the name (then a string goes to the sink, and the browser enforces its policy).
 */
export function scriptPolicy(): ScriptPolicy | undefined {
  if (!made) {
    const factory = (window as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
    made = {};
    try {
      if (factory)
        made.policy = factory.createPolicy('consentline', { createScript: (x) => x, createScriptURL: (x) => x });
    } catch {
      // The CSP's trusted-types list leaves this name out.
    }
  }
  return made.policy;
}
