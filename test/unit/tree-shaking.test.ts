// What an app's bundler keeps of the built package when it imports a few names: rollup (with the
// node resolver and terser, as scripts/size.mjs bundles the budgets) over dist/esm, resolved by
// package name. Each part leaves a mark in the code that carries it; a named import must carry
// only the parts it needs.
import { readFileSync } from 'node:fs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, { import?: string }> };

// Marks each part leaves in minified code (strings terser keeps).
const MARKS = {
  'js-cookie': /withConverter/,
  ui: /consentline\.ui/,
  dni: /consentline_dni/,
  'GPP state sections': /usva/,
} as const;
type Part = keyof typeof MARKS;

/** The parts a bundle of `names` imported from `subpath` carries. */
async function partsOf(subpath: string, names: string[]): Promise<Part[]> {
  const file = pkg.exports[subpath]!.import!.replace('./', `${process.cwd()}/`);
  const source = `export { ${names.join(', ')} } from ${JSON.stringify(file)};`;
  const bundle = await rollup({
    input: 'app',
    external: ['react', 'vue'],
    plugins: [
      { name: 'app', resolveId: (id) => (id === 'app' ? id : null), load: (id) => (id === 'app' ? source : null) },
      nodeResolve({ browser: true }),
    ],
    onwarn() {},
  });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ module: true })] });
  await bundle.close();
  const code = output.map((o) => (o.type === 'chunk' ? o.code : '')).join('\n');
  return (Object.keys(MARKS) as Part[]).filter((part) => MARKS[part].test(code));
}

describe('named imports of the built package carry only the parts they need', { timeout: 60_000 }, () => {
  it.each([
    ['.', ['readConsentCookie'], []],
    ['.', ['createConsentStore', 'createMemoryStorage'], []],
    ['.', ['createCookieStorage'], ['js-cookie']],
    ['./signals', ['readGpc'], []],
    ['./signals', ['createConsentModeBridge', 'pushConsentDefault'], []],
    ['./signals', ['installGpp'], []],
    ['./signals', ['pickGppSection'], ['GPP state sections']],
    ['./dni', ['formatLike'], []],
    ['./dni', ['startNumberInsertion'], ['dni']],
    ['./ui', ['mountConsentUi'], ['ui']],
    ['./react', ['useConsent', 'useCategory', 'ConsentGate'], []],
    ['./react', ['ConsentProvider'], ['js-cookie']],
    ['./react', ['ConsentBanner'], ['ui']],
    ['./react', ['useTrackingNumber'], []],
    ['./vue', ['useConsent', 'ConsentGate'], []],
    ['./vue', ['consentline'], ['js-cookie']],
    ['./vue', ['ConsentBanner'], ['ui']],
  ] as Array<[string, string[], Part[]]>)('%s { %s } carries %j', async (subpath, names, parts) => {
    expect(await partsOf(subpath, names)).toEqual(parts);
  });
});
