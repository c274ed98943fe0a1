import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { readFileSync } from 'node:fs';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
async function b(imports) {
  const source = Object.entries(imports).map(([s, n]) => `export { ${n.join(', ')} } from ${JSON.stringify(pkg.exports[s].import.replace('./', `${process.cwd()}/`))};`).join('\n');
  const bundle = await rollup({ input: 'case', external: ['react', 'vue'], plugins: [{ name: 'case', resolveId: (id) => (id === 'case' ? id : null), load: (id) => (id === 'case' ? source : null) }, nodeResolve({ browser: true })], onwarn() {} });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ module: true, compress: { passes: 3 } })] });
  return output.filter(o => o.type === 'chunk').map(o => o.code).join('\n');
}
const markers = { ui: /Accept all|consentline\.ui|adoptedStyleSheets/, dni: /gclid|msclkid|dni-pool/, gpp: /__gpp|usnat/, cookie: /js-cookie|SameSite|sameSite/, react: /from"react"/, vue: /from"vue"/ };
const cases = [
  { '.': ['createConsentStore'] }, { '.': ['readConsentCookie'] }, { '.': ['createMemoryStorage'] }, { '.': ['clearCookies'] },
  { './signals': ['readGpc'] }, { './signals': ['createConsentModeBridge'] }, { './signals': ['announceConsent'] }, { './signals': ['resolveRegime'] },
  { './dni': ['formatLike'] }, { './dni': ['classifySource'] }, { './dni': ['createNumberMatcher'] },
  { './ui': ['en'] }, { './ui': ['activateHeldBack'] },
  { './react': ['useConsent'] }, { './react': ['ConsentProvider','useConsent','ConsentGate'] }, { './react': ['useTrackingNumber'] },
  { './vue': ['consentline'] }, { './vue': ['ConsentGate'] },
];
const only = process.argv[2] ? [JSON.parse(process.argv[2])] : cases;
for (const c of only) {
  const code = await b(c);
  const hit = Object.entries(markers).filter(([, r]) => r.test(code)).map(([k]) => k);
  console.log(JSON.stringify(c), code.length, hit.join(","));
  if (process.argv[2]) console.log(code);
}
