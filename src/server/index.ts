/**
 * The self-hosted side of call tracking and consent receipts (Node 20 or later): one web-standard
 * handler, a Node HTTP adapter, and lease and record stores in memory, Redis, SQLite or PostgreSQL.
 *
 * @packageDocumentation
 */
export { createConsentlineServer } from './handler.js';
export type { ConsentlineServer, ConsentlineServerOptions, LogEntry, RequestInfo } from './handler.js';
export { serveNode } from './node.js';
export type { NodeServer, ServeNodeOptions } from './node.js';
export { createMemoryLeaseStore } from './leases.js';
export type {
  AssignInput,
  AssignResult,
  Grant,
  HolderResult,
  LeaseStore,
  LeaseView,
  PoolConfig,
  ReleaseInput,
  ReleaseResult,
  RenewInput,
  RestingNumber,
  RenewResult,
  ResolvedPool,
} from './leases.js';
export { createRedisLeaseStore, LeaseStoreUnavailable } from './redis-leases.js';
export type { RedisLeaseStoreOptions } from './redis-leases.js';
export { RecordStoreUnavailable } from './records.js';
export type {
  AddReceiptResult,
  FindReceiptResult,
  FindVisitResult,
  ForgetResult,
  LeasePeriod,
  LeaseRecord,
  NumberInUse,
  ReceiptQuery,
  RecordStore,
  StartLeaseResult,
  StoredReceipt,
} from './records.js';
export { createSqliteRecordStore } from './sqlite-records.js';
export type { SqliteRecordStoreOptions } from './sqlite-records.js';
export { createPostgresRecordStore } from './postgres-records.js';
export type { PostgresRecordStoreOptions } from './postgres-records.js';
export type { Allowance, ClientGuard, ClientLimits } from './guard.js';
export type {
  AssignRequest,
  ConsentReceipt,
  ReceiptMethod,
  ReleaseRequest,
  RenewRequest,
  Touch,
  VisitContext,
} from './protocol.js';
export type { EncodedTouch, EncodedVisitContext } from '../core/visit-context.js';
