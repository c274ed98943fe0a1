// The Node HTTP adapter: Node's `http` server in front of the web-standard handler.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY, type ConsentlineServer } from './handler.js';

/** Options of {@link serveNode}. */
export interface ServeNodeOptions {
  /** Port to listen on; 0 lets the system choose (see {@link NodeServer.port}). @default 8787 */
  port?: number;
  /** Interface to listen on; `0.0.0.0` for every one (a container). @default '127.0.0.1' */
  host?: string;
  /**
   * Behind proxies, for the per-client limits: `true` (one proxy) makes the client's address the
   * last one in `X-Forwarded-For`, the one your proxy added; a number is how many proxies stand in
   * front (a CDN before a load balancer: 2), and the client is that many entries from the end
   * (what the client wrote itself comes before and is never read). Throws an Error naming the
   * option for anything but a whole number from 0 to 10. @default false
   */
  trustProxy?: boolean | number;
  /** Ms open requests may take to finish on close before their connections are cut. @default 5000 */
  grace?: number;
  /**
   * Connections held at once, idle ones included; one past them is closed unanswered, so a flood
   * of sockets cannot take every file descriptor of the process (keep it below `ulimit -n`, less
   * what the stores use). Throws an Error naming the option for anything but a whole number
   * above 0. @default 10000
   */
  maxConnections?: number;
}

/** What {@link serveNode} returns. */
export interface NodeServer {
  /** `http://host:port`. */
  url: string;
  /** The port listened on (the one the system chose when `port` was 0). */
  port: number;
  /** Stops accepting, lets open requests finish (up to `grace`), then closes the handler and its stores. */
  close(): Promise<void>;
}

/** A request body as it arrived: whole (cut at one byte past the cap), or cut short by the client. */
type Arrived = { kind: 'whole'; body: Buffer } | { kind: 'cut' };

// Reads at most one byte past the cap: enough for the handler to refuse it, without taking in more.
// A body whose client left before its end (fewer bytes than its Content-Length, a chunked body
// without its last chunk) is cut: what came may parse, but it is not what the client sent.
const readCapped = (req: IncomingMessage): Promise<Arrived> =>
  new Promise((done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const whole = () => done({ kind: 'whole', body: Buffer.concat(chunks).subarray(0, MAX_BODY + 1) });
    const cut = () => done({ kind: 'cut' });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.pause();
        whole();
      }
    });
    req.on('end', whole);
    req.on('error', cut);
    req.on('close', () => {
      if (!req.complete) cut();
    });
  });

// What the handler reads for a body cut short: a stream that fails, as any host's would.
const failing = (): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.error(new Error('the client left before its body ended'));
    },
  });

// Each proxy appends the address it was called from: with `proxies` in front, the client is that
// many entries from the end. With fewer entries, the request came past fewer proxies than
// configured: its first entry is the nearest to the client there is.
const clientAddress = (req: IncomingMessage, proxies: number): string | undefined => {
  const forwarded = req.headers['x-forwarded-for'];
  if (!proxies || typeof forwarded !== 'string') return req.socket.remoteAddress;
  const entries = forwarded.split(',').map((entry) => entry.trim());
  return entries[Math.max(0, entries.length - proxies)];
};

const countProxies = (trustProxy: boolean | number): number => {
  if (typeof trustProxy === 'boolean') return trustProxy ? 1 : 0;
  if (!Number.isInteger(trustProxy) || trustProxy < 0 || trustProxy > 10)
    throw new Error('trustProxy: expected true, false or a whole number of proxies from 0 to 10');
  return trustProxy;
};

// The path (and query) a request line names: its origin form as it is, an absolute form's own
// (RFC 9112 requires a server to accept it; its host is not the server's to route by); anything
// else (the asterisk form, `OPTIONS *`) names none.
const pathOf = (target: string): string | undefined => {
  if (target.startsWith('/')) return target;
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
};

async function answer(
  handler: ConsentlineServer,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  proxies: number,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  const path = pathOf(req.url ?? '/');
  if (path === undefined) {
    // Answered without reading a body: the connection is not reused.
    res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: 'the request target is not a path' }));
    return;
  }
  const method = req.method ?? 'GET';
  // Read before the body: a client that leaves part-way takes its socket's address with it.
  const address = clientAddress(req, proxies);
  const arrived = method !== 'GET' && method !== 'HEAD' ? await readCapped(req) : undefined;
  const body = arrived?.kind === 'whole' ? arrived.body : undefined;
  const request = new Request(origin + path, {
    method,
    headers,
    ...(body ? { body: new Uint8Array(body) } : {}),
    ...(arrived?.kind === 'cut' ? { body: failing(), duplex: 'half' } : {}),
  } as RequestInit);
  const response = await handler.fetch(request, { address });
  // A body refused unread: the connection is not reused, so its rest is never parsed as a request.
  if (body && body.length > MAX_BODY) res.setHeader('connection', 'close');
  res.writeHead(response.status, Object.fromEntries(response.headers));
  const reader = response.body?.getReader();
  if (reader) {
    // A body is read from its source (a receipt export: page after page of the database) only as
    // fast as the client takes it, and no further once the client has gone.
    const gone = () => void reader.cancel().catch(() => undefined);
    res.once('close', gone);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (!res.write(chunk.value)) await drained(res);
    }
    res.off('close', gone);
  }
  res.end();
}

// Resolves when the response can take more, or will never take any.
const drained = (res: ServerResponse): Promise<void> =>
  new Promise((done) => {
    if (res.destroyed) {
      done();
      return;
    }
    const finish = () => {
      res.off('drain', finish);
      res.off('close', finish);
      done();
    };
    res.on('drain', finish);
    res.on('close', finish);
  });

/**
 * Serves a {@link ConsentlineServer} over Node's HTTP server; resolves once it listens, rejects
 * when it cannot (the port in use). Bodies above 16 KB are refused (413) without being read.
 *
 * @example
 * const http = await serveNode(server, { port: 8787, host: '0.0.0.0', trustProxy: true });
 */
export function serveNode(handler: ConsentlineServer, options: ServeNodeOptions = {}): Promise<NodeServer> {
  const { port = 8787, host = '127.0.0.1', trustProxy = false, grace = 5000, maxConnections = 10_000 } = options;
  const proxies = countProxies(trustProxy);
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    throw new Error('maxConnections: expected a whole number above 0');
  const origin = `http://${host.includes(':') ? `[${host}]` : host}`;
  // Node checks the header and request timeouts of open connections every 30 s by default, so a
  // socket that sends nothing would be held three times the header timeout: checked every second.
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    answer(handler, req, res, origin, proxies).catch(() => {
      // A body that fails part-way (an export whose database went away) is cut, not ended: an
      // ended chunked body reads as whole, and its reader would take a part for the export.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500);
      res.end();
    });
  });
  // A request's headers within 10 s, its whole body within 15 s (a slow client holds a
  // connection no longer); an idle kept-alive connection closes after Node's 5 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.maxConnections = maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        url: `${origin}:${bound}`,
        port: bound,
        async close() {
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          const cut = setTimeout(() => server.closeAllConnections(), grace);
          await closed;
          clearTimeout(cut);
          await handler.close();
        },
      });
    });
  });
}
