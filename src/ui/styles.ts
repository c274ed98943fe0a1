// Constructed stylesheets adopted by the document, one for the UI and one for embed placeholders:
// under `style-src 'self'` a <style> element is a violation but CSSOM is not, and the light DOM keeps the banner visible to the privacy tools
// that answer banners for the visitor (they do not look inside shadow roots). Everything is scoped
// under #consentline (and .consentline-ph for embed placeholders), starts from `all: revert`, and
// every declaration is made !important at runtime, so the host page's CSS cannot restyle the UI
// and ours cannot reach the page. Theme through the --cl-* custom properties (they inherit); the
// dark set applies under `theme: 'dark'`, or with the default 'auto' when the visitor prefers dark.
// `color-scheme` is set on our own root, so a page's `color-scheme` never mixes dark controls into
// a light UI (or the reverse). Sizes are in px and em, not rem: a page's root font size is not ours.
import { doc, h, setDoc } from './dom.js';
import { rtlLanguages } from './i18n/direction.js';

const R = '#consentline';
const LIGHT =
  '--g:var(--cl-bg,#fff);--f:var(--cl-fg,#171c26);--m:var(--cl-muted,#566072);--l:var(--cl-line,#dfe3ea);--u:var(--cl-surface,#f3f5f9);--a:var(--cl-accent,#252d3c);--af:var(--cl-accent-fg,#fff);--o:var(--cl-on,#2563eb);color-scheme:light;';
const DARK =
  '--g:var(--cl-dark-bg,#191c23);--f:var(--cl-dark-fg,#eceff4);--m:var(--cl-dark-muted,#a7afbd);--l:var(--cl-dark-line,#353b48);--u:var(--cl-dark-surface,#22262f);--a:var(--cl-dark-accent,#dde3ee);--af:var(--cl-dark-accent-fg,#151a24);--o:var(--cl-dark-on,#5b8cff);color-scheme:dark;';
// The tokens the root sets, which every element inside takes from it: `all` does not reset custom
// properties, so a page rule setting one on every element (`*{--a:red}`) would reach them otherwise.
const INHERITED = ['g', 'f', 'm', 'l', 'u', 'a', 'af', 'o', 'r', 's'].map((token) => `--${token}:inherit;`).join('');
// The rules our UI's root and an embed placeholder share, written for either one's selector: the
// reset, the type, the theme (light, dark by class, or dark by preference under 'auto'), paragraphs,
// buttons and focus. The root reads the --cl-* theme it inherits (from the page's :root) or is given.
// Hover lightens a button with an inset shadow, which is painted in the button alone: a filter or an
// opacity below 1 makes it a stacking context, a new layer and a layout on every pointer crossing.
const shared = (S: string) => `${S},${S} *,${S} ::before,${S} ::after{all:revert;box-sizing:border-box;}
${S} *,${S} ::before,${S} ::after{${INHERITED}}
${S}{font:16px/1.5 var(--cl-font,system-ui,sans-serif);color:var(--f);--r:var(--cl-radius,12px);--s:var(--cl-space,20px);${LIGHT}}
${S}.dark{${DARK}}
@media(prefers-color-scheme:dark){${S}:not(.light){${DARK}}}
${S} p{margin:0;}
${S} button{font:inherit;font-weight:600;min-height:44px;min-width:44px;padding:8px 18px;border:1px solid var(--a);border-radius:calc(var(--r) - 4px);background:var(--a);color:var(--af);cursor:pointer;white-space:nowrap;}
${S} button:hover{box-shadow:inset 0 0 0 99em #fff2;}
${S} :focus-visible{outline:2px solid var(--o);outline-offset:2px;}
`;

/** A part of our styles: its root's selector, and the rules of its own besides the shared ones. */
export interface Look {
  _private_root: string;
  _private_rules: string;
}

/** The style text of `look`: the shared rules for its root, then its own, every declaration !important. */
export const styleText = (look: Look): string =>
  (shared(look._private_root) + look._private_rules).replace(/;\n?/g, '!important;');

