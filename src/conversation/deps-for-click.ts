import { parseActionId } from '../actions/index.js';
import type { ConversationDeps } from './deps.js';

/**
 * Many clusters: a click is handled as its diagnosis' cluster's (that cluster's approvers and limits, grants signed
 * with its key). The cluster is read from the signed diagnosis record, never from the click. One cluster, or a value
 * that is not one of ours: `deps` unchanged (the flow itself answers a bad value).
 */
export async function depsForClick(deps: ConversationDeps, value: string | undefined): Promise<ConversationDeps> {
  const ref = parseActionId(value);
  return ref ? depsForDiagnosis(deps, ref.diagnosisId) : deps;
}

/**
 * The same for a pick from a menu of a diagnosis' message (Mute, More logs): its cluster's conversation, whose reads
 * go to that cluster's agent and whose mutes are kept where that agent reads them.
 */
export async function depsForDiagnosis(deps: ConversationDeps, diagnosisId: string): Promise<ConversationDeps> {
  if (!deps.clusters) return deps;
  const cluster = (await deps.records.get(diagnosisId).catch(() => undefined))?.request.cluster;
  return cluster ? deps.clusters.depsFor(cluster) : deps;
}
