// What an app's bundler keeps of the built package when it imports a few names (scripts/bundle.mjs,
// as the size budgets bundle them). Each part leaves a mark in the code that carries it; a named import must carry
// only the parts it needs.
import { describe, expect, it } from 'vitest';
import { bundleImports } from '../../scripts/bundle.mjs';

// Marks each part leaves in minified code (strings terser keeps).
const MARKS = {
  'js-cookie': /withConverter/,
  ui: /consentline\.ui/,
  dni: /consentline_dni/,
  'GPP state sections': /usva/,
  'Vue ConsentGate': /name:"ConsentGate"/,
} as const;
type Part = keyof typeof MARKS;

/** The parts a bundle of `names` imported from `subpath` carries. */
async function partsOf(subpath: string, names: string[]): Promise<Part[]> {
  const code = String(await bundleImports({ [subpath]: names }));
  return (Object.keys(MARKS) as Part[]).filter((part) => MARKS[part].test(code));
}

describe('named imports of the built package carry only the parts they need', { timeout: 60_000 }, () => {
  it.each([
    ['.', ['readConsentCookie'], []],
    ['.', ['createConsentStore', 'createMemoryStorage'], []],
    ['.', ['createCookieStorage'], ['js-cookie']],
    ['./signals', ['readGpc'], []],
    ['./signals', ['createConsentModeBridge', 'pushConsentDefault'], []],
    ['./signals', ['installGpp'], []],
    ['./signals', ['pickGppSection'], ['GPP state sections']],
    ['./dni', ['formatLike'], []],
    ['./dni', ['startNumberInsertion'], ['dni']],
    ['./ui', ['mountConsentUi'], ['ui']],
    ['./react', ['useConsent', 'useCategory', 'ConsentGate'], []],
    ['./react', ['ConsentProvider'], ['js-cookie']],
    ['./react', ['ConsentBanner'], ['ui']],
    ['./react', ['useTrackingNumber'], []],
    ['./vue', ['useConsent'], []],
    ['./vue', ['useConsent', 'ConsentGate'], ['Vue ConsentGate']],
    ['./vue', ['consentline'], ['js-cookie']],
    ['./vue', ['ConsentBanner'], ['ui']],
  ] as Array<[string, string[], Part[]]>)('%s { %s } carries %j', async (subpath, names, parts) => {
    expect(await partsOf(subpath, names)).toEqual(parts);
  });
});
