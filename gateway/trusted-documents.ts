// Trusted documents: a manifest of the operations a production client may send, registered from its
// .graphql files by `npm run operations:register`. A client sends the operation's id (its sha256) instead
// of the text; with the mode `require` nothing else runs. The manifest is Apollo's persisted query
// manifest format, so Apollo Client's persisted-queries link and the Apollo generator interoperate.
// Automatic persisted queries (any caller registering any document by hash) stay off.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, print, visit, type ASTNode, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { QueryRefused } from './limits.js';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
  /** Who registered it (npm run operations:register -- --client NAME). */
  clientName?: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

/** `require`: only manifest operations run; `allow`: manifest ids and free text both run; `off`: no manifest. */
export type TrustedDocumentsMode = 'require' | 'allow' | 'off';

export const documentId = (body: string) => createHash('sha256').update(body).digest('hex');

export class TrustedDocuments {
  private readonly byId: Map<string, ManifestOperation>;

  constructor(manifest: Manifest | null, readonly mode: TrustedDocumentsMode) {
    this.byId = new Map((manifest?.operations ?? []).map((o) => [o.id, o]));
    if (mode !== 'off' && !manifest) throw new Error(`trusted documents mode "${mode}" needs a manifest (GATEWAY_TRUSTED_DOCUMENTS)`);
  }

  static load(path: string | null, mode: TrustedDocumentsMode): TrustedDocuments {
    if (!path) return new TrustedDocuments(null, mode);
    return new TrustedDocuments(readManifest(path), mode);
  }

  get size(): number { return this.byId.size; }

  /**
   * The query text to run for a request body: the manifest's text for a known id, the client's text
   * where the mode allows free text. Throws QueryRefused otherwise. Removes the persisted-query
   * extension so nothing downstream treats the request as APQ.
   */
  resolve(body: { query?: unknown; documentId?: unknown; extensions?: Record<string, unknown> | null }): string {
    const pq = body.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
    const raw = typeof body.documentId === 'string' ? body.documentId : typeof pq?.sha256Hash === 'string' ? pq.sha256Hash : null;
    if (pq !== undefined && body.extensions) delete body.extensions.persistedQuery;
    delete body.documentId;
    if (raw === null) {
      if (typeof body.query !== 'string' || !body.query) throw new QueryRefused('BAD_REQUEST', 'query', 'Send the operation as "query" (or its registered id as "documentId")');
      if (this.mode === 'require') throw new QueryRefused('OPERATION_NOT_TRUSTED', 'trustedDocuments', 'This gateway runs registered operations only: send the id of an operation registered with npm run operations:register');
      return body.query;
    }
    if (this.mode === 'off') throw new QueryRefused('PERSISTED_QUERY_NOT_SUPPORTED', 'persistedQueries', 'Persisted queries are not supported: send the query text');
    const id = raw.replace(/^sha256:/, '').toLowerCase();
    const op = this.byId.get(id);
    if (op) {
      body.query = op.body;
      return op.body;
    }
    // Never an automatic registration: an unknown id with text is only free text, where free text is allowed.
    if (this.mode === 'allow' && typeof body.query === 'string' && body.query) return body.query;
    throw new QueryRefused('PERSISTED_QUERY_NOT_FOUND', 'trustedDocuments', 'No registered operation has this id');
  }
}

export function readManifest(path: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (err) {
    throw new Error(`trusted documents manifest ${path} cannot be read: ${(err as Error).message}`);
  }
  if (m?.format !== MANIFEST_FORMAT || m.version !== 1 || !Array.isArray(m.operations)) {
    throw new Error(`trusted documents manifest ${path}: expected format "${MANIFEST_FORMAT}" version 1 with an operations list`);
  }
  for (const o of m.operations) {
    if (typeof o.body !== 'string' || o.id !== documentId(o.body)) throw new Error(`trusted documents manifest ${path}: operation "${o.name}" has an id that is not the sha256 of its body`);
  }
  return m;
}

/** Every operation of a document with the fragments it uses (transitively), printed alone: one manifest entry each. */
export function operationsOf(document: DocumentNode): { name: string; type: ManifestOperation['type']; body: string }[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return ops.map((op) => {
    if (!op.name) throw new Error('every registered operation needs a name (query Name { ... })');
    const used = new Map<string, FragmentDefinitionNode>();
    const walk = (node: ASTNode) => visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const f = fragments.get(name);
        if (!f) throw new Error(`operation ${op.name!.value} uses fragment ${name}, which is not defined in its file`);
        if (!used.has(name)) { used.set(name, f); walk(f.selectionSet); }
      },
    });
    walk(op.selectionSet);
    const defs: DefinitionNode[] = [op, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))];
    return { name: op.name.value, type: op.operation, body: print({ kind: Kind.DOCUMENT, definitions: defs }) };
  });
}

