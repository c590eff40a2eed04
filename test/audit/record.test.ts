// The record format: canonical JSON, the hash chain, and the shape check every append goes through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainRecord, GENESIS_HASH, hashRecord, hashVariables, normaliseInput, recordInput, sha256Hex } from '../../audit/index.js';
import { sampleInput } from './helpers.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth and leaves out whitespace and undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é' } })).toBe('{"a":{"c":"é","d":[3,{"x":null,"z":1}]},"b":1}');
  });

  it('reads back to the same value and ignores the order keys were written in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          expect(canonicalJson(Object.fromEntries(Object.entries(v).reverse()))).toBe(text);
        }
      }),
    );
  });

  it('hashes variables whatever order their keys came in, and no variables as {}', () => {
    expect(hashVariables({ a: 1, b: [1, 2] })).toBe(hashVariables({ b: [1, 2], a: 1 }));
    expect(hashVariables(undefined)).toBe(sha256Hex('{}'));
  });
});

describe('the hash chain', () => {
  it('hashes seq, prevHash and every field of the record', () => {
    const input = sampleInput(1);
    const h = hashRecord(GENESIS_HASH, input, 1);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(sha256Hex(canonicalJson({ seq: 1, prevHash: GENESIS_HASH, ...input })));
    expect(hashRecord(GENESIS_HASH, input, 2)).not.toBe(h);
    expect(hashRecord('1'.repeat(64), input, 1)).not.toBe(h);
    expect(hashRecord(GENESIS_HASH, { ...input, purpose: 'OTHER' }, 1)).not.toBe(h);
    expect(hashRecord(GENESIS_HASH, { ...input, withheld: [] }, 1)).not.toBe(h);
  });

  it('links each record to the previous hash and can split it back into its input', () => {
    const first = chainRecord(0, GENESIS_HASH, sampleInput(1));
    const second = chainRecord(first.seq, first.hash, sampleInput(2));
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(recordInput(second)).toEqual(sampleInput(2));
  });
});

describe('normaliseInput', () => {
  it('keeps a well-formed record as it is, apart from writing time as toISOString', () => {
    const input = sampleInput(3, { time: '2025-01-01T01:00:00+01:00', kind: 'REQUEST' });
    expect(normaliseInput(input)).toEqual({ ...input, time: '2025-01-01T00:00:00.000Z' });
  });

  it('drops fields the record does not define, so they cannot ride along unhashed', () => {
    const out = normaliseInput({ ...sampleInput(1), extra: 'x', caller: { ...sampleInput(1).caller, token: 'secret' } });
    expect(out).not.toHaveProperty('extra');
    expect(out.caller).not.toHaveProperty('token');
  });

  it('names the field that is wrong', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ outcome: 'MAYBE' }, /outcome/],
      [{ subjects: [{ agency: 'POLICE', type: 'PERSON' }] }, /subjects\[0\]\.id/],
      [{ disclosed: [{ agency: 'A', coordinate: 'T.f', subjectIds: [1], rule: 'r', agreement: null }] }, /disclosed\[0\]\.subjectIds\[0\]/],
      [{ variablesHash: 'ABC' }, /variablesHash/],
      [{ kind: 'OTHER' }, /kind/],
      [{ caller: null }, /caller/],
    ];
    for (const [patch, field] of bad) expect(() => normaliseInput({ ...sampleInput(1), ...patch })).toThrow(field);
  });
});
