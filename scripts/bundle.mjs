// What an app's bundler makes of the built package: rollup with the node resolver (browser
// builds) over dist/esm, resolved through package.json "exports", minified by terser. Shared by the
// size budgets (scripts/size.mjs) and the tree-shaking test (test/unit/tree-shaking.test.ts).
import { readFileSync } from 'node:fs';
import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

// A bundle's chunks as ESM, minified the way an app's bundler would, then closed.
async function minified(bundle) {
  const { output } = await bundle.generate({
    format: 'es',
    plugins: [terser({ ecma: 2020, module: true, compress: { passes: 3 } })],
  });
  await bundle.close();
  return Buffer.from(
    output
      .filter((o) => o.type === 'chunk')
      .map((o) => o.code)
      .join('\n'),
  );
}

/** A subpath's whole entry ('.', './ui'), bundled and minified. */
export async function bundleSubpath(subpath) {
  const bundle = await rollup({
    input: pkg.exports[subpath].import,
    plugins: [nodeResolve({ browser: true })],
    onwarn() {},
  });
  return minified(bundle);
}

/**
 * Named imports bundled alone and minified: `imports` maps a subpath ('.', './react') to the names
 * taken from it. React and Vue stay external, as an app's own.
 */
export async function bundleImports(imports) {
  const source = Object.entries(imports)
    .map(
      ([subpath, names]) =>
        `export { ${names.join(', ')} } from ${JSON.stringify(pkg.exports[subpath].import.replace('./', `${process.cwd()}/`))};`,
    )
    .join('\n');
  const bundle = await rollup({
    input: 'case',
    external: ['react', 'vue'],
    plugins: [
      { name: 'case', resolveId: (id) => (id === 'case' ? id : null), load: (id) => (id === 'case' ? source : null) },
      nodeResolve({ browser: true }),
    ],
    onwarn() {},
  });
  return minified(bundle);
}
