import { parseActionId } from '../actions/index.js';
import type { ConversationDeps } from './deps.js';

/**
 * Many clusters: a click is handled as its diagnosis' cluster's (that cluster's approvers and limits, grants signed
 * with its key). The cluster is read from the signed diagnosis record, never from the click. One cluster, or a value
 * that is not one of ours: `deps` unchanged (the flow itself answers a bad value).
 */
export async function depsForClick(deps: ConversationDeps, value: string | undefined): Promise<ConversationDeps> {
  if (!deps.clusters) return deps;
  const ref = parseActionId(value);
  const cluster = ref ? (await deps.records.get(ref.diagnosisId).catch(() => undefined))?.request.cluster : undefined;
  return cluster ? deps.clusters.depsFor(cluster) : deps;
}
