// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createConsentStore } from '../../../src/core/store';
import { startDni } from '../../../src/entries/boot/dni';

describe('script-tag DNI config', () => {
  it('refuses "necessary" as the DNI category: nothing is stored or swapped before consent', () => {
    document.body.textContent = 'Call (555) 123-4567';
    const warnings: string[] = [];
    const store = createConsentStore();
    const api: Record<string, unknown> = {};
    const stop = startDni({
      config: { dni: { category: 'necessary', targets: [{ number: '+15551234567' }], rules: [{ direct: true, number: '+18889990000' }] } },
      store,
      api,
      warn: (m) => warnings.push(m),
      log: () => {},
      early: { gpc: false },
    });
    expect(warnings.join('\n')).toMatch(/dni\.category/);
    expect(document.body.textContent).toBe('Call (555) 123-4567');
    expect(localStorage.length).toBe(0);
    store.acceptAll();
    expect(document.body.textContent).toBe('Call (888) 999-0000');
    stop();
  });
});
