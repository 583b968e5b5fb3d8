import type { KubeObject } from '../store-contract.js';
import { parseCpuMillis, parseQuantity } from './quantity.js';

/** What a pod asks of a node, as the scheduler's NodeResourcesFit plugin counts it. */
export interface PodRequests {
  cpuMillis: number;
  memoryBytes: number;
}

type Container = any;

/** A container's request: its `requests`, or its `limits` when requests are absent (the API server's defaulting). */
function containerRequest(c: Container, key: 'cpu' | 'memory'): string | undefined {
  return c?.resources?.requests?.[key] ?? c?.resources?.limits?.[key];
}

/** The host ports the pod's containers claim, as `TCP/8080` (hostIP is not told apart). */
export function podHostPorts(pod: KubeObject): string[] {
  const out: string[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort > 0) out.push(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  }
  return out;
}

/**
 * max(sum of regular containers (and native sidecars), largest init container) plus pod overhead, as
 * k8s.io/component-helpers resource.PodRequests computes it.
 */
export function podRequests(pod: KubeObject): PodRequests {
  const spec = pod.spec ?? {};
  const sum = { cpuMillis: 0, memoryBytes: 0 };
  for (const c of spec.containers ?? []) {
    sum.cpuMillis += parseCpuMillis(containerRequest(c, 'cpu'));
    sum.memoryBytes += parseQuantity(containerRequest(c, 'memory'));
  }
  let initCpu = 0;
  let initMem = 0;
  for (const c of spec.initContainers ?? []) {
    const cpu = parseCpuMillis(containerRequest(c, 'cpu'));
    const mem = parseQuantity(containerRequest(c, 'memory'));
    if (c.restartPolicy === 'Always') {
      sum.cpuMillis += cpu;
      sum.memoryBytes += mem;
    } else {
      initCpu = Math.max(initCpu, cpu);
      initMem = Math.max(initMem, mem);
    }
  }
  return {
    cpuMillis: Math.max(sum.cpuMillis, initCpu) + parseCpuMillis(spec.overhead?.cpu),
    memoryBytes: Math.max(sum.memoryBytes, initMem) + parseQuantity(spec.overhead?.memory),
  };
}
