// Script-tag add-on: `<script src="dist/vendors.js">` before the SDK lets `signals.vendors` bridge
// consent to Microsoft UET, Microsoft Clarity, the Meta Pixel and the TikTok Pixel. Kept out of
// dist/consentline.min.js so sites without those vendors do not download the bridges. It must run
// before the SDK: each vendor's default has to be queued before the vendor's own tag can act.
import { startVendorBridges } from '../signals/vendors/config.js';
import { provideAddon } from './boot/addon.js';

provideAddon('vendors', startVendorBridges);
