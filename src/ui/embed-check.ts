import type { Category } from '../core/types.js';

/** An embed provider the site vouches for (see `HeldBackOptions.providers`). */
export interface EmbedProvider {
  /** The categories its embeds need; an embed's `data-category` must name exactly these. */
  categories: readonly string[];
  /** Hosts its embeds load from; `*.example.com` stands for every subdomain of example.com. @default any host */
  hosts?: readonly string[];
}

/** Declared providers by name. */
export type ProviderTable = ReadonlyMap<string, EmbedProvider>;

/** What a held-back element's markup asks for: the categories it needs, or why it is refused. */
export type MarkupRead = { kind: 'ok'; categories: Category[] } | { kind: 'refused'; reason: string };

/** What an embed's markup asks for, once checked: what a click would grant, whom it names and what it loads. */
export type EmbedRead =
  | { kind: 'ok'; categories: Category[]; provider: string; src: URL }
  | { kind: 'refused'; reason: string };

const refuse = (reason: string): { kind: 'refused'; reason: string } => ({ kind: 'refused', reason });

/**
 * Reads `data-category`: every id must be a category the store knows. For an embed, whose
 * placeholder asks for consent, `necessary` is refused too: it is always granted, so naming it would
 * only hide what a click really grants.
 */
export function readCategories(el: HTMLElement, categories: readonly Category[], embed: boolean): MarkupRead {
  const ids = new Set((el.dataset['category'] || '').split(/\s+/).filter(Boolean));
  const found: Category[] = [];
  for (const id of ids) {
    const c = categories.find((k) => k.id === id);
    if (!c) return refuse(`unknown category "${id}"`);
    if (embed && c.required) return refuse(`"${id}" is always granted and cannot be asked for`);
    found.push(c);
  }
  if (!found.length) return refuse('no category');
  return { kind: 'ok', categories: found };
}

/** True when `host` (lower case, as URL gives it) is `pattern`, or a subdomain of `x` when `pattern` is `*.x`. */
const hostMatches = (pattern: string, host: string): boolean => {
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p;
};

/**
 * Checks an embed (`data-category`, `data-src`, `data-provider`). With declared `providers`, its
 * provider must be one of them, with exactly the declared categories and a declared host. The
 * embed's own ids are checked first, so a declaration naming `necessary` or an unknown category
 * matches no embed: its embeds are refused, never let through.
 */
export function readEmbed(
  el: HTMLElement,
  categories: readonly Category[],
  providers: ProviderTable | undefined,
): EmbedRead {
  const read = readCategories(el, categories, true);
  if (read.kind === 'refused') return read;
  // A <div>, <object> or <link> would show a placeholder whose click grants and loads nothing.
  if (!('src' in el)) return refuse('data-src on an element with no src');
  let src: URL | undefined;
  try {
    src = new URL(el.dataset['src'] || 'about:', location.href);
  } catch {
    // Not a URL: refused below.
  }
  // Never a javascript: or data: URL, nor a placeholder whose click grants consent and loads nothing.
  if (!src || !/^https?:$/.test(src.protocol)) return refuse('data-src is not an http(s) URL');
  const name = el.dataset['provider'] || '';
  if (providers) {
    const declared = providers.get(name);
    if (!declared) return refuse(`provider "${name}" is not declared`);
    const ids = read.categories.map((c) => c.id);
    // A declaration from the script-tag config may have lost its categories to validation: it then matches nothing.
    const want = declared.categories ?? [];
    if (ids.length !== want.length || !ids.every((id) => want.includes(id))) {
      return refuse(`categories differ from provider "${name}"'s`);
    }
    if (declared.hosts && !declared.hosts.some((h) => hostMatches(h, src.hostname))) {
      return refuse(`${src.hostname} is not a host of provider "${name}"`);
    }
  }
  return { kind: 'ok', categories: read.categories, provider: name || src.hostname, src };
}
