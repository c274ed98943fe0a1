// One constructed stylesheet adopted by the document: under `style-src 'self'` a <style> element
// is a violation but CSSOM is not, and the light DOM keeps the banner visible to the privacy tools
// that answer banners for the visitor (they do not look inside shadow roots). Everything is scoped
// under #consentline (and .consentline-ph for embed placeholders), starts from `all: revert`, and
// every declaration is made !important at runtime, so the host page's CSS cannot restyle the UI
// and ours cannot reach the page. Theme through the --cl-* custom properties (they inherit).
const R = '#consentline';
const CSS = `${R},${R} *,.consentline-ph,.consentline-ph *{all:revert;box-sizing:border-box;}
${R},.consentline-ph{font:16px/1.5 var(--cl-font,system-ui,sans-serif);color:var(--cl-fg,#1d2433);}
${R}{position:fixed;z-index:2147483646;}
${R} .b,${R} dialog{background:var(--cl-bg,#fff);color:inherit;padding:var(--cl-space,1rem);border:0;border-radius:var(--cl-radius,8px);box-shadow:0 2px 16px #0006;}
${R} .b{position:fixed;inset:auto 0 0;max-height:50vh;overflow:auto;display:flex;flex-wrap:wrap;gap:var(--cl-space,1rem);align-items:center;border-radius:0;}
${R} .cx{padding-inline-end:3.5rem;}
${R} .top{inset:0 0 auto;}
${R} .center{inset:50% auto auto 50%;transform:translate(-50%,-50%);width:min(36rem,calc(100vw - 2rem));border-radius:var(--cl-radius,8px);}
${R} .t{flex:1 1 20rem;}
${R} p{margin:0 0 .5rem;}
${R} h2{font-size:1.25rem;margin:0 0 .5rem;padding-inline-end:3rem;}
${R} .a,.consentline-ph{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;}
${R} .b .a{flex:1 1 28rem;}
${R} button,.consentline-ph button{font:inherit;min-height:44px;min-width:44px;padding:.5rem 1rem;border:2px solid var(--cl-accent,#1a4fa0);border-radius:var(--cl-radius,8px);background:var(--cl-accent,#1a4fa0);color:var(--cl-accent-fg,#fff);cursor:pointer;}
${R} .x{position:absolute;top:.25rem;inset-inline-end:.25rem;padding:0;background:var(--cl-bg,#fff);color:inherit;border-color:transparent;}
${R} .r{position:fixed;bottom:1rem;inset-inline-start:1rem;}
${R} :focus-visible,.consentline-ph :focus-visible{outline:3px solid var(--cl-focus,#b3400b);outline-offset:2px;}
${R} a{color:var(--cl-link,#1a4fa0);text-decoration:underline;}
${R} dialog{width:min(40rem,calc(100vw - 1rem));max-height:calc(100vh - 1rem);overflow:auto;}
${R} dialog::backdrop{background:#0008;}
${R} .c{border-top:1px solid #0003;padding:.5rem 0;}
${R} label{display:flex;gap:.5rem;align-items:center;font-weight:700;}
${R} input{width:1.5rem;height:1.5rem;margin:0;accent-color:var(--cl-accent,#1a4fa0);}
${R} .n{font-weight:700;}
${R} [hidden]{display:none;}
${R} .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap;}
.consentline-ph{display:inline-grid;align-content:center;overflow:hidden;vertical-align:baseline;padding:1rem;background:var(--cl-ph,#eef1f5);text-align:center;}`.replace(/;/g, '!important;');

let sheet: CSSStyleSheet | HTMLStyleElement | undefined;
let users = 0;

/** Applies the UI's styles to the document; returns the release (the last release removes them). */
export function adoptStyles(): () => void {
  const d = document;
  if (!users++) {
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
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users || !sheet) return;
    if (sheet instanceof CSSStyleSheet) d.adoptedStyleSheets = d.adoptedStyleSheets.filter((s) => s !== sheet);
    else sheet.remove();
    sheet = undefined;
  };
}
