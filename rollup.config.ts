// One TypeScript pass, then bundles. The first build runs @rollup/plugin-typescript once over every
// entry of the package (browser and server): it writes the declarations to dist/types and keeps
// each module's compiled JavaScript and source map in memory (`compiled`). Every build after it
// (ESM subpaths, the script-tag IIFE, add-ons, language packs, the server) bundles that JavaScript
// without compiling again. Rollup runs the builds of this array in order, in one process.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import type { Plugin, RollupOptions, SourceMapInput } from 'rollup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// One ESM entry per subpath; chunks are shared so two subpaths never carry two copies of the core.
const subpaths = ['index', 'ui', 'signals', 'dni'].filter((name) => existsSync(`src/entries/${name}.ts`));
// Framework bindings: entries of the same build (they share its chunks); their frameworks stay external.
const bindings = ['react', 'vue'].filter((name) => existsSync(`src/${name}/index.ts`));
const languages = ['es', 'fr', 'de', 'pt'];

const esmInput = {
  ...Object.fromEntries(subpaths.map((name) => [name, `src/entries/${name}.ts`])),
  ...Object.fromEntries(bindings.map((name) => [name, `src/${name}/index.ts`])),
};
const scriptTag = 'src/entries/script-tag.ts';
// Script-tag add-ons, each an IIFE beside the SDK's file. The SDK fetches dni.js, dni-pool.js and
// receipts.js itself when configured, embeds.js (held-back embeds' placeholders) when the page has an embed, and gpp.js (GPP and US Privacy's path for frames, with
// gpp-states.js, the GPP state sections, when configured) on a visit US rules apply to
// (src/entries/boot/addon-files.ts); vendors.js
// (UET, Clarity, Meta and TikTok bridges) is loaded by the site with a <script> before the SDK,
// because its defaults must be in place before any vendor tag runs.
const addons = {
  'dni.js': 'src/entries/dni-addon.ts',
  'dni-pool.js': 'src/entries/dni-pool.ts',
  'vendors.js': 'src/entries/vendors.ts',
  'gpp-states.js': 'src/entries/gpp-states.ts',
  'receipts.js': 'src/entries/receipts-addon.ts',
  'gpp.js': 'src/entries/gpp-addon.ts',
  'embeds.js': 'src/entries/embeds-addon.ts',
};
const serverInput = { index: 'src/server/index.ts', cli: 'src/server/cli.ts' };
const languageInput = (lang: string) => `src/ui/i18n/${lang}.ts`;

/** A module as TypeScript emitted it (version stamped), keyed by its absolute .ts path. */
interface CompiledModule {
  code: string;
  map: SourceMapInput;
}
const compiled = new Map<string, CompiledModule>();

const stampVersion = (): Plugin => ({
  name: 'stamp-version',
  // Same-line replacement: no code moves, so the source map stays valid.
  transform: (code, id) =>
    id.endsWith('version.ts') ? { code: code.replace('__VERSION__', version), map: null } : null,
});

// Starts from an empty dist/: chunks of earlier builds (their names carry a hash) would otherwise
// stay beside the new ones and be published.
const cleanDist = (): Plugin => ({
  name: 'clean-dist',
  buildStart: () => rmSync('dist', { recursive: true, force: true }),
});

// Keeps what TypeScript emitted for each module, and writes no JavaScript itself: only the
// declarations (assets the typescript plugin adds) reach dist/.
const keepCompiled = (): Plugin => ({
  name: 'keep-compiled',
  transform(code, id) {
    compiled.set(id, { code, map: this.getCombinedSourcemap() });
    return null;
  },
  generateBundle(_options, bundle) {
    for (const [fileName, file] of Object.entries(bundle)) if (file.type === 'chunk') delete bundle[fileName];
  },
});

