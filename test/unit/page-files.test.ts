// The files a page loads by <script> (the SDK and the add-ons it fetches) as the build writes them:
// each opens with V8's compile hint, which only counts on a file's first line (see rollup.config.ts),
// and an add-on carries no second copy of what the SDK that fetched it lends it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(`dist/${file}`, 'utf8');

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
    const firstLine = read(file).split('\n', 1)[0];
    expect(firstLine).toBe('//# allFunctionsCalledOnLoad');
  });
});

// A mark terser keeps of the right-to-left language table (src/ui/i18n/direction.ts).
const RTL_TABLE = /\|nkoo\|/;

describe('what the SDK lends its add-ons', () => {
  it('dist/embeds.js lays placeholders out with the SDK’s right-to-left table, carrying none of its own', () => {
    expect(read('consentline.min.js')).toMatch(RTL_TABLE);
    expect(read('embeds.js')).not.toMatch(RTL_TABLE);
  });
});
