// Figures for the guarantees summary: tests append what they tried to one file and
// `node scripts/figures.mjs` prints the total as the last line of `npm test`.
import { appendFileSync, mkdirSync } from 'node:fs';

export interface Figures {
  /** Hostile or random inputs tried. */
  cases?: number;
  /** Whole scenarios (a page session with a fault or regime) that passed. */
  scenarios?: number;
  /** Leaks found (anything written or sent that should not have been). */
  leaks?: number;
}

export function recordFigures(suite: string, figures: Figures): void {
  mkdirSync('.tmp', { recursive: true });
  appendFileSync('.tmp/figures.jsonl', `${JSON.stringify({ suite, ...figures })}\n`);
}
