import { isWindowsPod, type OptionalRef } from '../debugpods/index.js';
import { parseMissingConfig } from '../diagnosis/parse-missing-config.js';
import type { Container, ContainerStatus, Pod } from '../kube/types.js';

/** Whether a clone can get past the pod's failure, and which clone. */
export type CloneOffer =
  | { kind: 'clone' }
  /** The clone, with env references to missing keys made optional: it starts without those variables. */
  | { kind: 'optional-refs'; refs: OptionalRef[]; label: string }
  /** No clone: it would fail exactly as the source does. */
  | { kind: 'none'; reason: string; fix: string };

/** Waiting reasons of a container whose image the kubelet cannot get; a clone uses the same image. */
const IMAGE_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

function statuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function containers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

/**
 * Decides from the pod (its spec and the kubelet's container statuses) whether a debug clone of `container` can
 * get past the failure. A clone keeps every image and every env reference, so an image-pull failure or a missing
 * Secret/ConfigMap stops it exactly like the source: the person gets the reason and the fix instead of a button
 * that costs an approval and a two-minute wait. A missing key in a non-optional reference is the exception: a
 * clone with that reference optional starts, without the variable. Windows pods cannot get our Linux busybox.
 * Pure; the diagnosis message and the job's plan both ask it.
 */
export function decideCloneOffer(pod: Pod, container: string): CloneOffer {
  const ns = pod.metadata?.namespace || 'default';
  if (isWindowsPod(pod)) {
    return {
      kind: 'none',
      reason:
        'it is a Windows pod, and a debug clone runs the target on a Linux busybox, which a Windows node cannot run',
      fix: `debug it with a Windows image: \`kubectl debug -it -n ${ns} ${pod.metadata?.name ?? 'POD'} --image=mcr.microsoft.com/windows/nanoserver:ltsc2022 --target=${container}\``,
    };
  }
  const pull = statuses(pod).find((s) => IMAGE_FAILURES.has(s.state?.waiting?.reason ?? ''));
  if (pull) {
    return {
      kind: 'none',
      reason: `a clone uses the same image, and ${pull.name}'s image ${pull.image} cannot be pulled (${pull.state!.waiting!.reason})`,
      fix: 'fix the image name or tag, or the pull credentials (imagePullSecrets), then let the pod retry',
    };
  }
  const refs: OptionalRef[] = [];
  for (const s of statuses(pod)) {
    const waiting = s.state?.waiting;
    if (waiting?.reason !== 'CreateContainerConfigError') continue;
    const missing = parseMissingConfig(waiting.message ?? '');
    if (!missing) continue;
    if (!missing.key) {
      const create =
        missing.kind === 'Secret'
          ? `kubectl create secret generic ${missing.name} -n ${ns} --from-literal=KEY=VALUE`
          : `kubectl create configmap ${missing.name} -n ${ns} --from-literal=KEY=VALUE`;
      return {
        kind: 'none',
        reason: `${s.name} refers to ${missing.kind} ${missing.name}, which does not exist in ${ns}, and a clone refers to it too`,
        fix: `create it (\`${create}\`), fix the name in the pod spec, or mark the reference optional: true`,
      };
    }
    const ref = { kind: missing.kind, name: missing.name, key: missing.key };
    const used = containers(pod).some((c) =>
      (c.env ?? []).some((e) => {
        const r = missing.kind === 'Secret' ? e.valueFrom?.secretKeyRef : e.valueFrom?.configMapKeyRef;
        return r?.name === ref.name && r.key === ref.key && !r.optional;
      }),
    );
    if (used && !refs.some((r) => r.kind === ref.kind && r.name === ref.name && r.key === ref.key)) refs.push(ref);
  }
  if (refs.length) {
    const keys = refs.map((r) => `${r.name}[${r.key}]`).join(', ');
    return { kind: 'optional-refs', refs, label: `without ${keys}` };
  }
  return { kind: 'clone' };
}
