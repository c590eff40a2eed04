// One subgraph call per wave, whatever the number of people. The query planner sends one `_entities`
// fetch per response path: a request about 50 people by aliases makes 50 fetches of the same document
// to the police subgraph in the same wave, each a separate HTTP request, so the subgraph's per-request
// DataLoaders never see them together and the police database gets 50 queries for arrests. Here the
// fetches of one client request to one subgraph that are issued in the same turn of the event loop and
// carry the same document are sent as one call with all their representations, and the answer is split
// back: `_entities` by offset, errors by their `_entities` index. The subgraph then batches the whole
// wave into one legacy call per agency, which is the cost rule the project holds to.
//
// Hand-written because the gateway has no extension point for it (a data source sees one fetch at a
// time) and no maintained library does this for federation fetches; it is the same batching window
// DataLoader uses (collect within the tick, send on the next macrotask).
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

type Options = GraphQLDataSourceProcessOptions<Record<string, any>>;
type Send = (options: Options) => Promise<GatewayGraphQLResponse>;

interface Pending {
  options: Options;
  representations: unknown[];
  resolve: (r: GatewayGraphQLResponse) => void;
  reject: (e: unknown) => void;
}

interface Group {
  pending: Pending[];
  count: number;
}

/** Fetches waiting for the next macrotask, by client request (its context object) and then by subgraph+document+other variables. */
const waiting = new WeakMap<object, Map<string, Group>>();

/** True for a planner fetch of entities (`_entities(representations: $representations)`) in a client request. */
function isEntityFetch(options: Options): boolean {
  return options.kind === 'incoming operation' && Array.isArray(options.request.variables?.representations) && typeof options.request.query === 'string';
}

export interface CoalesceOptions {
  /** The subgraph's cap on representations per call: a merged call never exceeds it. */
  maxRepresentations: number;
}

/**
 * Sends `options` through `send`, merged with every other entity fetch of the same client request to
 * the same subgraph (`key`) with the same document, issued in the same turn. Anything else is sent as is.
 */
export function coalesced(key: string, options: Options, send: Send, opts: CoalesceOptions): Promise<GatewayGraphQLResponse> {
  if (!isEntityFetch(options) || !options.context || typeof options.context !== 'object') return send(options);
  const { representations, ...rest } = options.request.variables as { representations: unknown[] } & Record<string, unknown>;
  if (representations.length >= opts.maxRepresentations) return send(options);
  const groupKey = `${key}\u0000${options.request.operationName ?? ''}\u0000${options.request.query}\u0000${stableJson(rest)}`;
  let groups = waiting.get(options.context);
  if (!groups) waiting.set(options.context, (groups = new Map()));
  let group = groups.get(groupKey);
  // A full group is sent as it is and a new one starts, so no merged call passes the subgraph's cap.
  if (group && group.count + representations.length > opts.maxRepresentations) {
    groups.delete(groupKey);
    flush(group, send);
    group = undefined;
  }
  if (!group) {
    const fresh: Group = { pending: [], count: 0 };
    groups.set(groupKey, fresh);
    const ctxGroups = groups;
    setImmediate(() => {
      if (ctxGroups.get(groupKey) === fresh) ctxGroups.delete(groupKey);
      if (fresh.pending.length > 0 && !flushed.has(fresh)) flush(fresh, send);
    });
    group = fresh;
  }
  const g = group;
  return new Promise<GatewayGraphQLResponse>((resolve, reject) => {
    g.pending.push({ options, representations, resolve, reject });
    g.count += representations.length;
  });
}

const flushed = new WeakSet<Group>();

function flush(group: Group, send: Send): void {
  flushed.add(group);
  const { pending } = group;
  if (pending.length === 1) {
    const [only] = pending;
    send(only.options).then(only.resolve, only.reject);
    return;
  }
  const first = pending[0].options;
  const merged: Options = {
    ...first,
    request: {
      ...first.request,
      variables: { ...first.request.variables, representations: pending.flatMap((p) => p.representations) },
      // Headers are the data source's to set for the one call; a fresh object so no fetch's headers leak into another's.
      http: first.request.http ? { ...first.request.http, headers: copyHeaders(first.request.http.headers) } : undefined,
    },
    // The merged call has no single place in the client's response.
    pathInIncomingRequest: undefined,
  } as Options;
  send(merged).then((response) => {
    const offsets: number[] = [];
    let at = 0;
    for (const p of pending) { offsets.push(at); at += p.representations.length; }
    pending.forEach((p, i) => p.resolve(split(response, offsets[i], p.representations.length, i === 0)));
  }, (err) => { for (const p of pending) p.reject(err); });
}

/** The part of a merged answer that belongs to representations [offset, offset+length). */
function split(response: GatewayGraphQLResponse, offset: number, length: number, first: boolean): GatewayGraphQLResponse {
  const entities = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const data = response.data === undefined ? undefined
    : response.data === null || !Array.isArray(entities) ? response.data
      : { ...response.data, _entities: entities.slice(offset, offset + length) };
  const errors = response.errors?.flatMap((e) => {
    const path = e.path;
    if (!path || path[0] !== '_entities' || typeof path[1] !== 'number') return [e]; // about the whole call: every part gets it
    const index = path[1] as number;
    if (index < offset || index >= offset + length) return [];
    return [{ ...e, path: ['_entities', index - offset, ...path.slice(2)] }];
  });
  return {
    ...response,
    data,
    ...(response.errors ? { errors: errors && errors.length > 0 ? errors : undefined } : {}),
    // Extensions (tracing) describe the one call: given to the first part only.
    extensions: first ? response.extensions : undefined,
  } as GatewayGraphQLResponse;
}

function copyHeaders<H extends object>(headers: H): H {
  const Ctor = headers.constructor as new (init: H) => H;
  return new Ctor(headers);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}
