// Server rendering in Node (no DOM): the Vue binding renders, starts nothing and writes no global.
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import { readConsentCookie } from '../../../src/core/read-cookie';
import { createConsentStore } from '../../../src/core/store';
import { ConsentGate, consentline, useCategory, useConsentUi } from '../../../src/vue/index';

// A visitor who granted analytics only: the cookie value a browser store writes.
const memory = createMemoryStorage();
createConsentStore({ storage: memory }).set({ analytics: true });
const RECORD = memory.read()!;
// Vue's development build sets its own __VUE__* globals for its devtools; those are not ours.
const globals = () =>
  Object.getOwnPropertyNames(globalThis)
    .filter((name) => !name.startsWith('__VUE'))
    .sort();

describe('consentline/vue in Node', () => {
  it('renders with a store from options, mounts no UI and writes no global', async () => {
    const before = globals();
    const Root = defineComponent({
      setup() {
        useConsentUi();
        const analytics = useCategory('analytics');
        return () => [
          h('p', `analytics=${analytics.value}`),
          h(ConsentGate, { category: 'social' }, { default: () => 'video', fallback: () => 'blocked' }),
        ];
      },
    });
    const state = readConsentCookie(`consentline=${encodeURIComponent(RECORD)}`, { secure: false });
    const html = await renderToString(createSSRApp(Root).use(consentline, { options: {}, serverState: state }));
    expect(html).toContain('analytics=true');
    expect(html).toContain('blocked');
    expect(globals()).toEqual(before);
  });
});
