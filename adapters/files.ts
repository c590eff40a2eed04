// The shared helper for adapters that read a legacy system's flat-file exports in place: pick the newest
// export by the date in its name, read it under a deadline, cache what was parsed until the file changes,
// and cut fixed-width records by a declared layout. Errors never carry a path or a line of the file.
import { legacyCall } from '../platform/telemetry.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AdapterError, MappingError } from './errors.js';
import { parseLegacyDate } from './normalise.js';

/** One export file found in the folder. */
export interface ExportFile {
  /** File name only, e.g. `VICTIMS_20261101.csv`. */
  name: string;
  path: string;
  /** Export date from the file name, ISO `YYYY-MM-DD`. */
  date: string;
}

/** Runs an fs call under a deadline; a late answer becomes SOURCE_TIMEOUT, an fs error SOURCE_UNAVAILABLE. */
export function withDeadline<T>(agency: string, operation: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return legacyCall(agency, operation, () => readWithin(agency, operation, timeoutMs, run));
}

async function readWithin<T>(agency: string, operation: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AdapterError({ agency, operation, code: 'SOURCE_TIMEOUT' }));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } catch (err) {
    if (err instanceof AdapterError) throw err;
    // The message names the operation only: an fs error's own message carries the full path.
    const code = controller.signal.aborted ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE';
    throw new AdapterError({ agency, operation, code, cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The newest export in `dir` whose name matches `pattern` (one capture group: the date as YYYYMMDD).
 * Names with an impossible date, and half-written temporary files, never match. Throws
 * SOURCE_UNAVAILABLE when the folder cannot be read or holds no such export.
 */
export async function newestExport(agency: string, operation: string, dir: string, pattern: RegExp, timeoutMs: number): Promise<ExportFile> {
  const names = await withDeadline(agency, operation, timeoutMs, () => readdir(dir));
  let best: ExportFile | null = null;
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    let date: string;
    try {
      date = parseLegacyDate(m[1], 'YYYYMMDD', 'file name');
    } catch {
      continue;
    }
    if (!best || date > best.date || (date === best.date && name > best.name)) best = { name, path: join(dir, name), date };
  }
  if (!best) throw new AdapterError({ agency, operation, code: 'SOURCE_UNAVAILABLE', message: `${agency} system has no current export (${operation})` });
  return best;
}

type Cached = { key: string; outcome: { ok: true; value: unknown } | { ok: false; error: unknown } };

/**
 * Reads export files and keeps what was parsed, keyed by path + inode + mtime (ns) + size: an export
 * replaced by rename always has a new inode, so a changed export is always read again and an unchanged
 * one never is. `reads` counts the files actually read, which tests use to check batching.
 */
export class ExportReader {
  reads = 0;
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly agency: string, private readonly timeoutMs: number) {}

  /** The parsed content of `file`; `parse` may throw an AdapterError (BAD_SOURCE_DATA), which is cached too. */
  async read<T>(file: ExportFile, operation: string, parse: (text: string) => T): Promise<T> {
    const s = await withDeadline(this.agency, operation, this.timeoutMs, () => stat(file.path, { bigint: true }));
    const key = `${file.path}|${s.ino}|${s.mtimeNs}|${s.size}`;
    const hit = this.cache.get(file.path);
    if (hit?.key === key) {
      if (hit.outcome.ok) return hit.outcome.value as T;
      throw hit.outcome.error;
    }
    // Lookups in the same tick share one read of a file rather than racing to read it twice.
    let pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = this.load(file, operation, key, parse).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async load<T>(file: ExportFile, operation: string, key: string, parse: (text: string) => T): Promise<T> {
    this.reads++;
    const text = await withDeadline(this.agency, operation, this.timeoutMs, (signal) => readFile(file.path, { encoding: 'utf8', signal }));
    try {
      const value = parse(text);
      this.cache.set(file.path, { key, outcome: { ok: true, value } });
      return value;
    } catch (error) {
      // A file that cannot be parsed stays unparseable until it changes, so the failure is cached as well.
      if (error instanceof AdapterError) this.cache.set(file.path, { key, outcome: { ok: false, error } });
      throw error;
    }
  }

  clear(): void {
    this.cache.clear();
  }
}

/** One field of a fixed-width record: 1-based start column as the layout documents write it, and width. */
export interface FixedWidthField {
  name: string;
  start: number;
  width: number;
  description: string;
}

/** Length of a record laid out by `layout`. */
export const recordLength = (layout: readonly FixedWidthField[]): number =>
  Math.max(...layout.map((f) => f.start - 1 + f.width));

/**
 * Cuts one fixed-width line into trimmed fields. The line must be exactly the record length: a shorter
 * or longer line means the columns have shifted and no field in it can be trusted.
 */
export function cutFixedWidth<N extends string>(line: string, layout: readonly (FixedWidthField & { name: N })[], length = recordLength(layout)): Record<N, string> {
  if (line.length !== length) throw new MappingError('record', `a record of ${length} characters, got ${line.length}`);
  const out = {} as Record<N, string>;
  for (const f of layout) out[f.name] = line.slice(f.start - 1, f.start - 1 + f.width).trim();
  return out;
}

/** Splits a file into lines whatever its line endings, dropping a byte-order mark and blank trailing lines. */
export function fileLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}
