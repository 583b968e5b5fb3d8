type Json = any;

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * The pod phase from its container statuses, following the kubelet's getPhase (pkg/kubelet/kubelet_pods.go):
 * a failed init container fails the pod under restartPolicy Never and keeps it Pending otherwise; a regular
 * container waiting for its first start keeps it Pending; one running makes it Running; when all have stopped,
 * Always means Running (they will restart), all exit 0 means Succeeded, Never means Failed, OnFailure Running.
 */
export function podPhase(spec: Json, initStatuses: Json[], statuses: Json[]): PodPhase {
  const policy = spec.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (c.restartPolicy === 'Always') {
      if (!s?.state?.running && !s?.started) pendingInit++;
      continue;
    }
    if (!s) pendingInit++;
    else if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
      else pendingInit++;
    } else pendingInit++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || failedInit > 0) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (s?.state?.running) running++;
    else if (s?.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s?.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
