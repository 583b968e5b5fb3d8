import { type Diagnosis, diagnose, type GatherOptions, gatherFacts, type PodSuggestions } from '../diagnosis/index.js';
import type { KubeClient, KubeError, Pod } from '../kube/index.js';
import { foldDuplicateLogs } from './fold-duplicate-logs.js';
import { redactFacts } from './redact-facts.js';

/** Which pod; `container` narrows the logs, never the pod. */
export interface PodRef {
  namespace: string;
  pod: string;
  container?: string | undefined;
}

export type DiagnosePodResult =
  | {
      ok: true;
      diagnosis: Diagnosis;
      /** Secrets removed from the facts before reasoning. */
      redactions: number;
      /** The pod as read, before redaction, for builders that copy it (a debug clone); never for output. */
      pod: Pod;
    }
  | { ok: false; reason: 'kube'; error: KubeError; suggestions?: PodSuggestions }
  | { ok: false; reason: 'no-container'; container: string; containers: string[] };

/**
 * The diagnose pipeline the bot and the CLI share: read the facts in parallel, fold duplicate logs, redact every
 * text, reason. Nothing unredacted comes out but `pod`, which builders copy and nothing prints.
 */
export async function diagnosePod(
  kube: KubeClient,
  ref: PodRef,
  opts: GatherOptions,
  now: () => Date,
): Promise<DiagnosePodResult> {
  const gathered = await gatherFacts(
    kube,
    { namespace: ref.namespace, pod: ref.pod, ...(ref.container ? { container: ref.container } : {}) },
    opts,
    now,
  );
  if (!gathered.ok) {
    return {
      ok: false,
      reason: 'kube',
      error: gathered.error,
      ...(gathered.suggestions ? { suggestions: gathered.suggestions } : {}),
    };
  }
  if (ref.container) {
    const spec = gathered.facts.pod.spec;
    const containers = [
      ...(spec?.initContainers ?? []),
      ...(spec?.containers ?? []),
      ...(spec?.ephemeralContainers ?? []),
    ].map((c) => c.name);
    if (!containers.includes(ref.container)) {
      return { ok: false, reason: 'no-container', container: ref.container, containers };
    }
  }
  const { facts, redactions } = redactFacts(foldDuplicateLogs(gathered.facts));
  return { ok: true, diagnosis: diagnose(facts), redactions, pod: gathered.facts.pod };
}
