import { MANAGED_LABEL } from '../debugpods/index.js';
import type { TroubledPod } from './alert-state.js';
import { classifyPod } from './classify-pod.js';
import { failingSinceOfPod } from './failing-since-of-pod.js';
import type { CompactPod, DetectionOptions } from './types.js';

/** Our own debug pods crash by design (a clone of a crashing app): alerting never looks at them. */
const isOurs = (pod: CompactPod): boolean => pod.labels[MANAGED_LABEL] === 'true';

/**
 * Whether alerting has to remember this pod at all: failing, or not Ready (recovery waits for it). A healthy Ready
 * pod, or one of our debug pods, is none of its business. Pure, and cheap: the watch calls it for every pod.
 */
export function isPodInTrouble(pod: CompactPod, rules: DetectionOptions): boolean {
  if (isOurs(pod)) return false;
  const verdict = classifyPod(pod, rules);
  return verdict.failing || !verdict.ready;
}

/**
 * The pod as alerting keeps it, or undefined when it is fine (healthy and Ready, or ours). A crash-looping container
 * is briefly Running between back-offs: the pod stays failing (with its reason and start) until it is Ready again or
 * gone, so the count in the message does not flap. Pure.
 */
export function podTrouble(
  pod: CompactPod,
  rules: DetectionOptions,
  now: Date,
  prev: TroubledPod | undefined,
): TroubledPod | undefined {
  if (isOurs(pod)) return undefined;
  const verdict = classifyPod(pod, rules);
  if (!verdict.failing && verdict.ready) return undefined;
  const failing = verdict.failing ? verdict.reason : prev?.failing;
  const since = failing ? (failingSinceOfPod(pod, now) ?? prev?.since) : undefined;
  if (prev && prev.name === pod.name && prev.failing === failing && prev.since === since) return prev;
  return { name: pod.name, failing, since };
}
