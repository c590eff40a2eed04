// What every stand-in legacy system shares: a request counter and log that tests and benchmarks read, and a
// fault switch that makes the system slow, failing, malformed or down on demand.
import { rng } from './population.js';

export interface Faults {
  /** Added delay before every answer, in ms. */
  latencyMs: number;
  /** Share of requests (0..1) answered with the system's own server error (HTTP 500, SOAP fault, SQL error). */
  errorRate: number;
  /** Share of requests (0..1) answered with a malformed payload (truncated JSON/XML, bad dates, garbage rows). */
  malformedRate: number;
  /** When true the system refuses connections or answers 503 to everything. */
  down: boolean;
  /**
   * Local ids (nominal id, ASN, prison number, CRN, victim id) of person records this system
   * always serves unreadable: no surname (courts: an impossible hearing date), everything else intact. Unlike `malformedRate`
   * it is deterministic, so a test can ask about exactly that person.
   */
  malformedRecords: string[];
}

export type FaultOutcome = 'ok' | 'error' | 'malformed' | 'down';

const NONE: Faults = { latencyMs: 0, errorRate: 0, malformedRate: 0, down: false, malformedRecords: [] };

export class FaultControl {
  private faults: Faults = { ...NONE };
  private readonly random: () => number;

  constructor(seed = 1) {
    this.random = rng(seed); // seeded, so a fault run is repeatable
  }

  set(faults: Partial<Faults>): void {
    this.faults = { ...this.faults, ...faults };
  }

  reset(): void {
    this.faults = { ...NONE };
  }

  get current(): Faults {
    return { ...this.faults, malformedRecords: [...this.faults.malformedRecords] };
  }

  /** True when the record with this local id is to be served unreadable. */
  isMalformed(localId: unknown): boolean {
    return typeof localId === 'string' || typeof localId === 'number' ? this.faults.malformedRecords.includes(String(localId).trim()) : false;
  }

  /**
   * Breaks, in place, every person record in a JSON payload whose id (`idOf`) is listed in
   * `malformedRecords`: its surname (`field`) is blanked, which no reader can take for a person (a bad
   * date alone is a data-quality problem the record survives). Returns how many it broke.
   */
  breakRecords(payload: unknown, idOf: (record: Record<string, unknown>) => unknown, field = 'surname'): number {
    if (this.faults.malformedRecords.length === 0) return 0;
    let broken = 0;
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) { v.forEach(walk); return; }
      if (v === null || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (field in o && this.isMalformed(idOf(o))) { o[field] = ''; broken++; }
      Object.values(o).forEach(walk);
    };
    walk(payload);
    return broken;
  }

  /** Waits for the configured latency, then says how this request should be answered. */
  async apply(): Promise<FaultOutcome> {
    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    // The faults as they are now: a system that went down while this request waited refuses it.
    const f = this.faults;
    if (f.down) return 'down';
    const roll = this.random();
    if (roll < f.errorRate) return 'error';
    if (roll < f.errorRate + f.malformedRate) return 'malformed';
    return 'ok';
  }
}

/** One request a stand-in received: when it arrived (ms since the epoch, sub-ms precision) and what it was. */
export interface RequestLogEntry {
  at: number;
  operation: string;
}

/** The log keeps the most recent requests only, so a long-running stand-in's memory stays bounded. */
const LOG_LIMIT = 100_000;
/** Now, in ms since the epoch with sub-ms precision: the clock of `RequestLogEntry.at`. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * Counts requests a stand-in received, by operation (e.g. `GET /api/offenders/{offenderNo}`, `SELECT NOMINALS`),
 * and logs when each arrived, so a benchmark can tell calls issued together from calls issued one after another.
 */
export class RequestCounter {
  private counts = new Map<string, number>();
  private log: RequestLogEntry[] = [];

  /** `at`: when the request arrived, for a stand-in that counts only after its fault delay (default now). */
  count(operation: string, n = 1, at = now()): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + n);
    for (let i = 0; i < n; i++) this.log.push({ at, operation });
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  /** Total for one operation, or for all when none is given. */
  get(operation?: string): number {
    if (operation !== undefined) return this.counts.get(operation) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The logged requests in arrival order, those at or after `since` (ms since the epoch) when given. */
  entries(since?: number): RequestLogEntry[] {
    return since === undefined ? [...this.log] : this.log.filter((e) => e.at >= since);
  }

  reset(): void {
    this.counts.clear();
    this.log = [];
  }
}

export interface StandInOptions {
  population: import('./population.js').Population;
  /** Loopback only by default. */
  host?: string;
  /** 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** Folder for systems that write files (victims); a fresh temporary folder when absent. */
  dataDir?: string;
  /** Police only: seed this PostgreSQL database instead of the embedded one. */
  databaseUrl?: string;
  /** Seed for the fault dice. */
  faultSeed?: number;
  /**
   * Reachable from other processes (npm run stand-ins): a system that is in-process by default (the
   * embedded police database) then also listens on loopback. HTTP stand-ins always listen.
   */
  network?: boolean;
}

/** A running stand-in legacy system. */
export interface StandIn {
  agency: string;
  /** Where it is: a base URL, a database URL or a folder, for display. */
  location: string;
  /** Environment variables that point the agency's adapter at this stand-in. */
  env: Record<string, string>;
  faults: FaultControl;
  requests: RequestCounter;
  close(): Promise<void>;
}

export type StartStandIn = (options: StandInOptions) => Promise<StandIn>;
