/**
 * Label and annotation keys that mark a pod as ours. The janitor, the watcher and the jobs read pods through these,
 * so the cluster alone says what we created and when it must go (the janitor deletes from these alone, even when Redis is lost).
 */

/** Label on every pod we create; value `"true"`. The janitor lists pods with this selector. */
export const MANAGED_LABEL = 'debugdead.io/managed';
/** Label: `clone` or `node-shell`. */
export const KIND_LABEL = 'debugdead.io/kind';
/** Label: the request id, sanitised to a label value (the exact id is in {@link REQUEST_ID_ANNOTATION}). */
export const REQUEST_ID_LABEL = 'debugdead.io/request-id';
/** Istio's per-pod opt-out; `"false"` stops its webhook injecting a (second) sidecar into our pod. */
export const ISTIO_INJECT_LABEL = 'sidecar.istio.io/inject';

/** Label selector matching every pod we manage. */
export const MANAGED_SELECTOR = `${MANAGED_LABEL}=true`;

/** `namespace/name` of the pod a clone was made from. */
export const SOURCE_POD_ANNOTATION = 'debugdead.io/source-pod';
/** Node a node shell runs on. */
export const NODE_ANNOTATION = 'debugdead.io/node';
/** Slack user id of the person who asked. */
export const REQUESTED_BY_ANNOTATION = 'debugdead.io/requested-by';
/** Slack user id of the approver; absent when nobody approved separately. */
export const APPROVED_BY_ANNOTATION = 'debugdead.io/approved-by';
/** The exact request id. */
export const REQUEST_ID_ANNOTATION = 'debugdead.io/request-id';
/** ISO 8601 instant after which the pod must be deleted (the janitor's clock). */
export const EXPIRES_AT_ANNOTATION = 'debugdead.io/expires-at';
/** Many clusters: the cluster (config clusters[].name) whose agent created the pod. */
export const CLUSTER_ANNOTATION = 'debugdead.io/cluster';
/** JSON `{"command"?: string[], "args"?: string[]}` of the target before we replaced it. */
export const ORIGINAL_COMMAND_ANNOTATION = 'debugdead.io/original-command';

/** Values of {@link KIND_LABEL}. */
export type DebugPodKind = 'clone' | 'node-shell';

/**
 * Annotations an injected mesh sidecar leaves on a pod. Kept on a clone because the sidecar containers are copied
 * too: Istio's injector skips a pod carrying `sidecar.istio.io/status`, and without the marks a webhook could inject
 * a second proxy with the same container name, which the API server rejects.
 */
export const MESH_SIDECAR_ANNOTATIONS: readonly string[] = [
  'sidecar.istio.io/status',
  'linkerd.io/created-by',
  'linkerd.io/proxy-version',
  'linkerd.io/identity-mode',
  'linkerd.io/trust-root-sha256',
];
