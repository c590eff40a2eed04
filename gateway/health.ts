// Readiness: whether this gateway instance can answer truthfully now. Ready when the audit store takes
// writes (no record, no answer), every subgraph answers its /health, and no subgraph breaker is failing
// fast. Each agency subgraph's /health also says whether its legacy system answers: reported per
// agency, but an agency down does not make the gateway unready (it answers the rest with that agency
// named), or one agency's outage would take every other agency's data away from every caller.
// The body names subgraphs and states only: no hosts, ports, paths or error text.
import type { AuditSink } from './audit.js';
import type { BreakerState, SubgraphResilience } from './datasource.js';

export interface SubgraphReadiness {
  /** The subgraph answered its /health in time. */
  reachable: boolean;
  /** Its legacy system, as the subgraph reports it (UNKNOWN when the subgraph did not answer). */
  source: 'UP' | 'DOWN' | 'UNKNOWN';
  breaker: BreakerState;
}

export interface ReadinessReport {
  status: 'READY' | 'NOT_READY' | 'DRAINING';
  audit: 'WRITABLE' | 'UNAVAILABLE' | 'OFF';
  subgraphs: Record<string, SubgraphReadiness>;
}

export interface ReadinessOptions {
  urls: Record<string, string>;
  breakers: Map<string, SubgraphResilience>;
  audit: AuditSink | null;
  timeoutMs: number;
  draining: () => boolean;
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), ms); })]).finally(() => clearTimeout(timer));
}

async function probeSubgraph(url: string, timeoutMs: number): Promise<Pick<SubgraphReadiness, 'reachable' | 'source'>> {
  try {
    const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => null)) as { status?: string } | null;
    if (res.status === 200 && body?.status === 'UP') return { reachable: true, source: 'UP' };
    if (res.status === 503 && body?.status === 'DOWN') return { reachable: true, source: 'DOWN' };
    return { reachable: false, source: 'UNKNOWN' };
  } catch {
    return { reachable: false, source: 'UNKNOWN' };
  }
}

/** Builds the /ready check; concurrent calls share one round of probes. */
export function readiness(opts: ReadinessOptions): () => Promise<ReadinessReport> {
  let running: Promise<ReadinessReport> | null = null;
  const check = async (): Promise<ReadinessReport> => {
    const [audit, ...subs] = await Promise.all([
      !opts.audit ? Promise.resolve('OFF' as const)
        : within(opts.audit.ready?.() ?? Promise.resolve(), opts.timeoutMs).then(() => 'WRITABLE' as const, () => 'UNAVAILABLE' as const),
      ...Object.entries(opts.urls).map(async ([name, url]) => [name, await probeSubgraph(url, opts.timeoutMs)] as const),
    ]);
    const subgraphs: Record<string, SubgraphReadiness> = {};
    for (const [name, probe] of subs) subgraphs[name] = { ...probe, breaker: opts.breakers.get(name)?.state ?? 'CLOSED' };
    const ok = audit !== 'UNAVAILABLE' && Object.values(subgraphs).every((s) => s.reachable && s.breaker !== 'OPEN');
    return { status: opts.draining() ? 'DRAINING' : ok ? 'READY' : 'NOT_READY', audit, subgraphs };
  };
  return () => (running ??= check().finally(() => { running = null; }));
}
