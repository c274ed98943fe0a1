// Script-tag add-on: `<script src="dist/gpp-states.js">` before the SDK lets `signals.gpp.section`
// be "state": the GPP section of the region hint's state (`US-VA` → usva). Kept out of
// dist/consentline.min.js so sites emitting only usnat or usca do not download the state tables.
import { pickGppSection } from '../signals/gpp-states.js';
import { provideAddon } from './boot/addon.js';

provideAddon('gpp-states', pickGppSection);
