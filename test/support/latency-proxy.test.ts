import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LatencyProxy, startLatencyProxy } from './latency-proxy.js';

/** Sends `payload` through the proxy to an echo server; resolves with what came back and how long it took. */
function echoThrough(proxy: LatencyProxy, payload: Buffer): Promise<{ echoed: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = connect(proxy.port, proxy.host, () => socket.write(payload));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      if (received >= payload.length) {
        socket.end();
        resolve({ echoed: Buffer.concat(chunks), ms: performance.now() - started });
      }
    });
    socket.on('error', reject);
  });
}

describe('the loopback latency proxy', () => {
  let echo: Server;
  let proxy: LatencyProxy;
  beforeAll(async () => {
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    const address = echo.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    proxy = await startLatencyProxy({ host: '127.0.0.1', port: address.port }, 40);
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((r) => echo?.close(r));
  });

  it('adds one round trip to an exchange and hands the bytes back intact and in order', async () => {
    const small = await echoThrough(proxy, Buffer.from('ping'));
    expect(small.echoed.toString()).toBe('ping');
    // Connecting is not delayed (the proxy accepts at once); the request and the answer are, 20 ms each way.
    expect(small.ms).toBeGreaterThanOrEqual(39);
    expect(small.ms).toBeLessThan(1000);

    const big = randomBytes(3 << 20);
    const through = await echoThrough(proxy, big);
    expect(through.echoed.equals(big)).toBe(true);
    expect(proxy.connections()).toBe(2);
  });
});
