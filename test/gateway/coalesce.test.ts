// The gateway sends the entity fetches of one request to one subgraph in the same wave as one call, and
// gives each fetch back exactly its own part of the answer (entities by offset, errors by index).
import { describe, expect, it } from 'vitest';
import { coalesced } from '../../gateway/coalesce.js';

type Sent = { query: string; representations: unknown[] };

function fakeSubgraph(answer: (reps: { id: string }[]) => { data?: any; errors?: any[] } = (reps) => ({ data: { _entities: reps.map((r) => ({ id: r.id, seen: true })) } })) {
  const sent: Sent[] = [];
  const send = async (o: any) => {
    sent.push({ query: o.request.query, representations: o.request.variables.representations });
    return answer(o.request.variables.representations) as any;
  };
  return { sent, send };
}

function fetchOf(context: object, ids: string[], query = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Person{id}}}', extra: Record<string, unknown> = {}) {
  return {
    kind: 'incoming operation', context, incomingRequestContext: {} as any,
    request: { query, variables: { ...extra, representations: ids.map((id) => ({ __typename: 'Person', id })) }, http: { method: 'POST', url: 'http://x', headers: new Headers() } },
  } as any;
}

const opts = { maxRepresentations: 2000 };

describe('entity fetches of one request to one subgraph in the same wave', () => {
  it('go as one call, and each fetch gets its own entities in order', async () => {
    const { sent, send } = fakeSubgraph();
    const ctx = {};
    const answers = await Promise.all([['a'], ['b', 'c'], ['d']].map((ids) => coalesced('police', fetchOf(ctx, ids), send, opts)));
    expect(sent).toHaveLength(1);
    expect(sent[0].representations.map((r: any) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(answers.map((a) => a.data!._entities.map((e: any) => e.id))).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('give each fetch only the errors about its own entities, re-indexed', async () => {
    const { send } = fakeSubgraph((reps) => ({
      data: { _entities: reps.map((r) => (r.id === 'c' ? null : { id: r.id })) },
      errors: [
        { message: 'c unreadable', path: ['_entities', 2, 'arrests'], extensions: { code: 'BAD_SOURCE_DATA' } },
        { message: 'about the whole call', extensions: { code: 'SOURCE_UNAVAILABLE' } },
      ],
    }));
    const ctx = {};
    const [first, second] = await Promise.all([coalesced('police', fetchOf(ctx, ['a']), send, opts), coalesced('police', fetchOf(ctx, ['b', 'c']), send, opts)]);
    expect(first.errors!.map((e) => e.message)).toEqual(['about the whole call']);
    expect(second.errors!.map((e) => [e.message, e.path])).toEqual([['c unreadable', ['_entities', 1, 'arrests']], ['about the whole call', undefined]]);
    expect(second.data!._entities).toEqual([{ id: 'b' }, null]);
  });

  it('stay apart when the documents, the other variables or the client requests differ', async () => {
    const { sent, send } = fakeSubgraph();
    const one = {};
    const two = {};
    await Promise.all([
      coalesced('police', fetchOf(one, ['a']), send, opts),
      coalesced('police', fetchOf(one, ['b'], 'query($representations:[_Any!]!){_entities(representations:$representations){...on Person{arrests{date}}}}'), send, opts),
      coalesced('police', fetchOf(one, ['c'], undefined, { since: '2020-01-01' }), send, opts),
      coalesced('police', fetchOf(two, ['d']), send, opts),
      coalesced('courts', fetchOf(one, ['e']), send, opts),
    ]);
    expect(sent).toHaveLength(5);
  });

  it('never exceed the subgraph cap on representations in one call', async () => {
    const { sent, send } = fakeSubgraph();
    const ctx = {};
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => coalesced('police', fetchOf(ctx, [`${i}a`, `${i}b`]), send, { maxRepresentations: 5 })));
    expect(sent.map((s) => s.representations.length).every((n) => n <= 5)).toBe(true);
    expect(sent.length).toBeLessThan(7);
    expect(answers.flatMap((a) => a.data!._entities.map((e: any) => e.id))).toEqual(Array.from({ length: 7 }, (_, i) => [`${i}a`, `${i}b`]).flat());
  });

  it('are sent again together in the next wave, not merged across waves', async () => {
    const { sent, send } = fakeSubgraph();
    const ctx = {};
    await Promise.all([coalesced('police', fetchOf(ctx, ['a']), send, opts), coalesced('police', fetchOf(ctx, ['b']), send, opts)]);
    await Promise.all([coalesced('police', fetchOf(ctx, ['c']), send, opts), coalesced('police', fetchOf(ctx, ['d']), send, opts)]);
    expect(sent.map((s) => s.representations.length)).toEqual([2, 2]);
  });

  it('all fail when the one call fails', async () => {
    const send = async () => { throw new Error('down'); };
    const ctx = {};
    const results = await Promise.allSettled([coalesced('police', fetchOf(ctx, ['a']), send, opts), coalesced('police', fetchOf(ctx, ['b']), send, opts)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
