type Json = any;

export type LogSource = { ok: true; containerID: string | undefined } | { ok: false; message: string };

/**
 * Which container instance a log request reads, from the container's status, as the kubelet's
 * validateContainerLogStatus decides (pkg/kubelet/kubelet_pods.go): previous → lastState.terminated or a 400;
 * running or terminated → the current one; waiting after a crash → the last crashed one; waiting before any start
 * → 400 `container "c" in pod "p" is waiting to start: <reason>` (image errors in words).
 */
export function chooseLogInstance(cs: Json | undefined, container: string, pod: string, previous: boolean): LogSource {
  if (!cs) return { ok: false, message: `container "${container}" in pod "${pod}" is not available` };
  const last = cs.lastState?.terminated;
  if (previous) {
    if (!last?.containerID) {
      return { ok: false, message: `previous terminated container "${container}" in pod "${pod}" not found` };
    }
    return { ok: true, containerID: last.containerID };
  }
  if (cs.state?.running || cs.state?.terminated) return { ok: true, containerID: cs.containerID };
  if (last) return { ok: true, containerID: last.containerID };
  const reason: string = cs.state?.waiting?.reason ?? '';
  const why =
    reason === 'ErrImagePull'
      ? "image can't be pulled"
      : reason === 'ImagePullBackOff'
        ? 'trying and failing to pull image'
        : reason;
  return { ok: false, message: `container "${container}" in pod "${pod}" is waiting to start: ${why}` };
}
