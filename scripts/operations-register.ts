// npm run operations:register -- [--manifest FILE] [--client NAME] <dir or .graphql files>...
// Registers a client's operations as trusted documents: every named operation in the given .graphql
// files (folders are searched for *.graphql and *.gql) is checked against the graph's API schema and
// the gateway's query limits, then written with the fragments it uses into the manifest the gateway
// loads (GATEWAY_TRUSTED_DOCUMENTS). Entries from other clients, and earlier ones, are kept; an entry
// is its document's sha256, so registering the same text twice changes nothing.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parse, validate } from 'graphql';
import { composeApiSchema } from '../gateway/compose.js';
import { loadEdgeConfig } from '../gateway/config.js';
import { pickSettings } from '../platform/config.js';
import { admitOperation, QueryRefused } from '../gateway/limits.js';
import { documentId, MANIFEST_FORMAT, operationsOf, readManifest, type Manifest, type ManifestOperation } from '../gateway/trusted-documents.js';
import { loadSubgraphs } from '../subgraphs/index.js';

export const DEFAULT_MANIFEST = 'operations/trusted-documents.json';

function graphqlFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  if (statSync(path).isDirectory()) return readdirSync(path).sort().flatMap((f) => graphqlFiles(join(path, f)));
  return ['.graphql', '.gql'].includes(extname(path)) ? [path] : [];
}

export async function registerOperations(inputs: string[], options: { manifest: string; client?: string }): Promise<{ added: ManifestOperation[]; total: number }> {
  const files = inputs.flatMap(graphqlFiles);
  if (!files.length) throw new Error('no .graphql files given');
  const schema = composeApiSchema(await loadSubgraphs());
  const limits = loadEdgeConfig(process.env).limits;
  const manifest: Manifest = existsSync(options.manifest) ? readManifest(options.manifest) : { format: MANIFEST_FORMAT, version: 1, operations: [] };
  const known = new Set(manifest.operations.map((o) => o.id));
  const added: ManifestOperation[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let ops;
    try {
      ops = operationsOf(parse(readFileSync(file, 'utf8')));
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    for (const op of ops) {
      const errors = validate(schema, parse(op.body));
      if (errors.length) { problems.push(`${file}: ${op.name}: ${errors.map((e) => e.message).join('; ')}`); continue; }
      try {
        // Variables are unknown here: list arguments passed as variables are measured when the request comes.
        admitOperation(schema, { query: op.body, operationName: op.name }, limits);
      } catch (err) {
        if (!(err instanceof QueryRefused)) throw err;
        problems.push(`${file}: ${op.name}: ${err.code}: ${err.message}`);
        continue;
      }
      const id = documentId(op.body);
      if (known.has(id)) continue;
      known.add(id);
      added.push({ id, name: op.name, type: op.type, body: op.body, ...(options.client ? { clientName: options.client } : {}) });
    }
  }
  if (problems.length) throw new Error(`not registered (nothing was written):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  manifest.operations.push(...added);
  mkdirSync(dirname(resolve(options.manifest)), { recursive: true });
  writeFileSync(options.manifest, JSON.stringify(manifest, null, 2) + '\n');
  return { added, total: manifest.operations.length };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('operations-register.ts')) {
  const args = process.argv.slice(2);
  const take = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const manifest = take('--manifest') ?? pickSettings(process.env, ['GATEWAY_TRUSTED_DOCUMENTS']).GATEWAY_TRUSTED_DOCUMENTS ?? DEFAULT_MANIFEST;
  const client = take('--client');
  try {
    const { added, total } = await registerOperations(args, { manifest, client });
    for (const o of added) console.log(`registered ${o.name}  ${o.id}`);
    console.log(`${added.length} new, ${total} in ${manifest}. Start the gateway with GATEWAY_TRUSTED_DOCUMENTS=${manifest}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
