// One constructed stylesheet adopted by the document: under `style-src 'self'` a <style> element
// is a violation but CSSOM is not, and the light DOM keeps the banner visible to the privacy tools
// that answer banners for the visitor (they do not look inside shadow roots). Everything is scoped
// under #consentline (and .consentline-ph for embed placeholders), starts from `all: revert`, and
// every declaration is made !important at runtime, so the host page's CSS cannot restyle the UI
// and ours cannot reach the page. Theme through the --cl-* custom properties (they inherit).
const R = '#consentline';
const P = '.consentline-ph';
// Exported for the server-rendered copy of the first layer in the framework bindings: before any
// script runs, a <style> element is the only way to style it.
// Custom properties are not reset by `all`, so the --cl-* theme inherits from the page's :root.
export const CSS = `${R},${R} *,${P},${P} *{all:revert;box-sizing:border-box;}
${R},${P}{font:16px/1.5 var(--cl-font,system-ui,sans-serif);color:var(--cl-fg,#1d2433);--a:var(--cl-accent,#1a4fa0);--g:var(--cl-bg,#fff);--r:var(--cl-radius,8px);--s:var(--cl-space,1rem);}
${R}{position:fixed;z-index:2147483646;}
${R} .b,${R} dialog{background:var(--g);color:inherit;padding:var(--s);border:0;border-radius:var(--r);box-shadow:0 0 9px #0008;max-height:calc(100vh - 1rem);overflow:auto;}
${R} .b{position:fixed;inset:auto 0 0;max-height:50vh;display:flex;flex-wrap:wrap;gap:var(--s);align-items:center;border-radius:0;}
${R} .cx{padding-inline-end:3.5rem;}
${R} .top{inset:0 0 auto;}
${R} .center{inset:50% auto auto 50%;transform:translate(-50%,-50%);width:min(36rem,calc(100vw - 2rem));border-radius:var(--r);}
${R} .t{flex:1 1 20rem;}
${R} p{margin:0 0 .5rem;}
${R} h2{margin:0 0 .5rem;padding-inline-end:3rem;}
${R} .a,${P}{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;}
${R} .b .a{flex:1 1 28rem;}
${R} button,${P} button{font:inherit;min-height:44px;min-width:44px;padding:.5rem 1rem;border:2px solid var(--a);border-radius:var(--r);background:var(--a);color:var(--cl-accent-fg,#fff);cursor:pointer;}
${R} .x{position:absolute;top:.25rem;inset-inline-end:.25rem;padding:0;background:var(--g);color:inherit;border-color:#0000;}
${R} .r{position:fixed;bottom:1rem;inset-inline-start:1rem;}
${R} a{color:var(--a);text-decoration:underline;}
${R} dialog{width:min(40rem,calc(100vw - 1rem));}
${R} .c{border-top:1px solid;padding:.5rem 0;}
${R} label,${R} .n{display:flex;gap:.5rem;align-items:center;font-weight:700;}
${R} input{width:1.5rem;height:1.5rem;margin:0;accent-color:var(--a);}
${R} [hidden]{display:none;}
${R} .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);}
${P}{display:inline-grid;align-content:center;overflow:hidden;vertical-align:baseline;padding:1rem;background:var(--g);border:1px dashed;text-align:center;}`.replace(/;\n?/g, '!important;');

let sheet: CSSStyleSheet | HTMLStyleElement | undefined;

/** Applies the UI's styles to the document (once, however many callers); returns their removal. */
export function adoptStyles(): () => void {
  const d = document;
  if (!sheet) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      d.adoptedStyleSheets = [...d.adoptedStyleSheets, sheet];
    } catch {
      // No constructable stylesheets (older browsers): a <style> element, which works without a strict CSP.
      sheet = d.createElement('style');
      sheet.textContent = CSS;
      d.head.append(sheet);
    }
  }
  return () => {
    if (sheet instanceof CSSStyleSheet) d.adoptedStyleSheets = d.adoptedStyleSheets.filter((s) => s !== sheet);
    else sheet?.remove();
    sheet = undefined;
  };
}
