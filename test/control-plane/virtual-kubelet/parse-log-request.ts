import type { LogParams } from '../../sim/kube/kubelet/index.js';

/** A kubelet API `containerLogs` request, read from its URL. */
export type LogRequest =
  | { ok: true; namespace: string; pod: string; params: LogParams; follow: boolean }
  | { ok: false; status: 400 | 404; message: string };

const INTEGER = /^-?\d+$/;

/**
 * Reads `GET /containerLogs/{namespace}/{pod}/{container}?previous&follow&timestamps&tailLines&limitBytes&sinceSeconds
 * &sinceTime` (pure), the URL the API server's `pods/log` proxy calls on the kubelet (KK
 * pkg/registry/core/pod/strategy.go LogLocation). Booleans are `true`/`false` as the API server writes them;
 * `sinceTime` (RFC 3339) becomes seconds before `now`. A malformed number is a 400, another path a 404.
 */
export function parseLogRequest(url: string, now: number): LogRequest {
  const u = new URL(url, 'https://kubelet.invalid');
  const parts = u.pathname.split('/').filter((p) => p !== '');
  if (parts.length !== 4 || parts[0] !== 'containerLogs') {
    return { ok: false, status: 404, message: `404 page not found: ${u.pathname}` };
  }
  const [namespace, pod, container] = parts.slice(1).map(decodeURIComponent) as [string, string, string];
  const q = u.searchParams;
  const flag = (name: string) => q.get(name) === 'true' || q.get(name) === '1';
  const params: LogParams = { container };
  if (flag('previous')) params.previous = true;
  if (flag('timestamps')) params.timestamps = true;
  for (const name of ['tailLines', 'limitBytes', 'sinceSeconds'] as const) {
    const raw = q.get(name);
    if (raw === null) continue;
    if (!INTEGER.test(raw)) return { ok: false, status: 400, message: `invalid ${name}: ${JSON.stringify(raw)}` };
    params[name] = Number(raw);
  }
  const sinceTime = q.get('sinceTime');
  if (sinceTime !== null && params.sinceSeconds === undefined) {
    const at = Date.parse(sinceTime);
    if (Number.isNaN(at)) return { ok: false, status: 400, message: `invalid sinceTime: ${JSON.stringify(sinceTime)}` };
    params.sinceSeconds = Math.max(0, Math.ceil((now - at) / 1000));
  }
  return { ok: true, namespace, pod, params, follow: flag('follow') };
}
