'use client';
// The pattern the bindings replace, kept to prove the browser test notices a hydration mismatch:
// the server's store has no cookie to read, the browser's does, so a returning visitor's first
// client render differs from the server's HTML.
import { useState, useSyncExternalStore } from 'react';
import { createConsentStore, createCookieStorage, createMemoryStorage } from 'consentline';
import { consentOptions } from '../consent';

export default function Naive() {
  const [store] = useState(() =>
    createConsentStore({
      ...consentOptions,
      storage: typeof document === 'undefined' ? createMemoryStorage() : createCookieStorage(),
    }),
  );
  const state = useSyncExternalStore(store.subscribe, store.get, store.get);
  return <p id="naive">{state.grants['analytics'] ? 'Statistics are on.' : 'Statistics are off.'}</p>;
}
