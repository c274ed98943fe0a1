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

describe('swap records: values written are remembered for the document, so a copy gets its original', () => {
  it('a copy of a written text, href or label gets its original even after a restore; a node a record knows is left to the swapper', () => {
    const records = createSwapRecords();
    const node = document.createTextNode('Call 555-123-4567');
    const a = document.createElement('a');
    a.setAttribute('href', 'tel:5551234567');
    a.setAttribute('title', '555-123-4567');
    records.write(node, (original) => original.replace('555-123-4567', '888-999-0000'));
    records.write(a, () => 'tel:+18889990000');
    records.write(a.getAttributeNode('title')!, () => '888-999-0000');
    const copies = [node.cloneNode() as Text, a.cloneNode() as Element];
    // The nodes themselves still show the write: their records put them back, not this.
    records._private_putBack(node);
    expect(node.data).toBe('Call 888-999-0000');
    records.restore();
    const [text, link] = copies as [Text, Element];
    records._private_putBack(text);
    records._private_putBack(link);
    records._private_putBack(link.getAttributeNode('title')!);
    expect([text.data, link.getAttribute('href'), link.getAttribute('title')]).toEqual([
      'Call 555-123-4567',
      'tel:5551234567',
      '555-123-4567',
    ]);
    expect(records._private_wrote()).toBe(true);
  });

  it('a split number is compared as a whole, never part by part', () => {
    const records = createSwapRecords();
    const parts = [document.createTextNode('(888)'), document.createTextNode(' 999-0000')];
    records._private_wroteWhole('(888) 999-0000', '(555) 123-4567');
    records._private_putBack(parts[0]!);
    expect(parts[0]!.data).toBe('(888)');
    records._private_putBackWhole(parts);
    expect(parts.map((part) => part.data)).toEqual(['(555)', ' 123-4567']);
    // Another number that only starts like it is left alone.
    const other = [document.createTextNode('(888)'), document.createTextNode(' 555-1212')];
    records._private_putBackWhole(other);
    expect(other.map((part) => part.data)).toEqual(['(888)', ' 555-1212']);
  });

  it('a value written over two originals (an empty placeholder and a number) is put back as the number; nothing written, nothing remembered', () => {
    const records = createSwapRecords();
    expect(records._private_wrote()).toBe(false);
    records.write(document.createTextNode(''), () => '888 999 0000');
    records.write(document.createTextNode('555 123 4567'), () => '888 999 0000');
    records.write(document.createTextNode('555 123 4568'), () => '888 999 0000');
    const copy = document.createTextNode('888 999 0000');
    records._private_putBack(copy);
    expect(copy.data).toBe('555 123 4567');
  });
});
