/**
 * Small validators for configuration that crosses a trust boundary (script-tag JSON, data
 * attributes). A bad value warns naming its path and yields undefined, so the caller's safe
 * default applies; nothing here throws or copies an inherited key.
 */
import { hasOwn } from './has-own.js';

/** Receives one warning naming the offending key. */
export type Warn = (message: string) => void;
/** Checks one value; undefined means "use the default". */
export type Check<T> = (value: unknown, path: string, warn: Warn) => T | undefined;

/** An object that is neither null nor an array: what a JSON object parses to. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// One message for every bad value: it names the key, which is what a developer needs to find it.
const fail = <T>(warn: Warn, path: string): T | undefined => {
  warn(`${path}: invalid value, default used`);
  return undefined;
};

/** A string of at most `max` characters, optionally matching `pattern`. */
export const str =
  (max = 500, pattern?: RegExp): Check<string> =>
  (v, path, warn) =>
    typeof v === 'string' && v.length <= max && (!pattern || pattern.test(v)) ? v : fail(warn, path);

/** A boolean; the strings "true" and "false" (from data attributes) count too. */
export const bool: Check<boolean> = (v, path, warn) =>
  typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : fail(warn, path);

/** An integer from `min` to `max`; numeric strings (from data attributes) count too. */
export const int =
  (min: number, max: number): Check<number> =>
  (v, path, warn) => {
    const n = typeof v === 'string' && /^-?\d{1,10}$/.test(v) ? Number(v) : v;
    return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : fail(warn, path);
  };

/** One of the given strings. */
export const oneOf =
  <T extends string>(...values: T[]): Check<T> =>
  (v, path, warn) =>
    (values as unknown[]).includes(v) ? (v as T) : fail(warn, path);

// What a browser's URL parser drops or reads as a slash: controls, whitespace (tab and newline are
// removed, so `/\t/evil.example` becomes `//evil.example`) and the backslash (`/\evil.example` is
// protocol-relative). A URL holding any of them is refused whole, so a "same-site path" can only
// resolve to a path of the page's own origin.
const URL_UNSAFE = /[\0-\x1f\x7f-\x9f\s\\]/;

/**
 * An http(s) URL, a same-site path (`/` not followed by another `/`) or a `#fragment`; never
 * `javascript:`, `data:`, another scheme, a protocol-relative `//host` or `/\host`.
 */
export const url: Check<string> = (v, path, warn) =>
  typeof v === 'string' && v.length <= 2000 && !URL_UNSAFE.test(v) && /^(https?:\/\/.+|\/(?!\/).*|#.*)$/i.test(v)
    ? v
    : fail(warn, path);

/** An array of at most `max` items; invalid items are dropped with a warning. */
export const list =
  <T>(item: Check<T>, max = 100): Check<T[]> =>
  (v, path, warn) => {
    if (!Array.isArray(v) || v.length > max) return fail(warn, path);
    const out: T[] = [];
    v.forEach((x, i) => {
      const checked = item(x, `${path}[${i}]`, warn);
      if (checked !== undefined) out.push(checked);
    });
    return out;
  };

type Shape<S> = { [K in keyof S]?: S[K] extends Check<infer T> ? T : never };

/** An object with known keys; unknown keys warn naming the key and are ignored. */
export const shape =
  <S extends Record<string, Check<unknown>>>(schema: S): Check<Shape<S>> =>
  (v, path, warn) => {
    if (!isPlainObject(v)) return fail(warn, path);
    // Null prototype: on a page whose Object.prototype was polluted, a missing key must still read as missing.
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(v)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (!hasOwn(schema, key)) {
        warn(`${keyPath}: unknown key, ignored`);
        continue;
      }
      const checked = (schema[key] as Check<unknown>)(v[key], keyPath, warn);
      if (checked !== undefined) out[key] = checked;
    }
    return out as Shape<S>;
  };

/**
 * An object whose keys match `keyPattern`, each value checked by `item`; keys past the first `max`
 * are ignored with a warning. Returned as entries, so no key can reach a prototype.
 */
export const entries =
  <T>(keyPattern: RegExp, item: Check<T>, max = 50): Check<Array<[string, T]>> =>
  (v, path, warn) => {
    if (!isPlainObject(v)) return fail(warn, path);
    const out: Array<[string, T]> = [];
    const keys = Object.keys(v);
    if (keys.length > max) warn(`${path}: ${keys.length} given, the first ${max} kept`);
    for (const key of keys.slice(0, max)) {
      if (!keyPattern.test(key)) {
        warn(`${path}.${key}: invalid key, ignored`);
        continue;
      }
      const checked = item(v[key], `${path}.${key}`, warn);
      if (checked !== undefined) out.push([key, checked]);
    }
    return out;
  };

/** Accepts any plain object unchecked, for a section another part validates. */
export const section: Check<Record<string, unknown>> = (v, path, warn) => (isPlainObject(v) ? v : fail(warn, path));
