// What every HTTP stand-in does the same way: listen on loopback (port 0 by default) and close cleanly,
// dropping kept-alive adapter connections so close() never waits on them.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listen(server: Server, options: { host?: string; port?: number }): Promise<{ base: string; close: () => Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  // Longer than any client's idle reuse (fetch keeps a socket about 4 s): a loaded machine can run the
  // server's idle timer before the client's, and the reused socket is then reset under the next request.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
