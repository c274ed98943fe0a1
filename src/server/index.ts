// consentline/server: the self-hosted side of call tracking and consent receipts (Node ≥ 20).
export { createConsentlineServer, MAX_BODY } from './handler';
export type { ConsentlineServer, ConsentlineServerOptions, LogEntry, RequestInfo } from './handler';
export { serveNode } from './node';
export type { NodeServer, ServeNodeOptions } from './node';
export { createMemoryLeaseStore, resolvePool } from './leases';
export type { AssignInput, Grant, LeaseStore, LeaseView, PoolConfig, ReleaseInput, ReleaseResult, RenewInput, RenewResult, ResolvedPool } from './leases';
export { createRedisLeaseStore, LeaseStoreUnavailable } from './redis-leases';
export type { RedisLeaseStoreOptions } from './redis-leases';
export { RecordStoreUnavailable } from './records';
export type { AddReceiptResult, FindReceiptResult, LeasePeriod, ReceiptQuery, RecordStore, StoredReceipt } from './records';
export { createSqliteRecordStore } from './sqlite-records';
export type { SqliteRecordStoreOptions } from './sqlite-records';
export { createPostgresRecordStore } from './postgres-records';
export type { PostgresRecordStoreOptions } from './postgres-records';
export { openStores, readServerConfig, readNumbersFile } from './config';
export type { ServerConfig } from './config';
export type { ClientGuard, ClientLimits } from './guard';
export type { AssignRequest, ConsentReceipt, ReleaseRequest, RenewRequest, Touch, VisitContext } from './protocol';