// The UI's own rules, which the banner's server-rendered copy (framework bindings) carries too.
const UI_RULES = `${R}{position:fixed;z-index:2147483646;inset:auto;margin:0;padding:0;border:0;background:none;overflow:visible;}
${R} .b,${R} dialog{background:var(--g);color:var(--f);border:1px solid var(--l);border-radius:var(--r);box-shadow:0 12px 40px #0003;}
${R} .b{position:fixed;max-height:50vh;overflow:auto;padding:var(--s);display:flex;flex-wrap:wrap;gap:12px var(--s);align-items:center;}
${R} .hd{visibility:hidden;}
${R} .bar{inset:auto 0 0;border-width:1px 0 0;border-radius:0;padding-inline:max(var(--s),50% - 36em);}
${R} .bar.top{inset:0 0 auto;border-width:0 0 1px;}
${R} .box{inset-block:auto 16px;inset-inline:auto 16px;width:min(26em,100vw - 32px);}
${R} .box.top{inset-block:16px auto;}
${R} .modal{inset:50% auto auto 50%;transform:translate(-50%,-50%);width:min(34em,100vw - 32px);}
${R} .modal:where(.e){inset:auto auto 16px 50%;transform:translateX(-50%);}
${R} .modal:where(.e.top){inset:16px auto auto 50%;}
${R} .cx .t{padding-inline-end:32px;}
${R} .bar.cx{padding-inline-end:max(56px,50% - 36em);}
${R} .t{flex:1 1 24em;}
${R} .t p+p{margin-top:4px;font-size:.9375em;color:var(--m);}
${R} strong{font-size:1.0625em;font-weight:650;}
${R} .a{display:grid;grid-template-columns:repeat(auto-fit,minmax(9em,1fr));gap:8px;flex:1 1 100%;}
${R} .bar .a{grid-template-columns:none;grid-auto-flow:column;grid-auto-columns:1fr;flex:0 0 auto;}
${R} .box .a{grid-template-columns:1fr;}
${R} .x{position:absolute;top:12px;inset-inline-end:12px;width:36px;height:36px;min-width:0;min-height:0;padding:0;border:0;border-radius:50%;background:none;color:var(--m);font-size:0;}
${R} .x:hover{background:var(--u);color:var(--f);box-shadow:none;}
${R} .x::before,${R} .x::after{content:"";position:absolute;top:17px;left:10px;width:16px;height:2px;border-radius:1px;background:currentColor;transform:rotate(45deg);}
${R} .x::after{transform:rotate(-45deg);}
${R} .r{position:fixed;bottom:16px;inset-inline-start:16px;border-color:var(--l);border-radius:22px;background:var(--g);color:var(--f);font-size:.875em;box-shadow:0 4px 16px #0003;}
${R} .r.e{inset-inline:auto 16px;}
${R} a{color:var(--a);text-decoration:underline;text-underline-offset:2px;}
${R} dialog{position:fixed;inset:0;margin:auto;width:min(40em,100vw - 32px);max-width:none;max-height:min(46em,100vh - 32px);padding:0;display:flex;flex-direction:column;overflow:hidden;}
${R} dialog:not([open]){display:none;}
${R} dialog::backdrop{background:#0b0e1480;}
${R} h2{margin:0;padding:var(--s) 0 12px;padding-inline:var(--s) 64px;font-size:1.25em;font-weight:650;line-height:1.3;}
${R} dialog .x{top:14px;}
${R} .l{overflow:auto;padding:0 var(--s);flex:1 1 auto;min-height:0;}
${R} .c{padding:14px 0;border-top:1px solid var(--l);}
${R} .c:first-child{border:0;}
${R} .c p{margin-top:4px;font-size:.9375em;color:var(--m);}
${R} .s{display:flex;gap:16px;align-items:center;justify-content:space-between;font-weight:600;cursor:pointer;}
${R} input{appearance:none;position:relative;flex:none;width:44px;height:24px;margin:0;border:1px solid #0000;border-radius:12px;background:var(--m);cursor:pointer;transition:background-color .15s;}
${R} input::before{content:"";position:absolute;top:2px;inset-inline-start:2px;width:18px;height:18px;border-radius:50%;background:var(--g);box-shadow:0 1px 2px #0005;transition:inset-inline-start .15s;}
${R} input:checked{background:var(--o);}
${R} input:checked::before{inset-inline-start:22px;}
${R} input:disabled{opacity:.5;cursor:not-allowed;}
${R} .n{font-weight:600;color:var(--f);}
${R} details{margin-top:8px;font-size:.875em;}
${R} summary{cursor:pointer;color:var(--a);font-weight:600;width:fit-content;}
${R} table{width:100%;margin-top:8px;border-collapse:collapse;}
${R} th,${R} td{padding:6px 8px;border-bottom:1px solid var(--l);text-align:start;vertical-align:top;}
${R} td{overflow-wrap:anywhere;}
${R} th{background:var(--u);color:var(--m);font-weight:600;}
${R} dialog .a{flex:none;padding:16px var(--s);border-top:1px solid var(--l);background:var(--u);}
${R} [hidden]{display:none;}
${R} .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);}
@media(max-width:40em){${R} .b{inset:auto 0 0;width:auto;transform:none;border-width:1px 0 0;border-radius:var(--r) var(--r) 0 0;}${R} .b.top{inset:0 0 auto;border-width:0 0 1px;border-radius:0 0 var(--r) var(--r);}${R} .a,${R} .bar .a{grid-template-columns:1fr;grid-auto-flow:row;flex:1 1 100%;}${R} dialog{margin:auto 0 0;width:100%;max-height:90vh;border-width:1px 0 0;border-radius:var(--r) var(--r) 0 0;}}
@media(forced-colors:active){${R} input,${R} .x{forced-color-adjust:none;}${R} input{border-color:ButtonText;background:Canvas;}${R} input::before{background:ButtonText;box-shadow:none;}${R} input:checked{border-color:Highlight;background:Highlight;}${R} input:checked::before{background:HighlightText;}${R} input:disabled{opacity:1;border-color:GrayText;}${R} input:checked:disabled{background:GrayText;}${R} .x,${R} .x:hover{color:ButtonText;background:ButtonFace;}${R} :focus-visible{outline-color:Highlight;}}
@media(max-height:32em){${R} dialog{overflow:auto;}${R} .l{flex:none;}}
@media(prefers-reduced-motion:reduce){${R} *{transition:none;}}`;

