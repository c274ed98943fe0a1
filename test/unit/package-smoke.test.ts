import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Target {
  types?: string;
  import?: string;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  exports: Record<string, Target | string>;
};
// Every subpath with code, by the name an app imports it with.
const subpaths = Object.entries(pkg.exports)
  .filter((entry): entry is [string, Target] => typeof entry[1] === 'object' && typeof entry[1].import === 'string')
  .map(([key, target]) => ({ name: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, file: target.import! }));

// The values (not types) a subpath's API report (etc/api, written by `npm run api`) says it exports.
function reportedValues(name: string): string[] {
  const report = readFileSync(`etc/api/${name.replace('/', '-')}.api.md`, 'utf8');
  return [...report.matchAll(/^export (?:declare )?(?:abstract )?(?:function|const|let|var|class|enum) (\w+)/gm)]
    .map((m) => m[1]!)
    .sort();
}

interface Imported {
  added: string[];
  exports: string[];
  hasDefault: boolean;
}

// Runs in a separate plain Node process (no DOM, no vitest globals) against the built package,
// resolved by name through package.json "exports", as an SSR app would import it. The frameworks
// are imported first: Vue sets globals of its own when loaded.
function importInNode(name: string): Imported {
  const script = `
    for (const peer of ['react', 'vue']) await import(peer);
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const mod = await import(${JSON.stringify(name)});
    const added = Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k));
    if (typeof document !== 'undefined') throw new Error('a DOM appeared');
    console.log(JSON.stringify({ added, exports: Object.keys(mod), hasDefault: 'default' in mod }));
  `;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
  ) as Imported;
}

describe('built package in Node without a DOM', () => {
  it('is built (run `npm run build` first)', () => {
    expect(subpaths.filter((s) => !existsSync(s.file)).map((s) => s.file)).toEqual([]);
  });

  it.each(subpaths)(
    '$name imports without throwing, writes no global and exports what its API report says',
    ({ name, file }) => {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
      const out = importInNode(name);
      expect(out.added).toEqual([]);
      expect(out.hasDefault).toBe(false);
      expect(out.exports.sort()).toEqual(reportedValues(name));
    },
  );

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
