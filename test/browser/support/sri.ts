// The integrity the build bakes into the SDK for an add-on file (rollup.config.ts, bakeIntegrity).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** `sha256-…` of `file` as built, as a `<script integrity>` value. */
export const sri = (file: string): string =>
  `sha256-${createHash('sha256').update(readFileSync(file)).digest('base64')}`;
