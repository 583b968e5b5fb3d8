import { connect, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy that delays every byte each way. */
export interface LatencyProxy {
  /** `127.0.0.1:<port>` to connect to instead of the target. */
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy in front of `target` (host:port) that holds every chunk for half of `roundTripMs` in each
 * direction before passing it on, in order: a network link with that round-trip time. It works below TLS and HTTP/2,
 * so what crosses it is the real protocol stack: a TLS handshake pays its round trips, a request on an open
 * connection pays one, and client certificates pass through untouched (the API server sees the client itself).
 */
export async function startLatencyProxy(
  target: { host: string; port: number },
  roundTripMs: number,
): Promise<LatencyProxy> {
  const oneWayMs = roundTripMs / 2;
  const open = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    pipeDelayed(client, upstream, oneWayMs);
    pipeDelayed(upstream, client, oneWayMs);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', () => open.delete(client));
    upstream.on('close', () => open.delete(upstream));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the latency proxy has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Copies `from` to `to`, each chunk (and the end of the stream) `delayMs` after it arrived. A constant delay keeps
 * the order; the source is paused while too much is in flight, so a fast sender cannot fill memory.
 */
function pipeDelayed(from: Socket, to: Socket, delayMs: number): void {
  let inFlight = 0;
  const highWaterMark = 1 << 20;
  from.on('data', (chunk: Buffer) => {
    inFlight += chunk.length;
    if (inFlight > highWaterMark) from.pause();
    setTimeout(() => {
      inFlight -= chunk.length;
      if (!to.destroyed) to.write(chunk);
      if (inFlight <= highWaterMark && from.isPaused()) from.resume();
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
}
