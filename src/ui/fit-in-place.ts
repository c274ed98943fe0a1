import { fitToAttributes, type Fit } from './held-back-embeds.js';
import { h } from './dom.js';

// The inside of a placeholder drawn in place: the layout the stylesheet gives a placeholder's own box.
const INSIDE = { display: 'grid', height: '100%', 'align-content': 'center', 'justify-items': 'center', gap: '12px' };

/**
 * Sizes a placeholder for an element the script tag hid in place while it fetched the embed add-on
 * (src/entries/boot/embeds-loader.ts). That element has been laid out already, maybe painted: the
 * placeholder takes exactly its box, as an inline-block that clips, whose baseline is its bottom
 * edge as a frame's is, so drawing it moves nothing. Measuring forces a layout: once per such
 * embed, after the page has rendered. Any other element is sized by its attributes.
 */
export const fitInPlace: Fit = (el, box) => {
  if (el.style.getPropertyValue('visibility') !== 'hidden') return fitToAttributes(el, box);
  const r = el.getBoundingClientRect();
  const size = (k: string, v: string) => box.style.setProperty(k, v, 'important');
  size('width', `${r.width}px`);
  size('height', `${r.height}px`);
  size('display', 'inline-block');
  const inside = h('div');
  for (const [k, v] of Object.entries(INSIDE)) inside.style.setProperty(k, v, 'important');
  box.append(inside);
  return inside;
};
