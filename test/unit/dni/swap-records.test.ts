// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createSwapRecords } from '../../../src/dni/swap-records';

afterEach(() => {
  document.body.replaceChildren();
});

describe('swap records: what was written, computed from the original, restored exactly', () => {
  it('writes a text node’s new value, recomputes it from the original, and restores the original', () => {
    const node = document.createTextNode('555');
    const records = createSwapRecords();
    let to = '888';
    records.write(node, () => to);
    expect(node.data).toBe('888');
    to = '777';
    const record = records.get(node)!;
    expect(record._private_original).toBe('555');
    records.write(node, record._private_compute);
    expect(node.data).toBe('777');
    expect(records.get(node)!._private_original).toBe('555');
    records.restore();
    expect(node.data).toBe('555');
    expect(records.get(node)).toBeUndefined();
  });

  it('a link’s href is its value', () => {
    const a = document.createElement('a');
    a.setAttribute('href', 'tel:555');
    const records = createSwapRecords();
    records.write(a, (original) => original.replace('555', '888'));
    expect(a.getAttribute('href')).toBe('tel:888');
    records.restore();
    expect(a.getAttribute('href')).toBe('tel:555');
  });

  it('a value the app changed since is the new original, and a restore leaves the app’s value', () => {
    const node = document.createTextNode('555');
    const records = createSwapRecords();
    records.write(node, (original) => original + '!');
    node.data = 'app';
    records.write(node, (original) => original + '!');
    expect(node.data).toBe('app!');
    expect(records.get(node)!._private_original).toBe('app');
    node.data = 'app again';
    records.restore();
    expect(node.data).toBe('app again');
  });

  it('writes nothing when the value does not change, and keeps the page’s value where compute gives undefined', () => {
    const node = document.createTextNode('555');
    let writes = 0;
    const data = Object.getOwnPropertyDescriptor(CharacterData.prototype, 'data')!;
    Object.defineProperty(node, 'data', {
      get: () => data.get!.call(node),
      set: (value: string) => {
        writes++;
        data.set!.call(node, value);
      },
    });
    const records = createSwapRecords();
    records.write(node, () => undefined);
    records.write(node, () => '555');
    expect(node.data).toBe('555');
    expect(records.get(node)!._private_written).toBe('555');
    expect(writes).toBe(0);
  });

  it('visits records in the order first written, each with the element it is a part of', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((t) => document.createTextNode(t)) as [Text, Text, Text];
    const link = document.createElement('a');
    const records = createSwapRecords();
    records.write(b, () => 'B');
    records.write(a, () => 'A', link);
    records.write(c, () => 'C');
    records.write(b, () => 'BB');
    const seen: Array<[string, Element | undefined]> = [];
    records.forEach((record, node) => seen.push([(node as Text).data, record._private_whole]));
    expect(seen).toEqual([
      ['BB', undefined],
      ['A', link],
      ['C', undefined],
    ]);
  });
});
