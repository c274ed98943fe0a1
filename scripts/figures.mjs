// Prints the one-line summary of what the privacy suites tried (`--reset` clears the tally before
// a run). Fails when any leak was recorded.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const file = '.tmp/figures.jsonl';
if (process.argv.includes('--reset')) {
  mkdirSync('.tmp', { recursive: true });
  rmSync(file, { force: true });
  process.exit(0);
}
const rows = existsSync(file)
  ? readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
const sum = (k) => rows.reduce((n, r) => n + (r[k] ?? 0), 0);
const suites = new Set(rows.map((r) => r.suite));
const fmt = (n) => n.toLocaleString('en-US');
console.log(
  `Guarantees: ${fmt(sum('cases'))} hostile cases tried, ${fmt(sum('scenarios'))} scenarios passed, leaks found = ${sum('leaks')} (${suites.size} suites)`,
);
if (sum('leaks') > 0) process.exit(1);
