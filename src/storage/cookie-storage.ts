import Cookies from 'js-cookie';
import { createMemoryStorage } from '../core/memory-storage';
import type { ConsentStorage } from '../core/types';

/** Options of {@link createCookieStorage}. */
export interface CookieStorageOptions {
  /** Cookie name. @default 'consentline' */
  name?: string;
  /** Cookie domain, e.g. `example.com` to share the decision with subdomains. @default the current host only */
  domain?: string;
  /** Channel name used to tell other tabs about a change. @default 'consentline' */
  channel?: string;
}

const readAll = (name: string): string[] => {
  const values: string[] = [];
  let jar = '';
  try {
    jar = document.cookie;
  } catch {
    return values;
  }
  for (const pair of jar.split('; ')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === name) {
      try {
        values.push(decodeURIComponent(pair.slice(eq + 1)));
      } catch {
        values.push('\u0000');
      }
    }
  }
  return values;
};

/**
 * Keeps the decision in a first-party cookie (js-cookie; `SameSite=Lax`, `Secure` on https,
 * `Path=/`). Every write is read back: when cookies are disabled, or a configured domain is
 * refused (a public suffix, another site), it falls back to the host, then to memory for this page.
 * Two cookies of the same name that disagree (two paths or domains) read as no value.
 */
export function createCookieStorage(options: CookieStorageOptions = {}): ConsentStorage {
  const { name = 'consentline', domain, channel = 'consentline' } = options;
  const secure = location.protocol === 'https:';
  const base = { path: '/', sameSite: 'Lax', secure } as const;
  let fallback: ConsentStorage | undefined;
  let bc: BroadcastChannel | undefined;

  const remove = () => {
    try {
      Cookies.remove(name, base);
      if (domain) Cookies.remove(name, { ...base, domain });
    } catch {
      // Cookies disabled: nothing to remove.
    }
  };

  const tryWrite = (value: string, expires: number, withDomain: string | undefined): boolean => {
    try {
      Cookies.set(name, value, withDomain ? { ...base, domain: withDomain, expires: new Date(expires) } : { ...base, expires: new Date(expires) });
    } catch {
      return false;
    }
    const back = readAll(name);
    return back.length === 1 && back[0] === value;
  };

  const channelFor = (): BroadcastChannel | undefined => {
    if (!bc && typeof BroadcastChannel === 'function') {
      try {
        bc = new BroadcastChannel(channel);
      } catch {
        // Opaque origins refuse channels; other tabs then catch up on focus.
      }
    }
    return bc;
  };

  return {
    read() {
      if (fallback) return fallback.read();
      const values = readAll(name);
      if (values.length === 0) return undefined;
      return values.every((v) => v === values[0]) ? values[0] : undefined;
    },
    write(value, expires) {
      fallback = undefined;
      if (domain && tryWrite(value, expires, domain)) return;
      if (domain) remove();
      if (tryWrite(value, expires, undefined)) return;
      remove();
      fallback = createMemoryStorage(value);
    },
    remove() {
      fallback = undefined;
      remove();
    },
    notify() {
      try {
        channelFor()?.postMessage('change');
      } catch {
        // No channel: other tabs catch up when they regain focus.
      }
    },
    watch(onChange) {
      const ch = channelFor();
      const onMessage = () => onChange();
      const onVisible = () => {
        if (document.visibilityState === 'visible') onChange();
      };
      ch?.addEventListener('message', onMessage);
      document.addEventListener('visibilitychange', onVisible);
      window.addEventListener('focus', onChange);
      return () => {
        ch?.removeEventListener('message', onMessage);
        document.removeEventListener('visibilitychange', onVisible);
        window.removeEventListener('focus', onChange);
        ch?.close();
        bc = undefined;
      };
    },
  };
}
