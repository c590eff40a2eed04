// The auditors' subgraph in its own process reads the PostgreSQL store the gateways write; it refuses to
// start on the embedded file store, which another process's gateway never writes to.
import { describe, expect, it } from 'vitest';
import { newKeyPair } from '../../auth/keys.js';
import audit from '../../subgraphs/audit/index.js';

describe('the audit subgraph run as its own process', () => {
  it('refuses to start without AUDIT_DATABASE_URL, naming the setting, rather than report an empty trail', async () => {
    const service = await newKeyPair('test-audit');
    const env = { IDENTITY_SUBGRAPH_URL: 'http://identity.invalid/graphql', AUDIT_ASSERTION_KEY: JSON.stringify(service.privateJwk), AUDIT_PUBLIC_KEYS: JSON.stringify(service.publicJwk), AUDIT_DIR: '/nonexistent.invalid' };
    await expect(Promise.resolve(audit.createClient(env))).rejects.toThrow(/AUDIT_DATABASE_URL/);
  });
});
