import type { Container } from '../kube/types.js';

type Probe = NonNullable<Container['livenessProbe']>;

/** A probe as `kubectl describe pod` prints it: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Probe): string {
  let how = 'unknown handler';
  if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
    how = `http-get ${scheme}://${p.httpGet.host ?? ''}:${p.httpGet.port}${p.httpGet.path ?? '/'}`;
  } else if (p.tcpSocket) {
    how = `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port}`;
  } else if (p.exec) {
    how = `exec [${(p.exec.command ?? []).join(' ')}]`;
  } else if (p.grpc) {
    how = `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''}`.trimEnd();
  }
  // Defaults from the PodSpec API: timeout 1 s, period 10 s, success 1, failure 3.
  return `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}
