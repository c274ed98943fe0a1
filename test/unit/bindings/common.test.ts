import { describe, expect, it } from 'vitest';
import { createBoundStore, firstLayerCopy } from '../../../src/bindings/common';
import { de } from '../../../src/ui/i18n/de';
import { en } from '../../../src/ui/i18n/en';
import type { ConsentUiOptions } from '../../../src/ui/mount';
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

  it("passes the storage's writeFirst on: the store's listeners hear a decision before the write is finished", () => {
    const storage = new AppStorage();
    const steps: string[] = [];
    const withFirst = Object.assign(storage, {
      writeFirst(value: string) {
        storage.write(value);
        steps.push('set');
        return () => steps.push('finished');
      },
    });
    const { store } = createBoundStore({ storage: withFirst });
    store.subscribe(() => steps.push('heard'));
    store.acceptAll();
    expect(steps).toEqual(['set', 'heard', 'finished']);
    expect(storage.read()).toMatch(/analytics:1/);
  });
});

describe('firstLayerCopy', () => {
  /** The copy as plain records: tag, props, children. */
  type Made = { tag: string; props: Record<string, unknown>; kids: unknown[] };
  const make = (tag: string, props: Record<string, unknown> | null, ...kids: unknown[]): Made => ({
    tag,
    props: props ?? {},
    kids,
  });
  /** Each text of the copy with the language it is labelled with (the nearest `lang`). */
  const texts = (node: unknown, lang = '', out: string[] = []): string[] => {
    if (typeof node === 'string') {
      if (node.trim()) out.push(`${node.trim()} [${lang}]`);
      return out;
    }
    if (!node || typeof node !== 'object') return out;
    const { props, kids } = node as Made;
    const own = typeof props['lang'] === 'string' ? props['lang'] : lang;
    if (typeof props['aria-label'] === 'string') out.push(`${props['aria-label']} [${own}]`);
    for (const kid of kids) texts(kid, own, out);
    return out;
  };
  const copy = (options: ConsentUiOptions) =>
    texts(firstLayerCopy<unknown>(make, '', options, createConsentStore(), () => {}, false));

  it('a forced lang without a pack: the English texts say they are English, the site’s strings the forced lang', () => {
    expect(copy({ lang: 'it', strings: { title: 'Cookie e privacy' }, close: true })).toEqual([
      'Cookie e privacy [it]',
      'Cookie e privacy [it]',
      `${en.text} [en]`,
      `${en.accept} [en]`,
      `${en.reject} [en]`,
      `${en.custom} [en]`,
      `${en.close} [en]`,
      '× [en]',
    ]);
    // A language with its pack: only the root says it.
    expect(copy({ lang: 'de', languages: { de } }).every((line) => line.endsWith('[de]'))).toBe(true);
    expect(
      JSON.stringify(
        firstLayerCopy<unknown>(make, '', { lang: 'de', languages: { de } }, createConsentStore(), () => {}, false),
      ),
    ).not.toMatch(/"lang":"(?!de")/);
  });
});
