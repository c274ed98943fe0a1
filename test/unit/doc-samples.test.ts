// Every TypeScript and JavaScript sample in README.md and docs/*.md compiles against the built
// package's types, so the docs cannot drift from the API. Each sample is a module of its own, as a
// reader pastes it: it imports what it uses from `consentline/...`. A sample whose first line is a
// comment naming a file (`// app/consent.ts`) is written there, so the samples of one doc can
// import each other. The names a sample only stands for (the reader's own `startAnalytics`, `App`,
// `request`, `./app.js`) are declared in PLACEHOLDERS below; a line a sample shows failing carries
// `// @ts-expect-error`, which fails when the line compiles.
// JavaScript samples are checked too (checkJs), as script-tag pages write them, with the global
// `Consentline` and the `consentline:change` event typed as the SDK provides them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractBlocks, readDocBlocks } from '../support/doc-samples';

type Sample = { file: string; lang: 'ts' | 'tsx' | 'js'; line: number; code: string };

const root = resolve('.');
const LANGS: Record<string, Sample['lang']> = { ts: 'ts', typescript: 'ts', tsx: 'tsx', js: 'js', javascript: 'js' };

const PLACEHOLDERS = `import type { ConsentlineGlobal, ConsentState } from 'consentline';
import type { ReactNode } from 'react';
import type { Component } from 'vue';

declare global {
  function startAnalytics(): void;
  function renderBannerPlaceholder(): void;
  function renderAnalyticsTag(): void;
  function render(number: string | undefined): void;
  const request: Request;
  const serverState: ConsentState;
  function Video(): ReactNode;
  const App: Component;
  // A page with call tracking configured, as docs/call-tracking.md's samples are.
  const Consentline: ConsentlineGlobal<'necessary' | 'analytics' | 'advertising' | 'social'> & {
    dni: NonNullable<ConsentlineGlobal['dni']>;
  };
  interface DocumentEventMap {
    'consentline:change': CustomEvent<ConsentState>;
    'consentline:dni': CustomEvent<{ type: 'number' | 'overflow' | 'exhausted' }>;
  }
}
`;

/** Modules the samples import from the reader's own app, written beside each doc's samples. */
const PLACEHOLDER_MODULES: Record<string, string> = {
  'app.ts': `import type { Component } from 'vue';
export declare const Page: Component;
export const consentOptions = { revision: 1, categories: [{ id: 'chat' }] };
`,
};

/** Where a sample goes: the file its first line names, else one named after its doc and line. */
function sampleFile(sample: Sample): string {
  const named = /^\/\/ ((?:[\w-]+\/)*[\w-]+\.(?:ts|tsx|js))\b/.exec(sample.code);
  return named?.[1] ?? `sample-${sample.line}.${sample.lang}`;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    jsx: 'react-jsx',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    allowJs: true,
    checkJs: true,
    skipLibCheck: true,
    noEmit: true,
    isolatedModules: true,
    moduleDetection: 'force',
  },
  include: ['**/*.ts', '**/*.tsx', '**/*.js'],
  exclude: ['node_modules'],
};

const work = mkdtempSync(join(tmpdir(), 'consentline-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the code samples in the docs', () => {
  it('finds every fenced block, without the indentation of a block in a list', () => {
    const text = [
      '```ts',
      'a();',
      '```',
      '```json',
      '{}',
      '```',
      '1. b',
      '   ```tsx',
      '   <b>',
      '     c',
      '   </b>',
      '   ```',
    ];
    expect(extractBlocks('x.md', [...text, '```', 'x', '```'].join('\n'))).toEqual([
      { file: 'x.md', lang: 'ts', line: 1, code: 'a();' },
      { file: 'x.md', lang: 'json', line: 4, code: '{}' },
      { file: 'x.md', lang: 'tsx', line: 8, code: '<b>\n  c\n</b>' },
      { file: 'x.md', lang: '', line: 13, code: 'x' },
    ]);
  });

  it('compile against the built types (tsc, strict)', () => {
    const samples = readDocBlocks(root).flatMap((block): Sample[] => {
      const lang = LANGS[block.lang];
      return lang === undefined ? [] : [{ ...block, lang }];
    });
    expect(samples.length).toBeGreaterThan(10);
    const modules = join(work, 'node_modules');
    mkdirSync(join(modules, '@types'), { recursive: true });
    symlinkSync(root, join(modules, 'consentline'), 'dir');
    for (const name of ['@types/node', '@types/react', 'react', 'vue', 'next'])
      symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    writeFileSync(join(work, 'placeholders.ts'), PLACEHOLDERS);
    const names = new Map<string, Sample>();
    for (const sample of samples) {
      const dir = sample.file.replace(/\W+/g, '-');
      const name = `${dir}/${sampleFile(sample)}`;
      expect(names.has(name), `${sample.file}:${sample.line} names a file another sample has`).toBe(false);
      names.set(name, sample);
      mkdirSync(dirname(join(work, name)), { recursive: true });
      for (const [path, code] of Object.entries(PLACEHOLDER_MODULES)) writeFileSync(join(work, dir, path), code);
      writeFileSync(join(work, name), sample.code);
    }
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', work], {
        cwd: work,
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // Name the doc and its line rather than the temporary file.
    const report = output.replace(/^([\w./-]+)\((\d+),\d+\)/gm, (whole, name: string, line: string) => {
      const sample = names.get(name);
      return sample === undefined ? whole : `${sample.file}:${sample.line + Number(line)}`;
    });
    expect(report).toBe('');
  }, 120_000);
});
