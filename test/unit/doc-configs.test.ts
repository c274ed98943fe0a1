// Every script-tag configuration the docs show validates without a warning, as the script tag
// reads it, so a site owner who copies one gets what the docs say: the JSON block of an HTML
// sample (`<script type="application/json" id="consentline-config">`) and the sections shown on
// their own (`"ui": { … }`, `"signals": { … }`, `"dni": { … }`).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/config';
import { dniSchema } from '../../src/entries/boot/dni';
import { readUiConfig } from '../../src/entries/boot/ui';
import { validateSignalsConfig } from '../../src/signals/config';
import { validateVendorsConfig } from '../../src/signals/vendors/config';
import { type DocBlock, readDocBlocks } from '../support/doc-samples';

type Shown = { where: string; json: string };

/** The configurations a block shows: the config block of an HTML sample, or a section of one. */
function configsIn(block: DocBlock): Shown[] {
  const where = `${block.file}:${block.line}`;
  if (block.lang === 'html') {
    const found = /<script type="application\/json" id="consentline-config">([\s\S]*?)<\/script>/.exec(block.code);
    return found ? [{ where, json: found[1]! }] : [];
  }
  if (block.lang === 'json' && /^\s*"(ui|signals|dni)":/.test(block.code)) return [{ where, json: `{${block.code}}` }];
  return [];
}

/** The warnings the script tag prints for `raw`, section by section, as its parts validate them. */
function warningsFor(raw: unknown): string[] {
  const warnings: string[] = [];
  const warn = (message: string) => void warnings.push(message);
  const config = validateConfig(raw, warn);
  readUiConfig(config, warn);
  const signals = validateSignalsConfig(config.signals, warn);
  if (signals.vendors) validateVendorsConfig(signals.vendors, warn);
  dniSchema()(config.dni ?? {}, 'dni', warn);
  return warnings;
}

describe('the script-tag configurations in the docs', () => {
  const shown = readDocBlocks(resolve('.')).flatMap(configsIn);

  it('are found: the README’s, the script tag’s, and the ui, signals and dni sections', () => {
    expect(shown.map((s) => s.where.split(':')[0])).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/script-tag.md',
        'docs/consent-ui.md',
        'docs/signals.md',
        'docs/call-tracking.md',
      ]),
    );
  });

  it('a warning names what is wrong (the check can fail)', () => {
    expect(warningsFor({ ui: { layuot: 'box' }, dni: { targets: ['555'] } })).toEqual([
      'ui.layuot: unknown key, ignored',
      'dni.targets[0]: invalid value, default used',
    ]);
  });

  for (const { where, json } of shown)
    it(`${where} is valid JSON and validates without a warning`, () => {
      expect(warningsFor(JSON.parse(json))).toEqual([]);
    });
});
