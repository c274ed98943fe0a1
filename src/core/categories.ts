import type { BuiltInCategoryId, Category, CategoryInput } from './types.js';
import { hasOwn } from './has-own.js';

/** Ids of the built-in categories, in display order. */
export const BUILT_IN_CATEGORIES: readonly BuiltInCategoryId[] = ['necessary', 'analytics', 'advertising', 'social'];

/** What a category id looks like: short, lower-case, and free of the consent cookie's separators. */
export const CATEGORY_ID = /^[a-z][a-z0-9_-]{0,31}$/;
const SALE_SHARE_BY_DEFAULT = new Set(['advertising', 'social']);

/** True when `id` can name a category (and be stored compactly in the consent cookie). */
export const isCategoryId = (id: unknown): id is string => typeof id === 'string' && CATEGORY_ID.test(id);

/**
 * Builds the full category list: the four built-ins, overridden or extended by `inputs`.
 * A developer's mistake (a bad id, a duplicate) throws an Error naming it.
 */
export function resolveCategories(inputs: readonly CategoryInput[] = []): readonly Category[] {
  const byId = new Map<string, CategoryInput>();
  for (const id of BUILT_IN_CATEGORIES) byId.set(id, Object.assign(Object.create(null), { id }));
  const seen = new Set<string>();
  for (const input of inputs) {
    if (!isCategoryId(input.id)) throw new Error(`categories: invalid category id ${JSON.stringify(input.id)}`);
    if (seen.has(input.id)) throw new Error(`categories: duplicate category id "${input.id}"`);
    seen.add(input.id);
    byId.set(input.id, Object.assign(Object.create(null), byId.get(input.id), input));
  }
  return [...byId.values()].map((input) => {
    // Own properties only: a page that polluted Object.prototype must not turn a category's
    // sale/share flag off (that would let GPC through).
    const own = <K extends keyof CategoryInput>(k: K): CategoryInput[K] | undefined =>
      hasOwn(input, k) ? input[k] : undefined;
    const id = input.id;
    const label = own('label') ?? id;
    const description = own('description') ?? '';
    const cookies = own('cookies') ?? [];
    const saleShare = own('saleShare');
    const required = id === 'necessary';
    return Object.freeze({
      id,
      label,
      description,
      cookies: Object.freeze([...cookies]),
      saleShare: !required && (saleShare ?? SALE_SHARE_BY_DEFAULT.has(id)),
      required,
    });
  });
}
