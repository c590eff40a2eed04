// Helpers for tests that run the whole stack over HTTP.
import type { Stack } from '../../platform/stack.js';
import { DEFAULT_ROLE } from './subgraph.js';

export interface GraphQLResponse<D = any> {
  status: number;
  headers: Headers;
  body: { data?: D; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  text: string;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text), text };
}

/** Queries the gateway as a caller of `agency` in its everyday role (or `as`), declaring its usual purpose (or `as.purpose`). */
export async function query<D = any>(stack: Stack, agency: string, q: string, variables: Record<string, unknown> = {}, as: { role?: string; purpose?: string; staffCode?: string } = {}): Promise<GraphQLResponse<D>> {
  const [role, usual] = DEFAULT_ROLE[agency] ?? ['UNKNOWN_ROLE', 'INVESTIGATION'];
  const token = await stack.token({ agency, roles: [as.role ?? role], staffCode: as.staffCode });
  return post(stack.gatewayUrl, { query: q, variables }, { authorization: `Bearer ${token}`, 'x-purpose': as.purpose ?? usual }) as Promise<GraphQLResponse<D>>;
}

export const codes = (r: GraphQLResponse) => (r.body.errors ?? []).map((e) => `${e.extensions?.code}:${e.extensions?.agency ?? ''}`);
