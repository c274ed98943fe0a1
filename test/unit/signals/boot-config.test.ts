// @vitest-environment happy-dom
// The script tag's `signals` section: a name that points at nothing warns, naming the option.
import { afterEach, describe, expect, it } from 'vitest';
import { startSignals } from '../../../src/entries/boot/signals';
import { bootContext } from '../../support/boot-context';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  delete (window as { dataLayer?: unknown }).dataLayer;
});

describe('the script tag’s signals section', () => {
  it('warns about a Consent Mode type mapped to a category the site does not have, naming it', () => {
    const warnings: string[] = [];
    const config = { signals: { consentMode: { map: { ad_storage: 'advertisng', analytics_storage: 'analytics' } } } };
    cleanups.push(startSignals(bootContext(config, warnings)));
    expect(warnings).toEqual(['signals.consentMode.map.ad_storage: unknown category "advertisng", always denied']);
  });
});
