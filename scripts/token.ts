// npm run token -- --role <ROLE> --agency <AGENCY> [--subject <id>] [--staff-code <code>] [--expires 8h]
// Prints a development bearer token signed with the local issuer key in .dev-keys (created on first
// use, git-ignored). Production tokens come from the identity provider, never from here.
import { parseArgs } from 'node:util';
import { importKey, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { issueToken } from '../auth/tokens.js';
import { orExit, pickSettings } from '../platform/config.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    agency: { type: 'string' },
    subject: { type: 'string' },
    'staff-code': { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});

if (!values.role?.length || !values.agency) {
  console.error('usage: npm run token -- --role <ROLE> --agency <AGENCY> [--subject <id>] [--staff-code <code>] [--expires 8h]\n' +
    'example: npm run token -- --role POLICE_OFFICER --agency POLICE');
  process.exit(2);
}
const settings = orExit(() => pickSettings(process.env, ['NODE_ENV', 'AUTH_ISSUER', 'AUTH_AUDIENCE']));
if (settings.NODE_ENV === 'production') {
  console.error('npm run token makes development tokens only; it refuses to run with NODE_ENV=production');
  process.exit(2);
}
const agency = values.agency.toUpperCase();
const roles = values.role.map((r) => r.toUpperCase());
const pair = await loadOrCreateDevKeyPair('issuer');
const token = await issueToken(await importKey(pair.privateJwk), pair.kid, {
  subject: values.subject ?? `dev-${agency.toLowerCase()}-${roles[0].toLowerCase()}`,
  agency, roles, staffCode: values['staff-code'], expiresIn: values.expires,
  issuer: settings.AUTH_ISSUER, audience: settings.AUTH_AUDIENCE,
});
process.stdout.write(token + '\n');
