// What each part of the script tag's SDK costs on a consent-only page: dist/consentline.min.js
// built as it is, then with a part left out of the boot (its start and what only it reaches), by
// the real build in a copy of the checkout, brotli q11 as scripts/size.mjs measures. A diagnostic
// for the size decisions in docs/benchmarks.md; the budgets live in scripts/size.mjs.
// Usage: node scripts/size-parts.mjs
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { brotliCompressSync, constants } from 'node:zlib';

const ENTRY = 'src/entries/script-tag.ts';
const COPIED = [
  'src',
  'package.json',
  'rollup.config.ts',
  ...readdirSync('.').filter((name) => /^tsconfig.*\.json$/.test(name)),
];

/** A part of the boot: the replacements in the script-tag entry that leave it out. */
const PARTS = {
  'signal bridge (GPC, Consent Mode, GPP stub, USP, opt-out links)': [
    [
      "import { prepareSignals, startSignals } from './boot/signals.js';",
      "import type { prepareSignals } from './boot/signals.js';",
    ],
    [
      'const early = prepareSignals(config, warn, tag);',
      'const early = { gpc: false } as unknown as ReturnType<typeof prepareSignals>;',
    ],
    ['[startSignals, startUi, loadDni]', '[startUi, loadDni]'],
  ],
  'consent UI (banner, dialog, reopen, held-back content, styles)': [
    ["import { readUiConfig, startUi } from './boot/ui.js';", "import type { readUiConfig } from './boot/ui.js';"],
    [
      'const ui = readUiConfig(config, warn, window.ConsentlineLangs);',
      'const ui = {} as ReturnType<typeof readUiConfig>;',
    ],
    ['[startSignals, startUi, loadDni]', '[startSignals, loadDni]'],
  ],
};

const brotli = (file) =>
  brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const dir = mkdtempSync(join(tmpdir(), 'consentline-size-parts-'));
try {
  for (const path of COPIED) cpSync(path, join(dir, path), { recursive: true });
  symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  const original = readFileSync(ENTRY, 'utf8');

  /** The SDK's brotli size with `replacements` applied to the entry. */
  const sizeWith = (replacements) => {
    let source = original;
    for (const [from, to] of replacements) {
      if (!source.includes(from)) throw new Error(`size-parts: "${from}" is no longer in ${ENTRY}`);
      source = source.replace(from, to);
    }
    writeFileSync(join(dir, ENTRY), source);
    try {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      process.stderr.write(error.stderr ?? '');
      throw error;
    }
    return brotli(join(dir, 'dist/consentline.min.js'));
  };

  const whole = sizeWith([]);
  const rows = [['the SDK as built', whole, '']];
  for (const [part, replacements] of Object.entries(PARTS)) {
    const size = sizeWith(replacements);
    rows.push([`without the ${part}`, size, whole - size]);
  }
  // Both out: the store, the cookie storage, the config's validation and the boot with its add-on loaders.
  const core = sizeWith(
    Object.values(PARTS)
      .flat()
      .filter(([from]) => !from.startsWith('['))
      .concat([['[startSignals, startUi, loadDni]', '[loadDni]']]),
  );
  rows.push(['without both (store, cookie storage, config, boot, add-on loaders)', core, whole - core]);

  console.log(`${'build'.padEnd(80)}${'brotli'.padStart(8)}${'part'.padStart(8)}`);
  for (const [name, size, part] of rows)
    console.log(`${name.padEnd(80)}${String(size).padStart(8)}${String(part).padStart(8)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
