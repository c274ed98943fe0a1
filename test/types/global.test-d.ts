// Type test, compiled by `npm run typecheck` (never run): the script tag's global, typed by the
// site's category ids, refuses a misspelt one.
import type { ConsentlineGlobal } from '../../src/entries/index';

declare const Consentline: ConsentlineGlobal<'necessary' | 'analytics' | 'advertising' | 'social' | 'chat'>;

export function typedGlobal(): void {
  Consentline.set({ chat: true, analytics: false });
  // @ts-expect-error a misspelt id
  Consentline.set({ analytcs: true });
  const chat: boolean = Consentline.get().grants.chat;
  // @ts-expect-error no such category
  void Consentline.get().grants.chatt;
  const off = Consentline.on((state) => void state.grants.social);
  off();
  void chat;
}
