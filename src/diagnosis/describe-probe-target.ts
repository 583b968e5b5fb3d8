import type { Container } from '../kube/types.js';
import { cutAround } from './cut-around.js';
import { rankLogLine } from './rank-log-line.js';

type Probe = NonNullable<Container['livenessProbe']>;

/**
 * What a probe checks, short enough for a headline: `GET :8080/healthz`, `TCP :5432`, `exec "cat /tmp/ready"`,
 * `gRPC :9090`. Without the spec, the kubelet's Unhealthy message (`Get "http://10.1.2.3:8080/healthz": …`,
 * `dial tcp 10.1.2.3:5432: …`) gives the port and path.
 */
export function describeProbeTarget(probe: Probe | undefined, message?: string): string | undefined {
  if (probe?.httpGet) {
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? 'HTTPS ' : '';
    return `${scheme}GET ${probe.httpGet.host ?? ''}:${probe.httpGet.port}${probe.httpGet.path ?? '/'}`;
  }
  if (probe?.tcpSocket) return `TCP ${probe.tcpSocket.host ?? ''}:${probe.tcpSocket.port}`;
  if (probe?.grpc) return `gRPC :${probe.grpc.port}${probe.grpc.service ? ` ${probe.grpc.service}` : ''}`;
  if (probe?.exec) return `exec "${cutAround((probe.exec.command ?? []).join(' '), 60)}"`;
  const url = /Get "(https?):\/\/[^/:"]+(?::(\d+))?([^"]*)"/.exec(message ?? '');
  if (url)
    return `${url[1] === 'https' ? 'HTTPS ' : ''}GET :${url[2] ?? (url[1] === 'https' ? 443 : 80)}${url[3] || '/'}`;
  const tcp = /dial tcp [^\s:]+:(\d+)/.exec(message ?? '');
  if (tcp) return `TCP :${tcp[1]}`;
  return undefined;
}

/** Why the probe failed, from the kubelet's Unhealthy message: `HTTP probe failed with statuscode: 503`, `connection refused`. */
export function probeFailureCause(message: string | undefined): string | undefined {
  const rest = (message ?? '')
    .replace(/^(?:Liveness|Readiness|Startup) probe (?:failed|errored):\s*/i, '')
    // Older kubelets print the URL without quotes: `Get http://10.0.0.1:80/x: dial tcp …`.
    .replace(/^Get (?:"[^"]*"|\S+?):\s+/, '')
    .replace(/^dial tcp [^\s]+:\s*/, '')
    .replace(/^connect:\s*/, '')
    .trim();
  if (!rest) return undefined;
  if (/Client\.Timeout exceeded|context deadline exceeded|timeout: /i.test(rest)) return 'timed out';
  return cutAround(rest, 100, rankLogLine(rest).phrase);
}
