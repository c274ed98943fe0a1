// Type test, compiled by `npm run typecheck` (never run): a store knows its category ids, the
// built-ins and the ones its options give, and a misspelt id does not compile.
import { createConsentStore, readConsentCookie } from '../../src/entries/index';
import type { CategoryIdOf, CategoryInput, ConsentState, ConsentStore } from '../../src/entries/index';
import { mountConsentUi } from '../../src/entries/ui';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T): void => {};

export function typedCategories(): void {
  const store = createConsentStore({ categories: [{ id: 'chat', label: 'Chat' }] });
  assertType<Equal<CategoryIdOf<typeof store>, 'necessary' | 'analytics' | 'advertising' | 'social' | 'chat'>>(true);

  store.set({ chat: true, analytics: false });
  // @ts-expect-error a misspelt id
  store.set({ analytcs: true });
  // @ts-expect-error a grant is a boolean
  store.set({ analytics: 'yes' });

  const chat: boolean = store.get().grants.chat;
  const necessary: boolean = store.get().grants.necessary;
  // @ts-expect-error no such category
  void store.get().grants.chatt;
  void chat;
  void necessary;

  store.subscribe((state, previous) => {
    const now: boolean = state.grants.chat;
    const before: boolean = previous.grants.advertising;
    // @ts-expect-error no such category
    void state.grants.socail;
    void now;
    void before;
  });

  const ids: Array<'necessary' | 'analytics' | 'advertising' | 'social' | 'chat'> = store.categories.map((c) => c.id);
  void ids;
}

export function asConstArrays(): void {
  const categories = [{ id: 'chat' }, { id: 'maps', saleShare: true }] as const;
  const store = createConsentStore({ categories });
  store.set({ chat: true, maps: false });
  // @ts-expect-error a misspelt id
  store.set({ mapz: true });
}

export function builtInsOnly(): void {
  const store = createConsentStore();
  assertType<Equal<CategoryIdOf<typeof store>, 'necessary' | 'analytics' | 'advertising' | 'social'>>(true);
  // @ts-expect-error not configured
  store.set({ chat: true });
}

export function untypedIdsStayOpen(inputs: CategoryInput[]): void {
  // Ids known only at run time (a JSON config): any string, checked by `set` at run time.
  const store = createConsentStore({ categories: inputs });
  store.set({ anything: true });
  const maybe: boolean | undefined = store.get().grants['anything'];
  void maybe;
}

export function typedStoresFitEveryPart(): void {
  // A typed store goes wherever a store goes (the UI, signals and DNI take any store).
  const store = createConsentStore({ categories: [{ id: 'chat' }] });
  const loose: ConsentStore = store;
  mountConsentUi(store);
  void loose;
}

export function serverState(header: string | null): void {
  const state: ConsentState<'necessary' | 'analytics' | 'advertising' | 'social' | 'chat'> = readConsentCookie(header, {
    categories: [{ id: 'chat' }],
  });
  // @ts-expect-error no such category
  void state.grants.chta;
}
