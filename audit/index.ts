// The audit trail's public surface: what the gateway, the scripts and the tests import.
export * from './record.js';
export * from './store.js';
export { FileAuditStore, type FileAuditStoreOptions } from './file-store.js';
export { PgAuditStore, type PgAuditStoreOptions } from './pg-store.js';
export { migratePgAudit, dropPgAudit, describePgAudit, type PgAuditSchemaOptions } from './pg-schema.js';
export { createCheckpointSigner, CheckpointVerifier, loadOrCreateAuditDevKeyPair, publicJwkOf, type CheckpointSigner } from './checkpoint.js';
export { loadAuditConfig, type AuditConfig } from './config.js';
export { AuditTrail, openAuditStore, openAuditTrail, type AuditTrailOptions } from './trail.js';
export { verifyChain, type VerifyFailure, type VerifyFailureReason, type VerifyResult } from './verify.js';
export { applyRetention, retentionCutoff, type RetentionOptions, type RetentionResult } from './retention.js';
