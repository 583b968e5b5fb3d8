import {
  debugContainerPrivilege,
  decideEphemeralOffer,
  type EphemeralOffer,
  pickEphemeralTarget,
} from '../actions/index.js';
import type { Config } from '../config/index.js';
import { type PodSecurityLevel, podSecurityLevelOf } from '../debugpods/index.js';
import type { Diagnosis } from '../diagnosis/index.js';
import type { KubeClient } from '../kube/index.js';
import type { Pod } from '../kube/types.js';

/** The "Attach debug container" offer for one container of the diagnosis, as plain data that survives a queue. */
export interface DebugContainerOffer {
  /** Index into `diagnosis.containers`. */
  index: number;
  offer: EphemeralOffer;
  profile: string;
  privilege: string[];
}

/**
 * The "Attach debug container" offer: for the container the diagnosis is about when it runs, else the first running
 * one. The namespace's Pod Security level is read only when there is a container to target; an unreadable namespace
 * leaves the decision to the API server at attach time. Asked in the cluster that holds the pod, so an agent answers
 * it without sending the pod spec away.
 */
export async function offerDebugContainer(
  kube: KubeClient,
  pod: Pod,
  diagnosis: Diagnosis,
  podPrivilege: string[],
  config: Pick<Config, 'debugContainer'>,
): Promise<DebugContainerOffer | undefined> {
  const { debugContainer } = config;
  if (!debugContainer.enabled) return undefined;
  const names = diagnosis.containers.filter((c) => c.kind !== 'ephemeral').map((c) => c.name);
  const focus = diagnosis.findings[0]?.container ?? diagnosis.containers.find((c) => c.failing)?.name;
  const target = pickEphemeralTarget(pod, names, focus);
  if (target === undefined) return undefined;
  const context = { profile: debugContainer.profile };
  let offer = decideEphemeralOffer(pod, target, context);
  if (offer.kind === 'attach') {
    const level = await readPodSecurityLevel(kube, diagnosis.pod.namespace);
    if (level) offer = decideEphemeralOffer(pod, target, { ...context, podSecurityLevel: level });
  }
  return {
    index: diagnosis.containers.findIndex((c) => c.name === target),
    offer,
    profile: debugContainer.profile,
    privilege: debugContainerPrivilege(podPrivilege, debugContainer.profile),
  };
}

/** Unknown when the namespace cannot be read: the worker checks admission again before it adds anything. */
async function readPodSecurityLevel(kube: KubeClient, namespace: string): Promise<PodSecurityLevel | undefined> {
  try {
    return podSecurityLevelOf((await kube.readNamespace(namespace)).metadata?.labels);
  } catch {
    return undefined;
  }
}
