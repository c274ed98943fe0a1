// The core has no DOM lib: the platform's CSPRNG (browsers and Node 20 both have it) is typed here.
declare const crypto: { getRandomValues(array: Uint8Array): Uint8Array };

/** 16 base-36 characters from the platform's CSPRNG: decision ids and DNI session ids. */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b % 36).toString(36)).join('');
}
