// Script-tag add-on: the GPP section of the region hint's state (`US-VA` → usva). The SDK fetches
// it with dist/gpp.js when `signals.gpp.states` is set (see boot/gpp-loader.ts); a page may
// also load it with its own <script> before the SDK's. Kept out of dist/gpp.js so sites emitting
// only usnat or usca do not download the state tables.
import { pickGppSection } from '../signals/gpp-states.js';
import { provideAddon } from './boot/addon.js';

provideAddon('gpp-states', pickGppSection);
