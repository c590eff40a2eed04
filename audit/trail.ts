// The audit trail the gateway writes to: a store plus signed checkpoints every N records, on demand and
// on close. `openAuditTrail()` builds it from the environment.
import { createLogger, type Logger } from '../platform/log.js';
import { createCheckpointSigner, type CheckpointSigner } from './checkpoint.js';
import { loadAuditConfig, type AuditConfig } from './config.js';
import { FileAuditStore } from './file-store.js';
import { PgAuditStore } from './pg-store.js';
import type { AuditRecordInput, Checkpoint, StoredAuditRecord } from './record.js';
import type { AuditHead, AuditStore } from './store.js';

export interface AuditTrailOptions {
  /** Sign a checkpoint after every this many records (`AUDIT_CHECKPOINT_EVERY`, default 100). */
  checkpointEvery?: number;
  logger?: Logger;
}

export class AuditTrail {
  private readonly every: number;
  private readonly log: Logger;
  private readonly pending = new Set<Promise<unknown>>();
  private lastAppended = 0;
  private lastSigned = 0;

  constructor(
    readonly store: AuditStore,
    readonly signer: CheckpointSigner,
    options: AuditTrailOptions = {},
  ) {
    this.every = options.checkpointEvery ?? 100;
    if (!Number.isSafeInteger(this.every) || this.every < 1) throw new RangeError(`checkpointEvery must be a positive whole number, got ${this.every}`);
    this.log = options.logger ?? createLogger('audit');
  }

  /**
   * Records one request; resolves once the record is durable. Rejects with AuditUnavailableError when it
   * could not be stored (the caller must then not disclose), or TypeError naming a malformed field.
   */
  async append(input: AuditRecordInput): Promise<StoredAuditRecord> {
    const record = await this.store.append(input);
    this.lastAppended = Math.max(this.lastAppended, record.seq);
    // Every seq is returned to exactly one caller, so exactly one caller signs each multiple of N.
    if (record.seq % this.every === 0) this.track(this.checkpointAt(record));
    return record;
  }

  /** Resolves when the store would take a record now (the gateway's /ready); rejects with AuditUnavailableError. */
  ready(): Promise<void> {
    return this.store.probe();
  }

  /** Signs and stores a checkpoint of the current head now; null when the trail is empty. */
  async checkpoint(): Promise<Checkpoint | null> {
    const head = await this.store.head();
    return head ? this.checkpointAt(head) : null;
  }

  /** Signs and stores a checkpoint of a given record (retention anchors on one). */
  async checkpointAt(head: AuditHead): Promise<Checkpoint> {
    const cp = await this.signer.sign(head);
    await this.store.appendCheckpoint(cp);
    this.lastSigned = Math.max(this.lastSigned, cp.seq);
    return cp;
  }

  /** Resolves once the automatic checkpoints already started have been stored (or have failed and been logged). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** Waits for background checkpoints, checkpoints the head if this process appended since, closes the store. */
  async close(): Promise<void> {
    await this.idle();
    try {
      if (this.lastAppended > this.lastSigned) await this.checkpoint();
    } catch (err) {
      this.log.error({ err: { code: (err as { code?: string }).code } }, 'final audit checkpoint failed');
    }
    await this.store.close();
  }

  private track(p: Promise<unknown>): void {
    const tracked = p
      // The record itself is durable; a missed checkpoint is retried at the next multiple of N or on close.
      .catch((err) => this.log.error({ err: { code: (err as { code?: string }).code, message: (err as Error).message } }, 'audit checkpoint failed'))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

/** The configured store: PostgreSQL when a database URL is set (as the retention role if asked), else the file store. */
export async function openAuditStore(config: AuditConfig, options: { retention?: boolean; readOnly?: boolean } = {}): Promise<AuditStore> {
  if (config.databaseUrl) {
    const url = options.retention ? (config.retentionDatabaseUrl ?? config.databaseUrl) : config.databaseUrl;
    return new PgAuditStore(url, { schema: config.schema });
  }
  return FileAuditStore.open(config.dir, { readOnly: options.readOnly });
}

/** The gateway's entry point: the trail described by the environment. */
export async function openAuditTrail(config?: AuditConfig, options: { retention?: boolean; logger?: Logger } = {}): Promise<AuditTrail> {
  const cfg = config ?? (await loadAuditConfig());
  if (!cfg.signingKey) throw new Error('the audit trail needs a signing key (AUDIT_SIGNING_KEY)');
  const signer = await createCheckpointSigner(cfg.signingKey);
  const store = await openAuditStore(cfg, { retention: options.retention });
  return new AuditTrail(store, signer, { checkpointEvery: cfg.checkpointEvery, logger: options.logger });
}
