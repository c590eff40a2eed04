// Retention, against both stores: old records go, the removal is itself recorded, and what remains
// still verifies from a signed anchor.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../audit/trail.js';
import { applyRetention, retentionCutoff } from '../../audit/retention.js';
import { verifyChain } from '../../audit/verify.js';
import type { CheckpointSigner } from '../../audit/checkpoint.js';
import { PgServer, appendMany, sampleInput, storeKinds, testSigner, type StoreHarness } from './helpers.js';

const server = new PgServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const NOW = new Date('2026-01-01T00:00:00Z');

describe.each(storeKinds(server))('retention ($kind store)', ({ make }) => {
  let h: StoreHarness;
  let signer: CheckpointSigner;
  let trail: AuditTrail | undefined;
  afterEach(async () => {
    await trail?.close();
    trail = undefined;
    await h?.dispose();
  });

  /** 40 records a minute apart from 2025-01-01T00:01, written by the app, then a trail as the retention job. */
  async function retentionTrail(): Promise<AuditTrail> {
    h = await make();
    signer = await testSigner();
    const app = new AuditTrail(await h.open(), signer, { checkpointEvery: 15 });
    await appendMany(app, 40);
    await app.close();
    trail = new AuditTrail(await h.openRetention(), signer, { checkpointEvery: 15 });
    return trail;
  }

  it('removes records older than the cut-off, records the removal, and the rest still verifies', async () => {
    const t = await retentionTrail();
    const result = await applyRetention(t, { olderThan: sampleInput(26).time, now: NOW });
    expect(result).toMatchObject({ removed: 25, fromSeq: 1, toSeq: 25, anchor: { seq: 25 } });
    expect(result.record).toMatchObject({
      seq: 41,
      kind: 'RETENTION',
      purpose: 'RETENTION',
      retention: { removed: 25, fromSeq: 1, toSeq: 25, olderThan: sampleInput(26).time, anchorSeq: 25, anchorHash: result.anchor!.hash },
    });
    expect((await t.store.readRange(0, 1))[0].seq).toBe(26);
    expect(await t.store.count()).toBe(16);
    expect(await verifyChain(t.store, signer.publicJwk)).toMatchObject({ ok: true, firstSeq: 26, lastSeq: 41, anchorSeq: 25, records: 16 });
  });

  it('keeps verifying as appends continue after retention, and across a reopen', async () => {
    const t = await retentionTrail();
    await applyRetention(t, { olderThan: sampleInput(11).time, now: NOW });
    await appendMany(t, 5, 100);
    await t.close();
    trail = undefined;
    const store = await h.open();
    try {
      expect(await verifyChain(store, signer.publicJwk)).toMatchObject({ ok: true, firstSeq: 11, lastSeq: 46 });
    } finally {
      await store.close();
    }
  });

  it('can run again later, anchoring on the newer checkpoint', async () => {
    const t = await retentionTrail();
    await applyRetention(t, { olderThan: sampleInput(11).time, now: NOW });
    const second = await applyRetention(t, { olderThan: sampleInput(31).time, now: NOW });
    expect(second).toMatchObject({ removed: 20, fromSeq: 11, toSeq: 30 });
    expect(await verifyChain(t.store, signer.publicJwk)).toMatchObject({ ok: true, firstSeq: 31, anchorSeq: 30 });
  });

  it('removes every record when all are due, and the trail carries on from the anchor', async () => {
    const t = await retentionTrail();
    const result = await applyRetention(t, { olderThan: '2025-12-31T00:00:00Z', now: NOW });
    expect(result).toMatchObject({ removed: 40, toSeq: 40, record: { seq: 41 } });
    expect(await t.store.count()).toBe(1);
    expect((await t.append(sampleInput(99))).seq).toBe(42);
    expect(await verifyChain(t.store, signer.publicJwk)).toMatchObject({ ok: true, firstSeq: 41, lastSeq: 42, anchorSeq: 40 });
  });

  it('runs while the application keeps appending and reading, and the chain still verifies', async () => {
    const t = await retentionTrail();
    // The file store has one writer per folder, so there the application and retention share the trail.
    const app = h.kind === 'file' ? t : new AuditTrail(await h.open(), signer);
    const appends = Promise.all(Array.from({ length: 100 }, (_, i) => app.append(sampleInput(1000 + i))));
    const reads = Promise.all(Array.from({ length: 10 }, () => app.store.query({ callerSubject: 'officer-1' }, { limit: 50 })));
    const result = await applyRetention(t, { olderThan: sampleInput(21).time, now: NOW });
    await Promise.all([appends, reads]);
    if (app !== t) await app.close();
    expect(result.removed).toBe(20);
    expect(await t.store.count()).toBe(121);
    expect(await verifyChain(t.store, signer.publicJwk)).toMatchObject({ ok: true, firstSeq: 21, lastSeq: 141, anchorSeq: 20 });
  });

  it('does nothing when no record is old enough', async () => {
    const t = await retentionTrail();
    expect(await applyRetention(t, { olderThan: '2024-06-01T00:00:00Z', now: NOW })).toMatchObject({ removed: 0, record: null });
    expect(await t.store.count()).toBe(40);
  });

  it('refuses a cut-off in the future', async () => {
    const t = await retentionTrail();
    await expect(applyRetention(t, { olderThan: '2027-01-01T00:00:00Z', now: NOW })).rejects.toThrow(/future/);
    expect(await t.store.count()).toBe(40);
  });

  it('records that a removal failed, and the records stay and verify', async () => {
    const t = await retentionTrail();
    const failing = new AuditTrail(new Proxy(t.store, {
      get: (target, key) => (key === 'pruneBefore' ? () => Promise.reject(Object.assign(new Error('disk'), { code: 'EIO' })) : Reflect.get(target, key).bind(target)),
    }), signer);
    await expect(applyRetention(failing, { olderThan: sampleInput(11).time, now: NOW })).rejects.toThrow('disk');
    const [announced, failed] = await t.store.readRange(41, 2);
    expect(announced).toMatchObject({ kind: 'RETENTION', outcome: 'SUCCESS', retention: { toSeq: 10 } });
    expect(failed).toMatchObject({ kind: 'RETENTION', outcome: 'ERROR', justification: expect.stringMatching(/failed \(EIO\); they remain/) });
    expect(await verifyChain(t.store, signer.publicJwk)).toMatchObject({ ok: true, firstSeq: 1, lastSeq: 42 });
  });

  it('refuses to prune without a stored anchor checkpoint at the cut', async () => {
    const t = await retentionTrail();
    const [rec] = await t.store.readRange(10, 1);
    const unstored = await signer.sign(rec);
    await expect(t.store.pruneBefore(11, unstored)).rejects.toThrow();
    await expect(t.store.pruneBefore(12, unstored)).rejects.toThrow();
    expect(await t.store.count()).toBe(40);
  });
});

describe('retention period', () => {
  it('counts whole days back from now (AUDIT_RETENTION_DAYS, 2555 = 7 years)', () => {
    expect(retentionCutoff(2555, NOW)).toBe('2019-01-03T00:00:00.000Z');
    expect(retentionCutoff(1, NOW)).toBe('2025-12-31T00:00:00.000Z');
    expect(() => retentionCutoff(0, NOW)).toThrow(/positive/);
  });
});
