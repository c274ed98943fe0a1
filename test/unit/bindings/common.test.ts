import { describe, expect, it } from 'vitest';
import { createBoundStore } from '../../../src/bindings/common';
import { createConsentStore } from '../../../src/core/store';
import { createMemoryStorage } from '../../../src/core/memory-storage';
import type { ConsentStorage } from '../../../src/core/types';

/** An app's own storage written as a class: its methods live on the prototype and use `this`. */
class AppStorage implements ConsentStorage {
  #value: string | undefined;
  readonly #heard = new Set<() => void>();
  read(): string | undefined {
    return this.#value;
  }
  write(value: string): void {
    this.#value = value;
  }
  remove(): void {
    this.#value = undefined;
  }
  watch(onChange: () => void): () => void {
    this.#heard.add(onChange);
    return () => this.#heard.delete(onChange);
  }
  /** Another tab wrote `value`. */
  changedElsewhere(value: string): void {
    this.#value = value;
    for (const heard of this.#heard) heard();
  }
  get watchers(): number {
    return this.#heard.size;
  }
}

describe('createBoundStore', () => {
  it('keeps the decision in a storage given as a class instance, and watches it only between watch() and its stop', () => {
    const storage = new AppStorage();
    const { store, watch } = createBoundStore({ storage });
    store.acceptAll();
    expect(storage.read()).toMatch(/analytics:1/);
    expect(storage.watchers).toBe(0);
    const stop = watch();
    expect(storage.watchers).toBe(1);
    // Another tab refuses: the store follows.
    const elsewhere = createMemoryStorage();
    createConsentStore({ storage: elsewhere }).rejectAll();
    storage.changedElsewhere(elsewhere.read()!);
    expect(store.get().grants['analytics']).toBe(false);
    stop();
    expect(storage.watchers).toBe(0);
  });
});
