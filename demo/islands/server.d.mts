/** Starts the islands example's server (server.mjs) on `port` (0: a free one). */
export function startIslandsDemo(options?: {
  port?: number;
  host?: string;
}): Promise<{ url: string; close(): Promise<unknown> }>;
