// Script-tag add-on: the placeholders of held-back embeds, fetched by the SDK from beside its own
// file when the page has an embed (see boot/embeds-loader.ts). Kept out of
// dist/consentline.min.js because most sites have no embed markup.
import { createEmbedHolder } from '../ui/held-back-embeds.js';
import { provideAddon } from './boot/addon.js';

provideAddon('embeds', createEmbedHolder);
