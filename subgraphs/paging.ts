// Paging of worklists (a caseload, a liaison officer's victims): keyset pages over a list in a fixed
// order, with an opaque cursor naming the last key of the page before. A key that left the list between
// pages does not shift the next page (an offset would skip or repeat someone).
import { GraphQLError } from 'graphql';

/** Most items a worklist page holds: the query-cost model sizes the page's lists by `first` (gateway/limits.ts). */
export const MAX_PAGE = 50;

export interface Page<K> {
  keys: K[];
  totalCount: number;
  nextCursor: string | null;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

export const cursorOf = (key: string): string => Buffer.from(`k:${key}`, 'utf8').toString('base64url');

function keyOf(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith('k:') || text.length < 3) throw badInput('after must be a cursor from a previous page');
  return text.slice(2);
}

/** The page of `keys` (sorted here, without duplicates) after `after`, `first` long (1 to MAX_PAGE). */
export function pageOf(keys: readonly string[], args: { first?: number | null; after?: string | null }): Page<string> {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be from 1 to ${MAX_PAGE}`);
  const sorted = [...new Set(keys)].sort();
  const start = args.after == null ? 0 : sorted.findIndex((k) => k > keyOf(args.after!));
  const from = start < 0 ? sorted.length : start;
  const page = sorted.slice(from, from + first);
  const more = from + first < sorted.length;
  return { keys: page, totalCount: sorted.length, nextCursor: more ? cursorOf(page[page.length - 1]) : null };
}
