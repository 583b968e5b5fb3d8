import type { Container, Pod, PodSpec } from '../kube/types.js';
import type { BuildIds, BuiltPod } from './built-pod.js';
import { checkLifetime } from './check-lifetime.js';
import { DebugPodError } from './debug-pod-error.js';
import {
  APPROVED_BY_ANNOTATION,
  EXPIRES_AT_ANNOTATION,
  ISTIO_INJECT_LABEL,
  KIND_LABEL,
  MANAGED_LABEL,
  NODE_ANNOTATION,
  REQUEST_ID_ANNOTATION,
  REQUEST_ID_LABEL,
  REQUESTED_BY_ANNOTATION,
} from './labels.js';
import { NODE_SHELL_DEFAULTS, type NodeShellRequest } from './node-shell-options.js';
import { nodeShellName, toLabelValue } from './pod-names.js';

/** What a node shell's exec line runs: a login shell in the namespaces of the node's PID 1 (its init). */
export const NODE_SHELL_ENTRY = 'nsenter --target 1 --mount --uts --ipc --net --pid -- sh -l';

/** Where the node's root filesystem appears when `mountHostRoot` is set, as with `kubectl debug node/…`. */
export const HOST_ROOT_DIR = '/host';

/**
 * A privileged pod on `nodeName` sharing the host's PID, network and IPC namespaces, entered with `nsenter` into
 * PID 1's namespaces (as `kubectl debug node/…` does). Pure: the same ids give the same pod.
 */
export function buildNodeShell(nodeName: string, req: NodeShellRequest, ids: BuildIds): BuiltPod {
  checkLifetime(req.ttlSeconds, req.maxTtlSeconds);
  if (!nodeName) throw new DebugPodError('InvalidRequest', 'node name is empty');
  if (!req.requestId) throw new DebugPodError('InvalidRequest', 'requestId is empty');
  if (!req.image) throw new DebugPodError('InvalidRequest', 'image is empty');
  const namespace = req.namespace || NODE_SHELL_DEFAULTS.namespace;
  const mountHostRoot = req.mountHostRoot ?? NODE_SHELL_DEFAULTS.mountHostRoot;
  const priorityClassName = req.priorityClassName || NODE_SHELL_DEFAULTS.priorityClassName;
  const name = nodeShellName(nodeName, ids.suffix);

  const container: Container = {
    name: 'shell',
    image: req.image,
    imagePullPolicy: 'IfNotPresent',
    // Sleeps for the maximum so Extend never outlives the process; the TTL delete ends it sooner.
    command: ['sleep', String(req.maxTtlSeconds)],
    // Without privileged, nsenter and chroot /host fail with "Permission denied" (kubectl debug node/'s default).
    securityContext: { privileged: true, runAsUser: 0 },
    resources: { requests: { cpu: '10m', memory: '32Mi' } },
    ...(mountHostRoot ? { volumeMounts: [{ name: 'host-root', mountPath: HOST_ROOT_DIR, readOnly: true }] } : {}),
  };
  const spec: PodSpec = {
    // nodeName bypasses the scheduler: the shell lands on this node even when it is cordoned or full.
    nodeName,
    hostPID: true,
    hostNetwork: true,
    hostIPC: true,
    tolerations: [{ operator: 'Exists' }],
    restartPolicy: 'Never',
    // activeDeadlineSeconds can be lowered later but never raised, so it carries the maximum TTL.
    activeDeadlineSeconds: req.maxTtlSeconds,
    terminationGracePeriodSeconds: 0,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...(priorityClassName ? { priorityClassName } : {}),
    containers: [container],
    ...(mountHostRoot ? { volumes: [{ name: 'host-root', hostPath: { path: '/', type: 'Directory' } }] } : {}),
  };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: {
        [MANAGED_LABEL]: 'true',
        [KIND_LABEL]: 'node-shell',
        [REQUEST_ID_LABEL]: toLabelValue(req.requestId),
        [ISTIO_INJECT_LABEL]: 'false',
      },
      annotations: {
        [NODE_ANNOTATION]: nodeName,
        [REQUESTED_BY_ANNOTATION]: req.requestedBy,
        ...(req.approvedBy ? { [APPROVED_BY_ANNOTATION]: req.approvedBy } : {}),
        [REQUEST_ID_ANNOTATION]: req.requestId,
        [EXPIRES_AT_ANNOTATION]: new Date(ids.now.getTime() + req.ttlSeconds * 1000).toISOString(),
      },
    },
    spec,
  };
  const notes = [
    `privileged pod in namespace ${namespace}: it must allow privileged pods (PodSecurity enforce=privileged)`,
    ...(mountHostRoot ? [`the node's root filesystem is mounted read-only at ${HOST_ROOT_DIR}`] : []),
  ];
  return {
    pod,
    notes,
    execCommand: `kubectl exec -it -n ${namespace} ${name} -- ${NODE_SHELL_ENTRY}`,
  };
}
