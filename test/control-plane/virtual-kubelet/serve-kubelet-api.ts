import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LogParams, LogResult } from '../../sim/kube/kubelet/index.js';
import { parseLogRequest } from './parse-log-request.js';

export interface KubeletApiOptions {
  /** Serving certificate and key (PEM); the API server does not verify them without --kubelet-certificate-authority. */
  cert: string;
  key: string;
  /** CA (PEM) whose client certificates are accepted: the API server's --kubelet-client-certificate. */
  clientCa: string;
  /** Whether the pod is bound to one of our nodes, and its container names. */
  findPod(namespace: string, pod: string): { containers: string[] } | undefined;
  readLog(namespace: string, pod: string, params: LogParams): LogResult;
  /** Whether the container's current instance is still running (a follow keeps streaming while it is). */
  isRunning(namespace: string, pod: string, container: string): boolean;
  now(): number;
  /** How often a follow looks for new lines. @defaultValue 500 */
  followPollMs?: number;
}

export interface KubeletApi {
  port: number;
  close(): Promise<void>;
}

/**
 * The kubelet API on 127.0.0.1 over HTTPS, with client certificates required (the kubelet's --client-ca-file):
 * `GET /containerLogs/{ns}/{pod}/{container}`, which the API server's `pods/log` proxies to, and `/healthz`.
 * Errors are plain text with the kubelet's status codes (404 for an unknown pod or container, 400 for a container
 * whose log cannot be read, e.g. no previous instance); the API server hands their text to the client.
 * `follow=true` keeps writing new lines while the container's instance runs.
 */
export async function serveKubeletApi(options: KubeletApiOptions): Promise<KubeletApi> {
  const pollMs = options.followPollMs ?? 500;
  const open = new Set<() => void>();
  const server: Server = createServer(
    { cert: options.cert, key: options.key, ca: options.clientCa, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const text = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(body);
      };
      if (req.method !== 'GET') return text(405, 'method not allowed');
      if (req.url === '/healthz') return text(200, 'ok');
      const parsed = parseLogRequest(req.url ?? '/', options.now());
      if (!parsed.ok) return text(parsed.status, parsed.message);
      const { namespace, pod, params } = parsed;
      const found = options.findPod(namespace, pod);
      if (!found) return text(404, `pod "${pod}" does not exist`);
      if (!found.containers.includes(params.container)) {
        return text(404, `container "${params.container}" not found in pod "${pod}"`);
      }
      const result = options.readLog(namespace, pod, params);
      if (result.status !== 200) return text(result.status, result.message);
      if (!parsed.follow || params.previous) return text(200, result.body);

      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'transfer-encoding': 'chunked' });
      res.write(result.body);
      // What follows is the instance's whole log as it grows; new lines are its suffix past the first read.
      const whole = (): string | undefined => {
        const r = options.readLog(namespace, pod, { container: params.container, timestamps: params.timestamps });
        return r.status === 200 ? r.body : undefined;
      };
      let seen = whole() ?? '';
      const end = () => {
        clearInterval(timer);
        open.delete(end);
        res.end();
      };
      const timer = setInterval(() => {
        const now = whole();
        if (now === undefined || !now.startsWith(seen)) return end();
        if (now.length > seen.length) res.write(now.slice(seen.length));
        seen = now;
        if (!options.isRunning(namespace, pod, params.container)) end();
      }, pollMs);
      open.add(end);
      req.on('close', end);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const end of [...open]) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
