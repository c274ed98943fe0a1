// Helpers for the consent-UI browser tests.
import type { Page } from '@playwright/test';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core violations inside the consent UI (and embed placeholders), as readable strings. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{
            violations: Array<{ id: string; nodes: Array<{ target: string[]; failureSummary?: string }> }>;
          }>;
        };
      }
    ).axe;
    const include = [['#consentline'], ...(document.querySelector('.consentline-ph') ? [['.consentline-ph']] : [])];
    const r = await axe.run({ include }, { runOnly: { type: 'tag', values: tags } });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} ${n.failureSummary ?? ''}`));
  }, AXE_TAGS);
}

/** A page served at `path` with the given <html> attributes, head and body, loading the built SDK. */
export async function routePage(
  page: Page,
  path: string,
  opts: { html?: string; head?: string; config?: unknown; body?: string; csp?: string },
): Promise<void> {
  const config = opts.config
    ? `<script type="application/json" id="consentline-config">${JSON.stringify(opts.config)}</script>`
    : '';
  // Under a nonce-based CSP the SDK's tag carries the nonce `demo` (the policy must name it).
  const nonce = opts.csp ? ' nonce="demo"' : '';
  await page.route(`**${path}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: opts.csp ? { 'content-security-policy': opts.csp } : {},
      body: `<!doctype html><html ${opts.html ?? 'lang="en"'}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title><link rel="stylesheet" href="/site.css">${config}${opts.head ?? ''}<script src="/dist/consentline.min.js"${nonce}></script></head><body><main><h1>Page</h1><p><a href="/">home</a> <button type="button" data-consentline-preferences>Cookie settings</button></p></main>${opts.body ?? ''}</body></html>`,
    }),
  );
}

/**
 * Resolves once the page has rendered two frames after the current task, and run a task after
 * them: layout shifts (and the observer callbacks that report them) of what ran before are in.
 */
export const afterFrames = (page: Page): Promise<void> =>
  page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done)))),
  );

/** Decision and grants as the page sees them. */
export const readState = (page: Page) =>
  page.evaluate(() => {
    const s = (
      window.Consentline!.get as () => { decision: { method: string } | null; grants: Record<string, boolean> }
    )();
    return { method: s.decision?.method ?? null, grants: s.grants };
  });

/** Contrast ratio of two CSS rgb() colours (WCAG 2 relative luminance). */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

/**
 * Records the page's layout shifts not caused by input, from its next load on; returns what reads
 * them (each shift's score).
 */
export async function recordLayoutShifts(page: Page): Promise<() => Promise<number[]>> {
  await page.addInitScript(() => {
    const shifts: number[] = [];
    (window as unknown as { __shifts: number[] }).__shifts = shifts;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
        if (!e.hadRecentInput) shifts.push(e.value);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return () => page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts);
}
