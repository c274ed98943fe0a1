// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createCopies } from '../../../src/dni/swap-copies';
import { createSwapRecords } from '../../../src/dni/swap-records';

afterEach(() => {
  document.body.replaceChildren();
});

// Content the page inserts, put back with what is remembered (after a withdrawal: no token now).
const insert = (html: string, copies = remembered(), token = '') => {
  const box = document.createElement('div');
  box.innerHTML = html;
  document.body.append(box);
  copies._private_revert(box, createSwapRecords(), token);
  return box.innerHTML;
};

const remembered = () => {
  const copies = createCopies();
  copies._private_noteNumber('888-999-0000', '555-123-4567');
  copies._private_noteNumber('+1 888 999 0000', '+1 555 123 4567');
  copies._private_noteNumber('(888) 999-0000', '(555) 123-4567');
  copies._private_noteFill('888 999 0000', '');
  copies._private_noteHref('tel:+18889990000', 'tel:555-123-4567');
  copies._private_noteToken('cl1.visit');
  return copies;
};

describe('copies of what was written: put back by the value, never by what merely looks like it', () => {
  it('numbers as written in text get the page’s writing, wherever they stand in a text node and in a number link’s labels', () => {
    expect(
      insert(
        '<p>Call 888-999-0000 or +1 888 999 0000.</p><a href="tel:+18889990000" title="(888) 999-0000 (24 h)" aria-label="888-999-0000">x</a>',
      ),
    ).toBe(
      '<p>Call 555-123-4567 or +1 555 123 4567.</p><a href="tel:555-123-4567" title="(555) 123-4567 (24 h)" aria-label="555-123-4567">x</a>',
    );
  });

  it('never inside a longer digit run, and another number with the same area code is left alone', () => {
    const html = '<p>Order 1888-999-00001, fax (888) 555-1212</p><a href="tel:+18885551212"><b>(888)</b> 555-1212</a>';
    expect(insert(html)).toBe(html);
  });

  it('a number split across a link’s markup is put back as a whole, its markup kept', () => {
    expect(insert('<a href="tel:+18889990000"><b>(888)</b> 999-0000</a>')).toBe(
      '<a href="tel:555-123-4567"><b>(555)</b> 123-4567</a>',
    );
  });

  it('a fill goes only where a placeholder was; an href only as a whole', () => {
    expect(
      insert('<span data-dni="">888 999 0000</span><p>888 999 0000</p><a href="tel:+18889990000;ext=1">x</a>'),
    ).toBe('<span data-dni=""></span><p>888 999 0000</p><a href="tel:+18889990000;ext=1">x</a>');
  });

  it('a token field holding a token set here goes unless it is the one set now; the site’s own field stays', () => {
    const form = '<form><input type="hidden" name="consentline_token" value="cl1.visit"></form>';
    const own = '<form><input type="hidden" name="consentline_token" value="site"></form>';
    expect(insert(form + own)).toBe('<form></form>' + own);
    expect(insert(form, remembered(), 'cl1.visit')).toBe(form);
  });

  it('never where the swapper never writes: form fields, editable regions, code, data-no-swap, its shadow content included', () => {
    const html =
      '<textarea>Call 888-999-0000</textarea><div contenteditable="">888-999-0000</div>' +
      '<script type="application/json">{"tel":"888-999-0000"}</script>' +
      '<div data-no-swap=""><p>Sales 888-999-0000</p><a href="tel:+18889990000" title="888-999-0000">' +
      '<b>(888)</b> 999-0000</a></div>';
    expect(insert(html)).toBe(html);
    const box = document.createElement('div');
    box.setAttribute('data-no-swap', '');
    const host = document.createElement('x-card');
    box.append(host);
    host.attachShadow({ mode: 'open' }).innerHTML = '<p>888-999-0000</p>';
    document.body.append(box);
    remembered()._private_revert(host.shadowRoot!, createSwapRecords(), '');
    expect(host.shadowRoot!.innerHTML).toBe('<p>888-999-0000</p>');
  });

  it('a number written in full-width or Arabic-Indic digits gets its own back, never inside a longer run of such digits', () => {
    const copies = createCopies();
    copies._private_noteNumber('８８８-９９９-００００', '５５５-１２３-４５６７');
    copies._private_noteNumber('٨٨٨-٩٩٩-٠٠٠٠', '٥٥٥-١٢٣-٤٥٦٧');
    expect(insert('<p>電話 ８８８-９９９-００００ / ٨٨٨-٩٩٩-٠٠٠٠</p>', copies)).toBe(
      '<p>電話 ５５５-１２３-４５６７ / ٥٥٥-١٢٣-٤٥٦٧</p>',
    );
    const longer = '<p>注文 １８８８-９９９-００００ / ٨٨٨-٩٩٩-٠٠٠٠٣</p>';
    expect(insert(longer, copies)).toBe(longer);
  });

  it('nothing remembered: nothing is read or written', () => {
    const html = '<p>Call 888-999-0000</p><input name="consentline_token" value="cl1.visit">';
    expect(createCopies()._private_any()).toBe(false);
    expect(insert(html, createCopies())).toBe(html);
  });

  it('a node a record knows (content the page moved) is left to the swapper', () => {
    const copies = remembered();
    const p = document.createElement('p');
    p.textContent = 'Call 888-999-0000';
    const records = createSwapRecords();
    records.write(p.firstChild as Text, () => undefined);
    document.body.append(p);
    copies._private_revert(p, records, '');
    expect(p.textContent).toBe('Call 888-999-0000');
  });
});
