// One deadline per client request: the gateway sets it, every subgraph call carries it, and every
// per-agency timeout below it is cut to what remains, so no part of a request outlives the request.

/** Epoch milliseconds by which the whole client request must be answered. */
export const DEADLINE_HEADER = 'x-request-deadline';

/** Time left before `deadline` less a margin to answer in, capped at `max`; at least 1 ms. */
export function remaining(deadline: number | null | undefined, max: number, marginMs = 0): number {
  const left = deadline ? deadline - Date.now() - marginMs : Infinity;
  return Math.max(1, Math.min(max, left));
}
