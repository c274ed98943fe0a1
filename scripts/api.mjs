// The public API, per subpath of package.json "exports", from the built declarations:
//   node scripts/api.mjs          rewrites the API reports (etc/api/*.api.md) and the reference (docs/api/)
//   node scripts/api.mjs --check  fails when either differs from what is checked in (npm test)
// The reports come from API Extractor, one run per subpath (it reads one entry point at a time);
// the reference from TypeDoc, one page per subpath. Both read the declaration files that the
// "types" conditions name, so they follow the build wherever it puts them. Run `npm run build` first.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { Application, Converter, ReflectionKind } from 'typedoc';

const check = process.argv.includes('--check');
const root = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const REPORTS = 'etc/api';
const REFERENCE = 'docs/api';
const TEMP = '.tmp/api';

/** One subpath of the package: its import name, the stem of its files and its declaration entry. */
const subpaths = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && typeof target.types === 'string')
  .map(([key, target]) => {
    const name = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    return { name, stem: name.replace('/', '-'), types: target.types.replace(/^\.\//, '') };
  });

const errors = [];
const fail = (message) => errors.push(message);

const missing = subpaths.filter((s) => !existsSync(s.types));
if (missing.length) {
  console.error(`api: ${missing.map((s) => s.types).join(', ')} missing; run \`npm run build\` first.`);
  process.exit(1);
}
rmSync(TEMP, { recursive: true, force: true });
mkdirSync(TEMP, { recursive: true });

// --- API reports -------------------------------------------------------------------------------

const FORGOTTEN = /^The symbol "(.+)" needs to be exported by the entry point/;
/** Types a subpath's signatures use but do not export: fine when another subpath exports them. */
const forgotten = [];
/** Names each subpath exports, read from its doc model. */
const exported = new Map();
const changed = [];

const base = ExtractorConfig.loadFile('api-extractor.json');
for (const subpath of subpaths) {
  const configObject = {
    ...base,
    mainEntryPointFilePath: `<projectFolder>/${subpath.types}`,
    // Only the entry and what it imports: without a file list, TypeScript would take in every
    // declaration file under the project (demo/next's among them).
    compiler: { ...base.compiler, overrideTsconfig: { ...base.compiler.overrideTsconfig, files: [subpath.types] } },
    apiReport: { ...base.apiReport, reportFileName: subpath.stem },
    docModel: { ...base.docModel, apiJsonFilePath: `<projectFolder>/${TEMP}/${subpath.stem}.api.json` },
  };
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: !check,
    printApiReportDiff: check,
    messageCallback(message) {
      const found = message.messageId === 'ae-forgotten-export' && FORGOTTEN.exec(message.text);
      if (found) {
        forgotten.push({
          subpath: subpath.name,
          symbol: found[1],
          where: `${relative(root, message.sourceFilePath ?? '')}:${message.sourceFileLine}`,
        });
        message.logLevel = 'none';
        message.handled = true;
        return;
      }
      // The frameworks' own declarations are theirs to check (Vue's trip up the TypeScript bundled
      // with API Extractor); test/unit/consumer-types.test.ts compiles ours with skipLibCheck off.
      if (message.category === 'Compiler' && message.sourceFilePath?.includes('/node_modules/')) {
        message.logLevel = 'none';
        message.handled = true;
        return;
      }
      // Routine progress lines (analysing, writing) say nothing a reader needs.
      if (message.logLevel === 'verbose' || message.logLevel === 'info') message.handled = true;
      if (message.messageId === 'console-api-report-created' || message.messageId === 'console-api-report-copied')
        message.handled = true;
    },
  });
  if (result.apiReportChanged) changed.push(`${REPORTS}/${subpath.stem}.api.md`);
  if (!result.succeeded)
    fail(
      `${subpath.name}: API Extractor reported ${result.errorCount} error(s), ${result.warningCount} warning(s) (above)`,
    );

  const model = JSON.parse(readFileSync(`${TEMP}/${subpath.stem}.api.json`, 'utf8'));
  const members = model.members.flatMap((entry) => entry.members);
  exported.set(subpath.name, new Set(members.map((m) => m.name)));
  for (const member of members) {
    if (!member.docComment?.trim()) fail(`${subpath.name}: \`${member.name}\` is exported without a doc comment`);
  }
}

for (const { subpath, symbol, where } of forgotten) {
  const home = [...exported].find(([, names]) => names.has(symbol));
  if (!home)
    fail(
      `${subpath}: its API uses \`${symbol}\` (${where}), which no subpath exports; export it, or keep it out of the signature`,
    );
}
if (check && changed.length) {
  fail(
    `the public API changed: ${changed.join(', ')} differ from the build (diff above). Run \`npm run api\` and commit the reports if the change is meant.`,
  );
}

// --- API reference -----------------------------------------------------------------------------

// TypeDoc compiles the declaration entries as a consumer would; they sit outside tsconfig.json.
const tsconfig = join(TEMP, 'tsconfig.json');
writeFileSync(
  tsconfig,
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    },
    files: subpaths.map((s) => join(root, s.types)),
  }),
);

const out = check ? join(TEMP, 'reference') : REFERENCE;
const app = await Application.bootstrapWithPlugins({
  entryPoints: subpaths.map((s) => s.types),
  tsconfig,
  plugin: ['typedoc-plugin-markdown'],
  out,
  cleanOutputDir: true,
  readme: 'none',
  name: `${pkg.name} API reference`,
  // Links to declaration lines would change with every edit of an unrelated line.
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  sort: ['kind', 'alphabetical-ignoring-documents'],
  hideGenerator: true,
  logLevel: 'Warn',
  // typedoc-plugin-markdown: one page per subpath, tables for parameters and properties.
  outputFileStrategy: 'modules',
  entryFileName: 'index',
  indexFormat: 'table',
  hideBreadcrumbs: true,
  hidePageHeader: true,
  useCodeBlocks: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  typeDeclarationFormat: 'table',
  propertyMembersFormat: 'table',
  enumMembersFormat: 'table',
  formatWithPrettier: false,
});
// Modules are named after their file (entries/ui); readers import them by subpath (consentline/ui).
const byFile = new Map(subpaths.map((s) => [resolve(s.types), s.name]));
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
  for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
    const file = context.getSymbolFromReflection(mod)?.declarations?.[0]?.getSourceFile().fileName;
    const name = file && byFile.get(resolve(file));
    if (name) mod.name = name;
  }
});
const project = await app.convert();
if (!project) {
  fail('TypeDoc could not convert the declarations (above)');
} else {
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) fail('TypeDoc reported errors (above)');
}

if (check && project) {
  const list = (dir) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true })
          .filter((f) => f.endsWith('.md'))
          .sort()
      : [];
  const want = list(out);
  const have = list(REFERENCE);
  const stale = [...new Set([...want, ...have])].filter(
    (f) =>
      !want.includes(f) ||
      !have.includes(f) ||
      readFileSync(join(out, f), 'utf8') !== readFileSync(join(REFERENCE, f), 'utf8'),
  );
  if (stale.length) fail(`${REFERENCE} is out of date (${stale.join(', ')}). Run \`npm run api\` and commit it.`);
}

if (errors.length) {
  for (const e of errors) console.error(`api: ${e}`);
  process.exit(1);
}
console.log(
  check
    ? `api: ${subpaths.length} API reports and the reference are up to date.`
    : `api: wrote ${subpaths.length} API reports to ${REPORTS}/ and the reference to ${REFERENCE}/; review \`git diff ${REPORTS}\`.`,
);