// Serves the builds after the first from `compiled`: relative imports resolve as TypeScript resolved
// them (`./x.js` is ./x.ts); anything else (packages, node: builtins) is left to the build.
const fromCompiled = (): Plugin => ({
  name: 'from-compiled',
  resolveId(source, importer) {
    if (!importer) return compiled.has(resolve(source)) ? resolve(source) : null;
    if (!source.startsWith('.') || !compiled.has(importer)) return null;
    const id = resolve(dirname(importer), source).replace(/\.js$/, '.ts');
    if (!compiled.has(id))
      this.error(`from-compiled: ${source} (from ${importer}) was not compiled by the first build`);
    return id;
  },
  load: (id) => compiled.get(id) ?? null,
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

// The script tag fetches its add-ons with the integrity of the files built just before it, so SRI
// on the SDK's tag covers them too. Same-line replacement, as above. SHA-256, one of the three
// digests SRI requires browsers to support: what protects the file is its second-preimage
// resistance (256 bits), and each hash is incompressible in every copy of the SDK.
const bakeIntegrity = (): Plugin => ({
  name: 'bake-integrity',
  transform(code, id) {
    if (!id.endsWith('addon-files.ts')) return null;
    return {
      code: code.replace(/__INTEGRITY__([\w.-]+)/g, (_, file: string) => {
        if (!existsSync(`dist/${file}`)) this.error(`bake-integrity: dist/${file} is not built`);
        return `sha256-${createHash('sha256')
          .update(readFileSync(`dist/${file}`))
          .digest('base64')}`;
      }),
      map: null,
    };
  },
  renderChunk(code) {
    if (code.includes('__INTEGRITY__')) this.error('bake-integrity: an add-on integrity was left unset');
    return null;
  },
});

// dist/dni.js only ever runs inside the SDK that fetched it, which holds its own copies of these
// modules: the add-on borrows them (src/entries/boot/runtime.ts lends, borrowed.ts takes) instead
// of carrying a second copy. Every import of a lent module resolves to borrowed.ts, which must
// export the same names (the build fails on one it lacks). The npm subpaths borrow nothing.
const LENT = ['src/core/bot.ts', 'src/core/random-id.ts', 'src/core/validate.ts'].map((path) => resolve(path));
const BORROWED = resolve('src/entries/boot/borrowed.ts');
const borrowFromSdk = (): Plugin => ({
  name: 'borrow-from-sdk',
  async resolveId(source, importer) {
    if (!importer || importer === BORROWED) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    return resolved && LENT.includes(resolved.id) ? BORROWED : null;
  },
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle))
      if (file.type === 'chunk' && Object.keys(file.modules).some((id) => LENT.includes(id)))
        this.error(`borrow-from-sdk: ${file.fileName} bundles a module the SDK lends`);
  },
});
// The add-ons that borrow the SDK's runtime. vendors.js runs before the SDK, and gpp-states.js
// may; dni-pool.js and gpp.js use no lent module. receipts.js carries its one shared module, the crawler check,
// itself: that check is worth 50 B (brotli) in receipts.js, while borrowing it costs the file
// the version check and its refusal message (receipts.js 710 -> 788 B) and the SDK 19 B more
// (measured; docs/benchmarks.md).
const borrowing = new Set(['dni.js']);

// One property-name cache for the SDK and its add-ons: an object with `_private_` keys that
// crosses from one file to another keeps the same short names in both.
const nameCache = {};

const terserOptions = {
  ecma: 2020,
  module: false,
  compress: { passes: 3, pure_getters: true },
  mangle: { properties: { regex: /^_private_/ } },
  format: { comments: false },
  nameCache,
} as const;

// V8's explicit compile hint (Chromium 136+; other engines read a comment): the files a page
// loads by <script> have nearly all their functions called while the page loads or in the click
// that decides, so V8 compiles them all eagerly while the file streams in, off the main thread,
// instead of lazily on the main thread at each first call. It must be the file's first line.
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';
const pageFileTerser = { ...terserOptions, format: { ...terserOptions.format, preamble: COMPILE_HINT } };

