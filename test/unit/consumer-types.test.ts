// The packed package's types under moduleResolution nodenext with skipLibCheck false: the fixture
// in test/fixtures/consumer-nodenext imports every subpath and must compile, including the lines
// it expects to fail (an unused expect-error directive is itself an error: `any` types fail).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'consentline-consumer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!existsSync('dist/types/entries/index.d.ts'))('a nodenext consumer of the packed package', () => {
  it('compiles every subpath with real types (tsc, skipLibCheck false)', () => {
    // What `npm install consentline` puts in node_modules: the files of the packed tarball.
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
    const [{ filename }] = JSON.parse(out) as [{ filename: string }];
    const installed = join(work, 'node_modules', 'consentline');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(work, filename), '-C', installed, '--strip-components=1']);
    mkdirSync(join(work, 'node_modules', '@types'), { recursive: true });
    // What the app has installed beside it: Node's types and the frameworks (optional peers).
    for (const name of ['@types/node', '@types/react', 'react', 'vue'])
      symlinkSync(join(root, 'node_modules', name), join(work, 'node_modules', name), 'dir');
    cpSync(join(root, 'test', 'fixtures', 'consumer-nodenext'), work, { recursive: true });
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(work, 'tsconfig.json')],
        { encoding: 'utf8' },
      );
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 120_000);
});
