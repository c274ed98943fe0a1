import type { BindingStoreOptions } from 'consentline/react';

/** One configuration for the server's reading of the cookie and the browser's store. */
export const consentOptions = {
  revision: 1,
  categories: [{ id: 'chat', label: 'Live chat', description: 'The support chat widget.' }],
} satisfies BindingStoreOptions;
