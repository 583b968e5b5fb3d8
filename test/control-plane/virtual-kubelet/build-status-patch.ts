type Json = any;

/**
 * The JSON merge patch a kubelet sends to `pods/{name}/status` to move the status it last wrote, `previous`, to
 * `next` (pure). It carries `metadata.uid`, which the API server checks against the stored pod, so a status meant for a pod
 * that was deleted and recreated under the same name is refused (409) instead of landing on its successor, as the
 * kubelet's status manager does. Only changed keys are sent; keys the kubelet wrote before and has dropped (a
 * terminal pod's reason and message) are sent as null, since a merge patch keeps absent keys (and replaces lists
 * whole). Keys others own (nominatedNodeName, the scheduler's) are never in `previous`, so never touched. `qosClass` is left out: the API server sets it at creation and refuses to change it.
 * Undefined when there is nothing to send.
 */
export function buildStatusPatch(uid: string, previous: Json | undefined, next: Json): Json | undefined {
  const status: Json = {};
  const before: Json = previous ?? {};
  for (const [k, v] of Object.entries(next ?? {})) {
    if (k === 'qosClass') continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(v)) status[k] = v;
  }
  for (const k of Object.keys(before)) {
    if (k === 'qosClass') continue;
    if (!(k in (next ?? {}))) status[k] = null;
  }
  if (Object.keys(status).length === 0) return undefined;
  return { metadata: { uid }, status };
}
