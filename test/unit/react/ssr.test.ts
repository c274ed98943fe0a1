// Server rendering in Node (no DOM): the bindings render, start nothing and write no global.
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { readConsentCookie } from '../../../src/core/read-cookie';
import { createConsentStore } from '../../../src/core/store';
import { CSS } from '../../../src/ui/styles';
import {
  ConsentBanner,
  ConsentGate,
  ConsentProvider,
  TrackingNumbers,
  useCategory,
  useConsent,
  useTrackingNumber,
} from '../../../src/react/index';
import { renderToStream } from '../../support/react-stream';

// A visitor who granted analytics only: the cookie value a browser store writes.
const memory = createMemoryStorage();
createConsentStore({ storage: memory }).set({ analytics: true });
const RECORD = memory.read()!;
const globals = () => Object.getOwnPropertyNames(globalThis).sort();

function Page() {
  const state = useConsent();
  return h(
    'main',
    null,
    h('p', null, state.needsDecision ? 'undecided' : `analytics=${String(useCategory('analytics'))}`),
    h(ConsentGate, { category: 'social', fallback: 'blocked', allowButton: true }, 'video'),
    h('a', null, useTrackingNumber('+15551234567')),
  );
}

const app = (serverState?: ReturnType<typeof readConsentCookie>) =>
  h(
    ConsentProvider,
    { options: {}, ...(serverState && { serverState }) },
    h(TrackingNumbers, { targets: ['+15551234567'], rules: [{ number: '+18005550199' }] }, h(Page)),
    h(ConsentBanner, { lang: 'en' }),
  );

describe('consentline/react in Node', () => {
  it('renders a first visit with the banner copy, and writes no global', () => {
    expect(typeof document).toBe('undefined');
    const before = globals();
    const html = renderToString(app(readConsentCookie(undefined)));
    expect(html).toContain('undecided');
    expect(html).toContain('id="consentline"');
    expect(html).toContain('Allow social');
    expect(html).toContain('+15551234567');
    expect(globals()).toEqual(before);
  });

  it('renders a returning visitor from the cookie header, without a banner', () => {
    const before = globals();
    const html = renderToString(app(readConsentCookie(`consentline=${encodeURIComponent(RECORD)}`, { secure: false })));
    expect(html).toContain('analytics=true');
    expect(html).not.toContain('id="consentline"');
    expect(html).toContain('+15551234567');
    expect(globals()).toEqual(before);
  });

  it("puts the UI's stylesheet into the copy's <style> as it is, unescaped (a <style> does not unescape text)", async () => {
    expect(CSS).toContain('"');
    for (const html of [renderToString(app(readConsentCookie(''))), await renderToStream(app(readConsentCookie('')))])
      expect(html).toContain(`<style>${CSS}</style>`);
  });

  it('streams a first visit with the banner copy, and a returning visitor without one (renderToPipeableStream)', async () => {
    const before = globals();
    const first = await renderToStream(app(readConsentCookie(undefined)));
    expect(first).toContain('id="consentline"');
    expect(first).toContain('Accept all');
    const back = await renderToStream(
      app(readConsentCookie(`consentline=${encodeURIComponent(RECORD)}`, { secure: false })),
    );
    expect(back).toContain('analytics=true');
    expect(back).not.toContain('id="consentline"');
    expect(globals()).toEqual(before);
  });

  it('renders without a server state as an undecided visitor', () => {
    expect(renderToString(app())).toContain('undecided');
  });
});
