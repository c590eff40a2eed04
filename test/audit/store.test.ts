// The store contract, run against both stores: ordering, concurrency, durability across reopen, queries.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../audit/trail.js';
import { verifyChain } from '../../audit/verify.js';
import { GENESIS_HASH, type StoredAuditRecord } from '../../audit/record.js';
import type { AuditStore } from '../../audit/store.js';
import { PgServer, appendMany, sampleInput, storeKinds, testSigner, type StoreHarness } from './helpers.js';

const server = new PgServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe.each(storeKinds(server))('audit store ($kind)', ({ make }) => {
  let h: StoreHarness;
  let store: AuditStore;
  afterEach(async () => {
    await store?.close();
    await h?.dispose();
  });
  const fresh = async () => {
    h = await make();
    store = await h.open();
    return store;
  };

  it('numbers records 1, 2, 3 and links each to the one before', async () => {
    await fresh();
    const a = await store.append(sampleInput(1));
    const b = await store.append(sampleInput(2));
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.prevHash).toBe(a.hash);
    expect(await store.head()).toEqual({ seq: 2, hash: b.hash });
    expect(await store.readRange(1, 10)).toEqual([a, b]);
  });

  it('keeps a chain that verifies after many appends', async () => {
    await fresh();
    const signer = await testSigner();
    const trail = new AuditTrail(store, signer, { checkpointEvery: 50 });
    await appendMany(trail, 300);
    await trail.idle();
    await trail.checkpoint();
    const result = await verifyChain(store, signer.publicJwk, { pageSize: 64 });
    expect(result).toMatchObject({ ok: true, records: 300, firstSeq: 1, lastSeq: 300, checkpoints: 7 });
    expect(await store.count()).toBe(300);
  });

  it('gives 500 concurrent appends a gap-free chain 1..500 that verifies', async () => {
    await fresh();
    const signer = await testSigner();
    const trail = new AuditTrail(store, signer);
    const stored = await Promise.all(Array.from({ length: 500 }, (_, i) => trail.append(sampleInput(i + 1))));
    expect(stored.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(new Set(stored.map((r) => r.requestId)).size).toBe(500);
    expect(await verifyChain(store, signer.publicJwk)).toMatchObject({ ok: true, records: 500, lastSeq: 500 });
  });

  it('hands each caller back exactly the record it appended', async () => {
    await fresh();
    const stored = await Promise.all([1, 2, 3].map((i) => store.append(sampleInput(i))));
    for (const [i, r] of stored.entries()) expect(r.requestId).toBe(`req-${i + 1}`);
    const read = await store.readRange(1, 3);
    for (const r of stored) expect(read.find((x) => x.seq === r.seq)).toEqual(r);
  });

  it('continues the chain where it left off after being reopened', async () => {
    await fresh();
    const signer = await testSigner();
    await appendMany(store, 5);
    const before = await store.head();
    await store.close();
    store = await h.open();
    expect(await store.head()).toEqual(before);
    const next = await store.append(sampleInput(6));
    expect(next.seq).toBe(6);
    expect(next.prevHash).toBe(before!.hash);
    expect(await verifyChain(store, signer.publicJwk)).toMatchObject({ ok: true, records: 6 });
  });

  it('stores and returns signed checkpoints in seq order', async () => {
    await fresh();
    const signer = await testSigner();
    const trail = new AuditTrail(store, signer, { checkpointEvery: 3 });
    await appendMany(trail, 7);
    const head = await trail.checkpoint();
    await trail.close();
    store = await h.open();
    const cps = await store.checkpoints();
    expect(cps.map((c) => c.seq)).toEqual([3, 6, 7]);
    expect(cps[2]).toEqual(head);
  });

  it('refuses a checkpoint that does not match the record at its seq', async () => {
    await fresh();
    const signer = await testSigner();
    await appendMany(store, 3);
    await expect(store.appendCheckpoint(await signer.sign({ seq: 2, hash: 'a'.repeat(64) }))).rejects.toThrow();
    await expect(store.appendCheckpoint(await signer.sign({ seq: 9, hash: 'a'.repeat(64) }))).rejects.toThrow();
    expect(await store.checkpoints()).toEqual([]);
  });

  it('rejects a malformed record with a TypeError naming the field, and stores nothing', async () => {
    await fresh();
    await expect(store.append({ ...sampleInput(1), caller: { subject: 7 } } as never)).rejects.toThrow(/caller\.subject/);
    await expect(store.append({ ...sampleInput(1), documentHash: 'abc' })).rejects.toThrow(/documentHash/);
    await expect(store.append({ ...sampleInput(1), time: 'yesterday' })).rejects.toThrow(/time/);
    expect(await store.count()).toBe(0);
    expect((await store.append(sampleInput(1))).seq).toBe(1);
  });

  it('stores text that JSON or PostgreSQL would otherwise mangle, and the chain still verifies', async () => {
    await fresh();
    const signer = await testSigner();
    const r = await store.append(sampleInput(1, { justification: 'nul\u0000 lone\ud800 emoji 🙂 quote" \\ é' }));
    expect(r.justification).toBe('nul\ufffd lone\ufffd emoji 🙂 quote" \\ é');
    expect((await store.readRange(1, 1))[0]).toEqual(r);
    expect(await verifyChain(store, signer.publicJwk)).toMatchObject({ ok: true });
  });

  describe('query', () => {
    let all: StoredAuditRecord[];
    const ids = (rs: StoredAuditRecord[]) => rs.map((r) => r.seq);
    const fill = async () => {
      await fresh();
      await appendMany(store, 40);
      all = await store.readRange(1, 100);
    };

    it('finds records by subject, caller, agreement and time window', async () => {
      await fill();
      const q = (f: Parameters<AuditStore['query']>[0]) => store.query(f, { limit: 100 }).then((r) => ids(r.records));
      expect(await q({ subjectId: 'P3' })).toEqual(ids(all.filter((r) => r.subjects.some((s) => s.id === 'P3'))));
      expect(await q({ callerSubject: 'officer-1' })).toEqual(ids(all.filter((r) => r.caller.subject === 'officer-1')));
      expect(await q({ agreement: 'ISA-POLICE-PROBATION' })).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 40]);
      expect(await q({ from: sampleInput(10).time, to: sampleInput(13).time })).toEqual([10, 11, 12]);
      expect(await q({ subjectId: 'P3', callerSubject: 'officer-1', from: sampleInput(20).time })).toEqual([24, 31, 38].filter((s) => s % 3 === 1 && s % 7 === 3));
      expect(await q({ subjectId: 'nobody' })).toEqual([]);
    });

    it('pages through results with a seq cursor until there are no more', async () => {
      await fill();
      const seen: number[] = [];
      let after: number | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await store.query({ callerSubject: 'officer-0' }, { after, limit: 4 });
        seen.push(...ids(page.records));
        if (page.nextCursor === null) break;
        expect(page.records).toHaveLength(4);
        after = page.nextCursor;
      }
      expect(seen).toEqual(ids(all.filter((r) => r.caller.subject === 'officer-0')));
      const last = await store.query({ callerSubject: 'officer-0' }, { after: 38, limit: 4 });
      expect(last).toEqual({ records: [all[38]], nextCursor: null });
    });

    it('refuses a page size it would not honour', async () => {
      await fresh();
      await expect(store.query({}, { limit: 0 })).rejects.toThrow(/limit/);
      await expect(store.query({ from: 'soon' }, { limit: 5 })).rejects.toThrow(/from/);
    });
  });
});