/** The banner's, the dialog's and the reopen button's styles: what every page with the UI adopts. */
export const UI_LOOK: Look = {
  _private_root: R,
  // The banner's copy that a framework binding renders on the server (class `cp`) hides while the
  // UI is mounted (the script tag's, before the page hydrates, or another island's): the mount
  // adopts this rule, which the copy's own <style> leaves out. No `:has()` (Firefox before 121,
  // Safari before 15.4), and a copy streamed in after the mount hides too.
  _private_rules: `${UI_RULES}
${R}.cp{display:none;}`,
};

const P = '.consentline-ph';

/**
 * Embed placeholders' styles, adopted with the first placeholder drawn. The script tag ships them
 * in its embed add-on (dist/embeds.js), so a page without embeds carries none of them: the add-on
 * has the SDK that loads it write and adopt them (EmbedOptions' `adoptLook`), so it carries only
 * the placeholder's own rules, not the shared ones.
 */
export const PLACEHOLDER_LOOK: Look = {
  _private_root: P,
  _private_rules: `${P} p{font-size:.875em;}
${P}{display:inline-grid;align-content:center;justify-items:center;gap:12px;overflow:hidden;vertical-align:baseline;padding:var(--s);background:var(--u);border:1px dashed var(--m);border-radius:var(--r);text-align:center;}`,
};

/**
 * The UI's styles, for the server-rendered copy of the first layer in the framework bindings: before
 * any script runs, a <style> element is the only way to style it. Embed placeholders are drawn only
 * in the browser, which adopts their own sheet with the first one.
 */
export const CSS = /* @__PURE__ */ copyStyle();

/**
 * {@link CSS}. The copy's root carries the UI's direction only when its language is given: strings
 * given without one are the page's, and a page that says its language but not its direction
 * (`<html lang="ar">`) is laid out left to right, where the live UI, which reads `<html lang>`,
 * is laid out in that language's direction. So the copy takes it from the language it inherits.
 */
function copyStyle(): string {
  const rtl = rtlLanguages()
    .map((tag) => `:lang(${tag})`)
    .join();
  return styleText({ _private_root: R, _private_rules: `${UI_RULES}\n${R}.cp:not([dir]):is(${rtl}){direction:rtl;}` });
}

interface Adopted {
  _private_sheet: CSSStyleSheet | HTMLStyleElement;
  _private_users: number;
}

// A look is adopted by every part that needs it (the UI's by each mount, the placeholders' by each
// embed holder), and they may be torn down in any order: its sheet stays until the last of them
// has cleaned up. By root selector: the script tag's embed add-on uses the SDK's copy of this module.
const adopted = new Map<string, Adopted>();

// A new sheet for `look`, in the document's adopted sheets after the page's own.
const attach = (look: Look): Adopted => {
  const css = styleText(look);
  let sheet: CSSStyleSheet | HTMLStyleElement;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    setDoc('adoptedStyleSheets', [...doc('adoptedStyleSheets'), sheet]);
  } catch {
    // No constructable stylesheets (older browsers): a <style> element, which works without a strict CSP.
    sheet = h('style', { textContent: css });
    doc('head').append(sheet);
  }
  const attached = { _private_sheet: sheet, _private_users: 0 };
  adopted.set(look._private_root, attached);
  return attached;
};

/** Applies `look` to the document (once, however many callers); returns its release, and the last release removes it. */
export function adoptLook(look: Look): () => void {
  const root = look._private_root;
  const mine = adopted.get(root) ?? attach(look);
  mine._private_users++;
  let released = false;
  return () => {
    if (released || adopted.get(root) !== mine) return;
    released = true;
    if (--mine._private_users) return;
    const sheet = mine._private_sheet;
    if (sheet instanceof CSSStyleSheet)
      setDoc(
        'adoptedStyleSheets',
        doc('adoptedStyleSheets').filter((s) => s !== sheet),
      );
    else sheet.remove();
    adopted.delete(root);
  };
}
