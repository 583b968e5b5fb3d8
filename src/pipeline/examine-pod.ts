import { type CloneOffer, classifyPodPrivilege, decideCloneOffer } from '../actions/index.js';
import type { Config } from '../config/index.js';
import type { Diagnosis, PodSuggestions } from '../diagnosis/index.js';
import type { KubeClient, KubeErrorKind } from '../kube/index.js';
import { diagnosePod, type PodRef } from './diagnose-pod.js';
import { type DebugContainerOffer, offerDebugContainer } from './offer-debug-container.js';

/** A KubeError as plain data: what survives a queue (the kind decides, the message is the server's own). */
export interface KubeFailure {
  kind: KubeErrorKind;
  message: string;
  status?: number;
}

/**
 * What the conversation needs of a cluster to post a diagnosis, as plain JSON: the (redacted) diagnosis, and what the
 * buttons need from the pod spec (would a clone be privileged, can a clone get past the failure), never the pod
 * itself. An agent answers a diagnosis task with exactly this, so the unredacted pod never leaves its cluster.
 */
export type ExamineResult =
  | {
      ok: true;
      diagnosis: Diagnosis;
      redactions: number;
      /** Why a clone would be privileged (classifyPodPrivilege); empty: it would not. */
      clonePrivilege: string[];
      /** The pod's labels, for runbook rules (`match.label`); matched, never shown. */
      podLabels: Record<string, string>;
      /** Per container of `diagnosis.containers`, whether a clone can get past the failure. */
      cloneOffers: (CloneOffer | undefined)[];
      /** The "Attach debug container" offer, when debug containers are enabled and a container could be targeted. */
      debugContainer?: DebugContainerOffer;
    }
  | {
      ok: false;
      reason: 'kube';
      error: KubeFailure;
      suggestions?: PodSuggestions;
      /** Other clusters holding a pod of that name in that namespace (filled by the gateway). */
      elsewhere?: string[];
    }
  | { ok: false; reason: 'no-container'; container: string; containers: string[] };

/** The diagnose pipeline plus the pod-spec questions the buttons ask, in the cluster that holds the pod. */
export async function examinePod(
  kube: KubeClient,
  ref: PodRef,
  config: Pick<Config, 'logs' | 'kubernetes' | 'debugClone' | 'debugContainer'>,
  now: () => Date,
): Promise<ExamineResult> {
  const result = await diagnosePod(
    kube,
    ref,
    {
      tailLines: config.logs.tailLines,
      limitBytes: config.logs.limitBytes,
      callTimeoutMs: config.kubernetes.requestTimeoutSeconds * 1000,
    },
    now,
  );
  if (!result.ok && result.reason === 'kube') {
    const { kind, message, status } = result.error;
    return {
      ok: false,
      reason: 'kube',
      error: { kind, message, ...(status !== undefined ? { status } : {}) },
      ...(result.suggestions ? { suggestions: result.suggestions } : {}),
    };
  }
  if (!result.ok) return result;
  // A clone keeps its source's spec: said before anyone clicks whether it would be privileged (the worker
  // classifies the pod it builds again, so this is a label, not the decision).
  const clonePrivilege = classifyPodPrivilege(result.pod.spec, {
    namespace: ref.namespace,
    sensitiveServiceAccounts: config.debugClone.sensitiveServiceAccounts ?? [],
  });
  const debugContainer = await offerDebugContainer(kube, result.pod, result.diagnosis, clonePrivilege, config);
  return {
    ok: true,
    diagnosis: result.diagnosis,
    redactions: result.redactions,
    clonePrivilege,
    podLabels: result.pod.metadata?.labels ?? {},
    cloneOffers: result.diagnosis.containers.map((c) => decideCloneOffer(result.pod, c.name)),
    ...(debugContainer ? { debugContainer } : {}),
  };
}
