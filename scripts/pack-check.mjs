// What `npm install consentline` downloads: the tarball `npm pack` would publish, checked against
// package.json "packBudget" (bytes of the .tgz and of its files unpacked), and for what must not
// ship: source maps, inline maps or embedded sources, and TypeScript sources. Run after the build.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const budget = pkg.packBudget;
if (!budget || typeof budget.packed !== 'number' || typeof budget.unpacked !== 'number') {
  console.error('pack-check: package.json needs "packBudget": { "packed": bytes, "unpacked": bytes }');
  process.exit(1);
}

// --ignore-scripts: only the file list is wanted, not a prepack build.
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
);
const { size, unpackedSize, files } = packed;

const problems = [];
for (const { path } of files) {
  if (path.endsWith('.map')) problems.push(`${path}: a source map`);
  else if (/\.(ts|tsx|mts|cts)$/.test(path) && !/\.d\.(ts|mts|cts)$/.test(path))
    problems.push(`${path}: a TypeScript source`);
  else if (/\.(js|mjs|cjs)$/.test(path)) {
    const code = readFileSync(path, 'utf8');
    if (/sourceMappingURL=data:/.test(code)) problems.push(`${path}: an inline source map`);
    if (/"sourcesContent"\s*:/.test(code)) problems.push(`${path}: embedded sources`);
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const row = (name, value, limit) => {
  const over = value > limit;
  if (over) problems.push(`${name} ${value} B is over its budget of ${limit} B`);
  console.log(
    `${name.padEnd(10)}${String(value).padStart(10)} B ${kb(value).padStart(11)}   budget ${String(limit).padStart(8)} B${over ? '  OVER BUDGET' : ''}`,
  );
};
console.log(`npm pack: ${files.length} files`);
row('packed', size, budget.packed);
row('unpacked', unpackedSize, budget.unpacked);

if (problems.length) {
  for (const p of problems) console.error(`pack-check: ${p}`);
  process.exit(1);
}
