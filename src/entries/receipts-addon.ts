// Script-tag add-on: consent receipts, fetched by the SDK from beside its own file when
// `signals.receipts.endpoint` is configured (see boot/receipts-loader.ts). Kept out of
// dist/consentline.min.js so sites that do not collect receipts do not download the sender.
import { createReceiptSender } from '../signals/receipts.js';
import { provideAddon } from './boot/addon.js';

provideAddon('receipts', createReceiptSender);
