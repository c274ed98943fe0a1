// The files a page loads by <script> (the SDK and the add-ons it fetches) as the build writes them:
// each opens with V8's compile hint, which only counts on a file's first line (see rollup.config.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const PAGE_FILES = [
  'consentline.js',
  'consentline.min.js',
  'dni.js',
  'dni-pool.js',
  'vendors.js',
  'gpp-states.js',
  'receipts.js',
  'gpp.js',
  'embeds.js',
];

describe('files a page loads by <script>', () => {
  it.each(PAGE_FILES)('dist/%s opens with the compile hint on its own first line', (file) => {
    const firstLine = readFileSync(`dist/${file}`, 'utf8').split('\n', 1)[0];
    expect(firstLine).toBe('//# allFunctionsCalledOnLoad');
  });
});
