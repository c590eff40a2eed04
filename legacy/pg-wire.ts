// A PostgreSQL wire-protocol front for an in-process PGlite, so the embedded police database can be
// reached from another process (`npm run stand-ins`) as postgres://police@127.0.0.1:<port>/police.
// Hand-written rather than @electric-sql/pglite-socket: that package pins exact PGlite peer versions
// (and eight extension packages) and serves one client connection at a time, where adapters use a pool.
//
// What it does: fakes the start-up and authentication exchange (any user, no password: loopback only),
// then collects each client's messages up to a Sync (extended protocol) or a Query (simple protocol),
// counts every statement in the stand-in's request log, applies the fault switch and runs the batch
// on PGlite, one batch at a time (PGlite is a single session; the adapter never holds a transaction
// across batches). Faults: latency delays each batch before it queues for the database (so parallel
// queries stay parallel); `down` drops connections and refuses new ones; `error` answers SQLSTATE
// XX001. `malformed` does not apply here: rows pass through as PGlite encodes them.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FaultControl, RequestCounter } from './faults.js';

/** What the front needs from PGlite. */
export interface WireDatabase {
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export interface WireFront {
  host: string;
  port: number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');
const readyForQuery = () => message('Z', Buffer.from('I'));

/** What a real server sends after a successful start-up: AuthenticationOk, a few parameters, key data, ready. */
function startupReply(): Buffer {
  const params: [string, string][] = [
    ['server_version', '17.0'], ['server_encoding', 'UTF8'], ['client_encoding', 'UTF8'], ['DateStyle', 'ISO, MDY'],
    ['integer_datetimes', 'on'], ['standard_conforming_strings', 'on'], ['TimeZone', 'UTC'],
  ];
  return Buffer.concat([
    message('R', int32(0)),
    ...params.map(([k, v]) => message('S', Buffer.concat([cstr(k), cstr(v)]))),
    message('K', Buffer.concat([int32(process.pid), int32(0)])),
    readyForQuery(),
  ]);
}

/** A server-side failure as PostgreSQL reports it (SQLSTATE XX001, data corrupted), then ready again. */
function serverError(): Buffer {
  const fields = Buffer.concat([
    Buffer.from('S'), cstr('ERROR'), Buffer.from('V'), cstr('ERROR'), Buffer.from('C'), cstr('XX001'),
    Buffer.from('M'), cstr('could not read block 0 in file "base/16384/16402": read only 0 of 8192 bytes'), Buffer.from([0]),
  ]);
  return Buffer.concat([message('E', fields), readyForQuery()]);
}

/** The SQL text of a Query ('Q') or Parse ('P') message body. */
function sqlOf(type: string, body: Buffer): string {
  if (type === 'Q') return body.toString('utf8', 0, Math.max(0, body.indexOf(0)));
  const nameEnd = body.indexOf(0);
  return body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1));
}

export interface WireOptions {
  faults: FaultControl;
  requests: RequestCounter;
  /** The name a statement is counted under (the stand-in's own, so both ways of reaching it count alike). */
  statementName: (sql: string) => string;
  host?: string;
  port?: number;
}

export async function serveWire(db: WireDatabase, opts: WireOptions): Promise<WireFront> {
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    // Down: the connection is dropped at once, as a refused or reset connection looks to a driver.
    if (opts.faults.current.down) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    let started = false;
    let batch: Buffer[] = [];
    let statements: string[] = [];
    let queue = Promise.resolve(); // this connection's batches, answered in order

    const run = async (messages: Buffer, ops: string[]) => {
      if (ops.length > 0) {
        if (opts.faults.current.down) return void socket.destroy(); // a dropped connection never reaches the count
        for (const op of ops) opts.requests.count(op); // logged on arrival, before any injected latency
        const outcome = await opts.faults.apply();
        if (outcome === 'down') return void socket.destroy();
        if (outcome === 'error') return void socket.write(serverError());
      }
      const answer = await db.runExclusive(() => db.execProtocolRaw(messages));
      if (!socket.destroyed) socket.write(answer);
    };

    const flush = () => {
      const messages = Buffer.concat(batch);
      const ops = statements;
      batch = [];
      statements = [];
      queue = queue.then(() => run(messages, ops)).catch(() => { socket.destroy(); });
    };

    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) { socket.write('N'); continue; } // no encryption on loopback
          if (code === CANCEL_REQUEST) return void socket.end();
          started = true;
          socket.write(startupReply());
          continue;
        }
        if (buffered.length < 5) return;
        const type = String.fromCharCode(buffered[0]);
        const length = buffered.readInt32BE(1);
        if (buffered.length < length + 1) return;
        const whole = buffered.subarray(0, length + 1);
        buffered = buffered.subarray(length + 1);
        if (type === 'X') return void socket.end();
        batch.push(whole);
        if (type === 'Q' || type === 'P') statements.push(opts.statementName(sqlOf(type, whole.subarray(5))));
        if (type === 'S' || type === 'Q' || type === 'H') flush();
      }
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
