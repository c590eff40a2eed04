// Tamper evidence, against both stores: whatever an attacker with raw access changes, verification fails
// and names the first record (or checkpoint) that does not verify.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../audit/trail.js';
import { verifyChain } from '../../audit/verify.js';
import type { CheckpointSigner } from '../../audit/checkpoint.js';
import type { AuditStore } from '../../audit/store.js';
import { PgServer, appendMany, storeKinds, testSigner, type StoreHarness } from './helpers.js';

const server = new PgServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe.each(storeKinds(server))('tampering with the $kind store', ({ make }) => {
  let h: StoreHarness;
  let signer: CheckpointSigner;
  let store: AuditStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await h?.dispose();
  });

  /** 30 records with a checkpoint every 10, the writer closed (as if stopped), ready to be tampered with. */
  async function trailOf30(): Promise<void> {
    h = await make();
    signer = await testSigner();
    const trail = new AuditTrail(await h.open(), signer, { checkpointEvery: 10 });
    await appendMany(trail, 30);
    await trail.close();
  }
  async function recordAt(seq: number) {
    const s = await h.open();
    try {
      return (await s.readRange(seq, 1))[0];
    } finally {
      await s.close();
    }
  }
  async function verify() {
    store = await h.open();
    return verifyChain(store, signer.publicJwk);
  }

  it('verifies when untouched', async () => {
    await trailOf30();
    expect(await verify()).toMatchObject({ ok: true, records: 30, checkpoints: 3 });
  });

  it('names the record whose purpose was edited', async () => {
    await trailOf30();
    await h.editPurpose(17, 'CURIOSITY');
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 17, reason: 'HASH_MISMATCH' }, records: 16 });
  });

  it('names the record that was deleted', async () => {
    await trailOf30();
    await h.remove(12);
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 12 } });
    const { firstBad } = (await verifyChain(store!, signer.publicJwk)) as { firstBad: { reason: string } };
    expect(['SEQ_GAP', 'PREV_HASH_MISMATCH']).toContain(firstBad.reason);
  });

  it('names the first of two records that were swapped', async () => {
    await trailOf30();
    await h.swap(5, 6);
    const result = await verify();
    expect(result).toMatchObject({ ok: false, firstBad: { seq: 5 } });
    expect(['SEQ_GAP', 'PREV_HASH_MISMATCH']).toContain((result as { firstBad: { reason: string } }).firstBad.reason);
  });

  it('names a checkpoint signed with a key it does not trust', async () => {
    await trailOf30();
    const forger = await testSigner(signer.kid); // same kid, different key
    await h.plantCheckpoint(await forger.sign(await recordAt(15)));
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 15, reason: 'CHECKPOINT_SIGNATURE_INVALID' } });
  });

  it('names a checkpoint whose signed content was altered', async () => {
    await trailOf30();
    const genuine = await signer.sign({ seq: 22, hash: 'b'.repeat(64) });
    await h.plantCheckpoint({ ...genuine, hash: (await recordAt(22)).hash });
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 22, reason: 'CHECKPOINT_SIGNATURE_INVALID' } });
  });

  it('names the record a genuine checkpoint disagrees with, even when the chain was rewritten to match', async () => {
    await trailOf30();
    // A signed checkpoint of a different history at seq 25, as if records up to 25 were rewritten afterwards.
    await h.plantCheckpoint(await signer.sign({ seq: 25, hash: 'c'.repeat(64) }));
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 25, reason: 'CHECKPOINT_MISMATCH' } });
  });

  it('notices records removed from the end, past the last checkpoint', async () => {
    await trailOf30();
    await h.remove(30);
    await h.remove(29);
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 29, reason: 'TRUNCATED' } });
  });

  it('notices the oldest records removed without a retention run', async () => {
    await trailOf30();
    for (let seq = 1; seq <= 10; seq++) await h.remove(seq);
    // Record 11 hangs from the genuine checkpoint at 10, but no RETENTION record says why 1..10 went.
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 11, reason: 'REMOVAL_NOT_RECORDED' } });
  });

  it('notices the first record removed when no checkpoint anchors what is left', async () => {
    await trailOf30();
    await h.remove(1);
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 2, reason: 'ANCHOR_MISSING' } });
  });
});
