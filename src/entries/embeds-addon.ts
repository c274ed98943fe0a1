// Script-tag add-on: the placeholders of held-back embeds, fetched by the SDK from beside its own
// file when the page has an embed (see boot/embeds-loader.ts). Kept out of
// dist/consentline.min.js because most sites have no embed markup.
import type { EmbedStarter } from '../ui/held-back-embeds.js';
import { createEmbedHolder } from '../ui/held-back-embeds.js';
import { fitInPlace } from '../ui/fit-in-place.js';
import { provideAddon } from './boot/addon.js';

// The SDK hid each embed in place until this file ran: placeholders take the box it kept.
const start: EmbedStarter = (store, options) => createEmbedHolder(store, options, fitInPlace);
provideAddon('embeds', start);
