// Helpers for tests that run the whole stack over HTTP.
import type { Stack } from '../../platform/stack.js';

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

/** Queries the gateway as a caller of `agency`, declaring `purpose`. */
export async function query<D = any>(stack: Stack, agency: string, q: string, variables: Record<string, unknown> = {}, purpose = 'INVESTIGATION'): Promise<GraphQLResponse<D>> {
  const token = await stack.token({ agency, roles: [`${agency}_OFFICER`] });
  return post(stack.gatewayUrl, { query: q, variables }, { authorization: `Bearer ${token}`, 'x-purpose': purpose }) as Promise<GraphQLResponse<D>>;
}

export const codes = (r: GraphQLResponse) => (r.body.errors ?? []).map((e) => `${e.extensions?.code}:${e.extensions?.agency ?? ''}`);
