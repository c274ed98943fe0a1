// Type test, compiled by `npm run typecheck` (never run): once an app registers its category ids,
// the React and Vue bindings refuse a misspelt one.
import { createConsentStore } from '../../src/entries/index';
import type { CategoryIdOf } from '../../src/entries/index';
import { ConsentGate, useCategory } from '../../src/react/index';
import { useCategory as useVueCategory } from '../../src/vue/index';

const store = createConsentStore({ categories: [{ id: 'chat' }] });

declare module '../../src/react/index' {
  interface Register {
    categories: CategoryIdOf<typeof store>;
  }
}
declare module '../../src/vue/index' {
  interface Register {
    categories: CategoryIdOf<typeof store>;
  }
}

export function registeredIds(): void {
  useCategory('chat');
  useCategory('social');
  // @ts-expect-error a misspelt id
  useCategory('socail');
  ConsentGate({ category: 'analytics', children: null });
  // @ts-expect-error a misspelt id
  ConsentGate({ category: 'analytcs', children: null });
  useVueCategory('advertising');
  // @ts-expect-error a misspelt id
  useVueCategory('advertsing');
}
