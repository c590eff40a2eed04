import { describe, expect, it } from 'vitest';
import { AssertionError, signAssertion, verifyAssertion } from '../../auth/assertion.js';
import { importKey, newKeyPair } from '../../auth/keys.js';
import { createTokenVerifier, issueToken, TokenError } from '../../auth/tokens.js';

const caller = {
  subject: 'u1', agency: 'PROBATION', roles: ['PROBATION_OFFICER'], purpose: 'OFFENDER_MANAGEMENT', justification: 'review', requestId: 'req-12345678',
  staffCode: 'N07A001', relationships: { caseloadCrns: ['X123456'], victimIds: [], victimCaseUrns: [], victimDefendantIds: [], unavailable: [] },
};

describe('the caller assertion', () => {
  it('carries who asks and why to the subgraph it is made out to', async () => {
    const k = await newKeyPair('g');
    const token = await signAssertion(await importKey(k.privateJwk), k.kid, 'probation', caller);
    expect(await verifyAssertion(await importKey(k.publicJwk), 'probation', token)).toEqual(caller);
  });

  it('is refused by any other subgraph', async () => {
    const k = await newKeyPair('g');
    const token = await signAssertion(await importKey(k.privateJwk), k.kid, 'probation', caller);
    await expect(verifyAssertion(await importKey(k.publicJwk), 'police', token)).rejects.toBeInstanceOf(AssertionError);
  });

  it('is refused when missing, and the reason never contains the token', async () => {
    const k = await newKeyPair('g');
    await expect(verifyAssertion(await importKey(k.publicJwk), 'police', undefined)).rejects.toThrow('no caller assertion');
    const err = await verifyAssertion(await importKey(k.publicJwk), 'police', 'abc.def.ghi').catch((e) => e);
    expect(String(err.message)).not.toContain('abc.def');
  });
});

describe('caller tokens', () => {
  const cfg = { issuer: 'iss', audience: 'aud' };

  it('are accepted when signed by the issuer, and give subject, agency and roles', async () => {
    const k = await newKeyPair('i');
    const verify = createTokenVerifier({ ...cfg, publicKeys: [k.publicJwk] });
    const t = await issueToken(await importKey(k.privateJwk), k.kid, { ...cfg, subject: 's', agency: 'POLICE', roles: ['POLICE_OFFICER'], staffCode: 'N07A001' });
    expect(await verify(t)).toEqual({ subject: 's', agency: 'POLICE', roles: ['POLICE_OFFICER'], staffCode: 'N07A001' });
  });

  it('are refused when expired, for another audience, or without roles', async () => {
    const k = await newKeyPair('i');
    const key = await importKey(k.privateJwk);
    const verify = createTokenVerifier({ ...cfg, publicKeys: [k.publicJwk] });
    await expect(verify(await issueToken(key, k.kid, { ...cfg, subject: 's', agency: 'POLICE', roles: ['R'], expiresIn: '-1m' }))).rejects.toThrow(/expired/);
    await expect(verify(await issueToken(key, k.kid, { ...cfg, audience: 'other', subject: 's', agency: 'POLICE', roles: ['R'] }))).rejects.toBeInstanceOf(TokenError);
    await expect(verify(await issueToken(key, k.kid, { ...cfg, subject: 's', agency: 'POLICE', roles: [] }))).rejects.toThrow(/roles/);
  });
});