const config: RollupOptions[] = [
  // The TypeScript pass: every entry below, one program (tsconfig.build.json covers all of src).
  {
    input: [
      ...Object.values(esmInput),
      scriptTag,
      ...Object.values(addons),
      ...Object.values(serverInput),
      ...languages.map(languageInput),
    ],
    // Packages and node: builtins are the later builds' business.
    external: (id, importer) => importer !== undefined && !id.startsWith('.') && !id.startsWith('/'),
    treeshake: false,
    // Emit only: `npm run typecheck` checks the types (tsconfig.browser.json, tsconfig.server.json,
    // …), so the build skips the check and writes the same JavaScript and declarations sooner.
    plugins: [
      cleanDist(),
      stampVersion(),
      typescript({ tsconfig: './tsconfig.build.json', outDir: 'dist', declarationDir: 'dist/types', noCheck: true }),
      keepCompiled(),
    ],
    output: { dir: 'dist', format: 'es' },
  },
  {
    input: esmInput,
    external: ['js-cookie', 'react', 'vue'],
    plugins: [fromCompiled()],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'esm/[name].js',
      chunkFileNames: 'esm/chunks/[name]-[hash].js',
      // The store and what it imports get a chunk of their own: sharing one with the cookie
      // storage, whose js-cookie import rollup (and an app's bundler) cannot tell is free of side
      // effects, would make importing the store alone (or readConsentCookie on a server) carry
      // js-cookie.
      manualChunks: (id) => (id.replace(/\\/g, '/').endsWith('/src/core/store.ts') ? 'store' : undefined),
      // React Server Components import the React binding as a client module (its hooks cannot run
      // on the server); rollup drops module-level directives, so the entry gets it back here.
      banner: (chunk) => (chunk.isEntry && chunk.name === 'react' ? "'use client';" : ''),
      // No bare imports of what a chunk's imports import: a bare `import 'js-cookie'` (a package an
      // app's bundler must take as having side effects) in every entry that reaches the cookie
      // storage would make `readConsentCookie` or `useConsent` alone carry js-cookie.
      hoistTransitiveImports: false,
      sourcemap: true,
    },
  },
  // Script-tag add-ons, built before the SDK that pins their integrity.
  ...Object.entries(addons).map(
    ([file, input]): RollupOptions => ({
      input,
      plugins: [
        ...(borrowing.has(file) ? [borrowFromSdk()] : []),
        fromCompiled(),
        inPage(),
        nodeResolve({ browser: true }),
      ],
      output: { file: `dist/${file}`, format: 'iife', plugins: [terser(pageFileTerser)] },
    }),
  ),
  {
    input: scriptTag,
    plugins: [fromCompiled(), inPage(), bakeIntegrity(), nodeResolve({ browser: true })],
    output: [
      { file: 'dist/consentline.js', format: 'iife', sourcemap: true, banner: COMPILE_HINT },
      {
        file: 'dist/consentline.min.js',
        format: 'iife',
        sourcemap: true,
        plugins: [terser(pageFileTerser)],
      },
    ],
  },
  // consentline/server (Node ≥ 20): never reached from a browser entry. Its engines' packages stay
  // external: optional peers, loaded only when configured.
  {
    input: serverInput,
    external: (id) => id.startsWith('node:') || ['ioredis', 'pg', 'better-sqlite3'].includes(id),
    plugins: [fromCompiled()],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'server/[name].js',
      chunkFileNames: 'server/chunks/[name]-[hash].js',
      sourcemap: true,
    },
  },
  // Language packs for script-tag pages: `<script src="dist/i18n/fr.js">` before the SDK adds `fr` to window.ConsentlineLangs.
  ...languages.map(
    (lang): RollupOptions => ({
      input: languageInput(lang),
      plugins: [fromCompiled()],
      output: {
        file: `dist/i18n/${lang}.js`,
        format: 'iife',
        name: 'ConsentlineLangs',
        extend: true,
        plugins: [terser(terserOptions)],
      },
    }),
  ),
];

export default config;
