import type { BootContext } from './context';

// Replaced by the consent UI (issue 3).
export function startUi(_ctx: BootContext): () => void {
  return () => {};
}
