import type { BootContext } from './context';

// Replaced by dynamic number insertion (issue 5).
export function startDni(_ctx: BootContext): () => void {
  return () => {};
}
