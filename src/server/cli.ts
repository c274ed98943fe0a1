#!/usr/bin/env node
// `consentline-server`: reads flags and environment, opens the stores, serves, and shuts down
// gracefully on SIGTERM or SIGINT.
import { USAGE, openStores, readServerConfig } from './config.js';
import { createConsentlineServer, type LogEntry } from './handler.js';
import { serveNode } from './node.js';

const log = (entry: LogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`);
const event = (level: LogEntry['level'], message: string) => log({ time: new Date().toISOString(), level, message });

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const config = readServerConfig(argv, process.env);
  const stores = await openStores(config, (status, detail) => event(status === 'up' ? 'info' : 'warn', detail));
  const handler = createConsentlineServer({
    ...stores,
    token: config.token,
    origins: config.origins,
    retentionDays: config.retentionDays,
    receiptRetentionDays: config.receiptRetentionDays,
    limits: config.limits,
    dev: config.dev,
    log,
  });
  const server = await serveNode(handler, {
    port: config.port,
    host: config.host,
    trustProxy: config.trustProxy,
    maxConnections: config.maxConnections,
  });
  event(
    'info',
    `listening on ${server.url} (leases: ${config.redis ? 'redis' : 'memory'}, records: ${config.db.startsWith('sqlite:') ? 'sqlite' : 'postgres'})`,
  );
  if (!config.token) event('warn', 'no token: the attribution and receipt read APIs answer 403');
  const stop = (signal: string) => {
    event('info', `${signal}: finishing open requests`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`consentline-server: ${error.message}\n\n${USAGE}`);
  process.exit(2);
});
