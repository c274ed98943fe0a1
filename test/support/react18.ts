// Runs a test file against React 18. Vitest's aliases (vitest.config.ts) send the file's and the
// sources' imports of `react` and `react-dom` to the `react18` and `react-dom18` packages, but
// those are CommonJS that Node loads itself, and react-dom 18 requires `react`, which Node would
// find as React 19: Node's resolver is told the same aliases, and the test checks they hold.
import Module from 'node:module';

const ALIASES: Record<string, string> = { react: 'react18', 'react-dom': 'react-dom18' };
const AS_18: unique symbol = Symbol.for('consentline.test.react18');

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve & { [AS_18]?: true } };

if (!loader._resolveFilename[AS_18]) {
  const resolve = loader._resolveFilename;
  const aliased: Resolve = (request, ...rest) => {
    const [name = '', ...path] = request.split('/');
    const alias = ALIASES[name];
    return resolve(alias === undefined ? request : [alias, ...path].join('/'), ...rest);
  };
  loader._resolveFilename = Object.assign(aliased, { [AS_18]: true as const });
}

// Imported after the patch: a static import would load react-dom before it.
const { version } = await import('react');
const { version: domVersion } = await import('react-dom');
if (!version.startsWith('18.') || !domVersion.startsWith('18.'))
  throw new Error(`react18 project: expected React 18, got react ${version} and react-dom ${domVersion}`);
