// @vitest-environment happy-dom
// The runtime the SDK lends to dist/dni.js (src/entries/boot/runtime.ts) and how the add-on takes
// it (borrowed.ts): only from an SDK of its own version, else it refuses to start and says why.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isBot } from '../../../src/core/bot';
import { randomId } from '../../../src/core/random-id';
import * as validate from '../../../src/core/validate';
import { VERSION } from '../../../src/core/version';
import * as borrowed from '../../../src/entries/boot/borrowed';
import { lendRuntime, RUNTIME } from '../../../src/entries/boot/runtime';

const REGISTRY = Symbol.for('consentline.addons');
const registry = () => (window as unknown as Record<symbol, Record<string, unknown>>)[REGISTRY]!;

afterEach(() => {
  delete (window as unknown as Record<symbol, unknown>)[REGISTRY];
  vi.restoreAllMocks();
});

describe('the runtime lent to add-ons', () => {
  it("binds the SDK's own validators and helpers when the SDK lent them", () => {
    lendRuntime();
    expect(borrowed.borrowRuntime('dni.js')).toBe(true);
    expect({
      isBot: borrowed.isBot,
      randomId: borrowed.randomId,
      bool: borrowed.bool,
      entries: borrowed.entries,
      int: borrowed.int,
      list: borrowed.list,
      shape: borrowed.shape,
      str: borrowed.str,
      url: borrowed.url,
    }).toEqual({
      isBot,
      randomId,
      bool: validate.bool,
      entries: validate.entries,
      int: validate.int,
      list: validate.list,
      shape: validate.shape,
      str: validate.str,
      url: validate.url,
    });
  });

  it('refuses to start without an SDK runtime, naming the file and what it found', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(borrowed.borrowRuntime('dni.js')).toBe(false);
    expect(error).toHaveBeenCalledOnce();
    expect(error.mock.calls[0]?.join(' ')).toBe(
      `[consentline] dni.js ${VERSION} not started: it runs only inside the Consentline SDK ${VERSION} that loads it (found none)`,
    );
  });

  it("refuses to start with another version's runtime", () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    lendRuntime();
    // Under this release's key (the registry is the page's to write), claiming another version.
    const key = `${RUNTIME}@${VERSION}`;
    registry()[key] = { ...(registry()[key] as object), version: '0.0.9' };
    expect(borrowed.borrowRuntime('dni.js')).toBe(false);
    expect(error.mock.calls[0]?.join(' ')).toMatch(/dni\.js \S+ not started: .*\(found 0\.0\.9\)$/);
  });

  it('does not take the runtime another release lent, under its own key or the bare name', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    lendRuntime();
    const lent = registry()[`${RUNTIME}@${VERSION}`] as object;
    delete registry()[`${RUNTIME}@${VERSION}`];
    registry()[`${RUNTIME}@0.0.9`] = { ...lent, version: '0.0.9' };
    registry()[RUNTIME] = { ...lent, version: '0.0.8' };
    expect(borrowed.borrowRuntime('dni.js')).toBe(false);
    expect(error.mock.calls[0]?.join(' ')).toMatch(/dni\.js \S+ not started: .*\(found none\)$/);
  });
});
