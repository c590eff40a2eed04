// The embedded file store's failure modes: an unwritable or vanished folder fails appends loudly and the
// store recovers by itself; one writer per folder; a torn last line from a crash is dropped on open.
import { appendFile, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileAuditStore } from '../../audit/file-store.js';
import { AuditUnavailableError } from '../../audit/store.js';
import { verifyChain } from '../../audit/verify.js';
import { AuditTrail } from '../../audit/trail.js';
import { appendMany, fileHarness, sampleInput, setWritable, testSigner } from './helpers.js';

describe('the file audit store', () => {
  let h: Awaited<ReturnType<typeof fileHarness>> | undefined;
  let store: FileAuditStore | undefined;
  afterEach(async () => {
    if (h) setWritable(h.dir, true);
    await store?.close();
    store = undefined;
    await h?.dispose();
    h = undefined;
  });
  const open = async () => {
    h ??= await fileHarness();
    store = await FileAuditStore.open(h.dir);
    return store;
  };
  const dir = () => h!.dir;

  it('rejects appends with AuditUnavailableError while its folder is unwritable, and resumes by itself', async () => {
    h = await fileHarness();
    const s = await open();
    await appendMany(s, 3);
    setWritable(dir(), false);
    const refused = await Promise.allSettled([s.append(sampleInput(4)), s.append(sampleInput(5))]);
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AuditUnavailableError);
    }
    setWritable(dir(), true);
    const next = await s.append(sampleInput(6));
    expect(next.seq).toBe(4); // nothing refused was ever numbered
    expect(await verifyChain(s, (await testSigner()).publicJwk)).toMatchObject({ ok: true, records: 4 });
  });

  it('rejects appends while its folder is gone (unmounted), without starting a new chain, and resumes when it is back', async () => {
    h = await fileHarness();
    const s = await open();
    await appendMany(s, 3);
    await rename(dir(), `${dir()}.away`);
    await expect(s.append(sampleInput(4))).rejects.toMatchObject({ name: 'AuditUnavailableError', reason: 'ENOENT' });
    await rename(`${dir()}.away`, dir());
    expect((await s.append(sampleInput(5))).seq).toBe(4);
    expect(await s.count()).toBe(4);
  });

  it('makes a refused append leave nothing behind in the file', async () => {
    h = await fileHarness();
    const s = await open();
    await appendMany(s, 2);
    const before = await readFile(join(dir(), 'records.jsonl'), 'utf8');
    setWritable(dir(), false);
    await expect(s.append(sampleInput(3))).rejects.toBeInstanceOf(AuditUnavailableError);
    setWritable(dir(), true);
    expect(await readFile(join(dir(), 'records.jsonl'), 'utf8')).toBe(before);
  });

  it('refuses a second writer on the same folder, but lets a reader in', async () => {
    await open();
    await expect(FileAuditStore.open(dir())).rejects.toMatchObject({ name: 'AuditUnavailableError', reason: `LOCKED_BY_PID_${process.pid}` });
    const reader = await FileAuditStore.open(dir(), { readOnly: true });
    await expect(reader.append(sampleInput(1))).rejects.toMatchObject({ reason: 'READ_ONLY' });
    await reader.close();
  });

  it('verifies a consistent snapshot while the writer keeps appending and checkpointing', async () => {
    const s = await open();
    const signer = await testSigner();
    const trail = new AuditTrail(s, signer, { checkpointEvery: 5 });
    await appendMany(trail, 12);
    await trail.idle();
    const reader = await FileAuditStore.open(dir(), { readOnly: true });
    await appendMany(trail, 10, 13);
    await trail.idle();
    expect(await verifyChain(reader, signer.publicJwk)).toMatchObject({ ok: true, records: 12, checkpoints: 2 });
    await reader.close();
  });

  it('takes over the lock of a writer that died', async () => {
    h = await fileHarness();
    await writeFile(join(dir(), 'writer.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }));
    const s = await open();
    expect((await s.append(sampleInput(1))).seq).toBe(1);
  });

  it('drops a torn last line left by a crash mid-write, since it was never acknowledged', async () => {
    h = await fileHarness();
    const s = await open();
    await appendMany(s, 3);
    await s.close();
    const path = join(dir(), 'records.jsonl');
    const good = (await stat(path)).size;
    await appendFile(path, '{"seq":4,"prevHash":"ab');
    const again = await open();
    expect((await stat(path)).size).toBe(good);
    expect((await again.append(sampleInput(4))).seq).toBe(4);
    expect(await verifyChain(again, (await testSigner()).publicJwk)).toMatchObject({ ok: true, records: 4 });
  });

  it('names a line edited into something that is not a record', async () => {
    h = await fileHarness();
    const s = await open();
    await appendMany(s, 4);
    await s.close();
    store = undefined;
    const path = join(dir(), 'records.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[2] = 'not json';
    await writeFile(path, lines.join('\n'));
    const reader = await FileAuditStore.open(dir(), { readOnly: true });
    expect(await verifyChain(reader, (await testSigner()).publicJwk)).toMatchObject({ ok: false, firstBad: { seq: 3, reason: 'UNREADABLE' } });
    await reader.close();
  });

  it('writes files only its owner can read', async () => {
    const s = await open();
    await s.append(sampleInput(1));
    expect((await stat(join(dir(), 'records.jsonl'))).mode & 0o077).toBe(0);
  });
});
