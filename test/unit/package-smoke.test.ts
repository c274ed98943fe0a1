import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> };
const subpaths = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  // A subpath counts once its source entry exists; from then on its build must work.
  .filter((k) => existsSync(`src/entries/${k === '.' ? 'index' : k.slice(2)}.ts`))
  .map((k) => (k === '.' ? 'consentline' : `consentline/${k.slice(2)}`));

// Runs in a separate plain Node process (no DOM, no vitest globals) against the built package,
// resolved by name through package.json "exports", as an SSR app would import it.
describe.skipIf(!existsSync('dist/esm/index.js'))('built package in Node without a DOM', () => {
  it.each(subpaths)('%s imports without throwing and writes no global', (name) => {
    const script = `
      const before = new Set(Object.getOwnPropertyNames(globalThis));
      const mod = await import(${JSON.stringify(name)});
      const added = Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k));
      if (typeof document !== 'undefined') throw new Error('a DOM appeared');
      console.log(JSON.stringify({ added, exports: Object.keys(mod), hasDefault: 'default' in mod }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as {
      added: string[];
      exports: string[];
      hasDefault: boolean;
    };
    expect(out.added).toEqual([]);
    expect(out.hasDefault).toBe(false);
    expect(out.exports.length).toBeGreaterThan(0);
  });

  it('the core works end to end in Node', () => {
    const script = `
      const { createConsentStore, createMemoryStorage } = await import('consentline');
      const store = createConsentStore({ storage: createMemoryStorage() });
      store.acceptAll();
      console.log(JSON.stringify(store.get().grants));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ necessary: true, analytics: true, advertising: true, social: true });
  });
});
