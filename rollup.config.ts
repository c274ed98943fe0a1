import { readFileSync, existsSync } from 'node:fs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import type { Plugin, RollupOptions } from 'rollup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// One ESM entry per subpath; chunks are shared so two subpaths never carry two copies of the core.
const subpaths = ['index', 'ui', 'signals', 'dni'].filter((name) => existsSync(`src/entries/${name}.ts`));
// Framework bindings: entries of the same build (they share its chunks); their frameworks stay external.
const bindings = ['react', 'vue'].filter((name) => existsSync(`src/${name}/index.ts`));

const stampVersion = (): Plugin => ({
  name: 'stamp-version',
  // Same-line replacement: no code moves, so the source map stays valid.
  transform: (code, id) => (id.endsWith('version.ts') ? { code: code.replace('__VERSION__', version), map: null } : null),
});

// The script tag only ever runs in a page, so its copy of `inBrowser` (src/core/env.ts) says yes
// and the SSR checks of every part compile away there. Same-line replacement, as above (on the
// compiled module, TypeScript's types gone).
const inPage = (): Plugin => ({
  name: 'in-page',
  transform(code, id) {
    if (!id.endsWith('env.ts')) return null;
    const replaced = code.replace(/(export const inBrowser = \(\)(?:: boolean)? =>) [^\n]*;/, '$1 true;');
    if (replaced === code) this.error('in-page: inBrowser not found in src/core/env.ts');
    return { code: replaced, map: null };
  },
});

const terserOptions = {
  ecma: 2020,
  module: false,
  compress: { passes: 3, pure_getters: true },
  mangle: { properties: { regex: /^_private_/ } },
  format: { comments: false },
} as const;

const config: RollupOptions[] = [
  {
    input: {
      ...Object.fromEntries(subpaths.map((name) => [name, `src/entries/${name}.ts`])),
      ...Object.fromEntries(bindings.map((name) => [name, `src/${name}/index.ts`])),
    },
    external: ['js-cookie', 'react', 'vue'],
    plugins: [
      stampVersion(),
      typescript({ tsconfig: './tsconfig.build.json', declaration: true, declarationDir: 'dist/types', outDir: 'dist' }),
    ],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'esm/[name].js',
      chunkFileNames: 'esm/chunks/[name]-[hash].js',
      // React Server Components import the React binding as a client module (its hooks cannot run
      // on the server); rollup drops module-level directives, so the entry gets it back here.
      banner: (chunk) => (chunk.isEntry && chunk.name === 'react' ? "'use client';" : ''),
      sourcemap: true,
    },
  },
  {
    input: 'src/entries/script-tag.ts',
    plugins: [
      stampVersion(),
      inPage(),
      nodeResolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist' }),
    ],
    output: [
      { file: 'dist/consentline.js', format: 'iife', sourcemap: true },
      {
        file: 'dist/consentline.min.js',
        format: 'iife',
        sourcemap: true,
        plugins: [terser(terserOptions)],
      },
    ],
  },
  // Add-on for script-tag pages with session pools: `<script src="dist/dni-pool.js">` before the SDK.
  {
    input: 'src/entries/dni-pool.ts',
    plugins: [inPage(), typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist' })],
    output: { file: 'dist/dni-pool.js', format: 'iife', plugins: [terser(terserOptions)] },
  },
  // Signal-bridge add-ons for script-tag pages, each loaded with a <script> before the SDK:
  // dist/vendors.js (UET, Clarity, Meta and TikTok bridges) and dist/gpp-states.js (GPP state sections).
  ...['vendors', 'gpp-states'].map((name): RollupOptions => ({
    input: `src/entries/${name}.ts`,
    plugins: [inPage(), typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist' })],
    output: { file: `dist/${name}.js`, format: 'iife', plugins: [terser(terserOptions)] },
  })),
  // consentline/server (Node ≥ 20): its own entry and tsconfig, never reached from a browser entry.
  // Its engines' packages stay external: optional peers, loaded only when configured.
  {
    input: { index: 'src/server/index.ts', cli: 'src/server/cli.ts' },
    external: (id) => id.startsWith('node:') || ['ioredis', 'pg', 'better-sqlite3'].includes(id),
    plugins: [typescript({ tsconfig: './tsconfig.server.json', outDir: 'dist', declarationDir: 'dist/types/server' })],
    output: { dir: 'dist', format: 'es', entryFileNames: 'server/[name].js', chunkFileNames: 'server/chunks/[name]-[hash].js', sourcemap: true },
  },
  // Language packs for script-tag pages: `<script src="dist/i18n/fr.js">` before the SDK adds `fr` to window.ConsentlineLangs.
  ...['es', 'fr', 'de', 'pt'].map((lang): RollupOptions => ({
    input: `src/ui/i18n/${lang}.ts`,
    plugins: [typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist' })],
    output: { file: `dist/i18n/${lang}.js`, format: 'iife', name: 'ConsentlineLangs', extend: true, plugins: [terser(terserOptions)] },
  })),
];

export default config;
