import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pushConsentDefault } from 'consentline/signals';
import { App } from './App';

// Consent Mode's default goes first, before any tag could load.
pushConsentDefault();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
