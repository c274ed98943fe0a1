// Rough per-module cost in the IIFE: each module's rendered code, minified alone, brotli q11.
// A diagnostic for finding what to trim; the budgets themselves live in scripts/size.mjs.
import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { minify } from 'terser';
import { brotliCompressSync, constants } from 'node:zlib';

const input = process.argv[2] || 'src/entries/script-tag.ts';
const bundle = await rollup({
  input,
  plugins: [
    nodeResolve({ browser: true }),
    typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist' }),
  ],
  onwarn() {},
});
const { output } = await bundle.generate({ format: 'es' });
const br = (s) => brotliCompressSync(Buffer.from(s), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
let total = 0;
for (const [id, m] of Object.entries(output[0].modules)) {
  if (!m.code) continue;
  const { code } = await minify(m.code, { ecma: 2020, module: true, compress: false, mangle: { toplevel: false } });
  total += br(code ?? '');
  console.log(String(code?.length ?? 0).padStart(7), String(br(code ?? '')).padStart(6), id.replace(process.cwd(), ''));
}
console.log('sum of parts (brotli):', total);
