import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CheckResult, judgeReadiness } from './judge-readiness.js';

export interface HealthServerOptions {
  port: number;
  /** @defaultValue "0.0.0.0" (the kubelet probes the pod IP) */
  host?: string;
  /** Each named check, run on every /readyz; a check that throws or takes longer than `checkTimeoutMs` fails. */
  checks: Record<string, () => CheckResult | Promise<CheckResult>>;
  /** @defaultValue 2000 (below the kubelet's default probe timeout of 1 s it would flap; above it the probe fails) */
  checkTimeoutMs?: number;
  /** The Prometheus exposition. */
  metrics: () => Promise<{ contentType: string; body: string }>;
}

export interface HealthServer {
  /** The port listened on (an ephemeral one when asked for a port the OS picks). */
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` (the process answers), `/readyz` (every check passes; 503 and the failing checks otherwise) and
 * `/metrics`, on a port of their own: Slack's HTTP port faces the internet through an Ingress, this one only the
 * kubelet and Prometheus.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const timeoutMs = options.checkTimeoutMs ?? 2000;
  const run = async (check: () => CheckResult | Promise<CheckResult>): Promise<CheckResult> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(check), late]);
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(timer);
    }
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const answer = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const fail = (e: unknown) => answer(500, 'text/plain; charset=utf-8', `${(e as Error)?.message ?? e}\n`);
    switch (path) {
      case '/healthz':
      case '/livez':
        answer(200, 'text/plain; charset=utf-8', 'ok\n');
        return;
      case '/readyz': {
        const entries = Object.entries(options.checks);
        Promise.all(entries.map(async ([name, check]) => [name, await run(check)] as const))
          .then((results) => {
            const verdict = judgeReadiness(Object.fromEntries(results));
            answer(verdict.ready ? 200 : 503, 'text/plain; charset=utf-8', verdict.text);
          })
          .catch(fail);
        return;
      }
      case '/metrics':
        options
          .metrics()
          .then((m) => answer(200, m.contentType, m.body))
          .catch(fail);
        return;
      default:
        answer(404, 'text/plain; charset=utf-8', 'not found: /healthz, /readyz and /metrics are served here\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
