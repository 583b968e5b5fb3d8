/** What varies between node shells; the bot fills these from config. */
export interface NodeShellOptions {
  /**
   * Namespace of the shell pod. It must allow privileged pods (`pod-security.kubernetes.io/enforce=privileged`);
   * baseline and restricted namespaces reject it. @defaultValue 'debugdead-nodeshell'
   */
  namespace?: string;
  /** Mount the node's root filesystem read-only at `/host` (kubelet and runtime logs), as the config does. @defaultValue true */
  mountHostRoot?: boolean;
  /** PriorityClass for the shell, so it is not the first pod evicted on a node under pressure. @defaultValue '' (none) */
  priorityClassName?: string;
}

export const NODE_SHELL_DEFAULTS = {
  namespace: 'debugdead-nodeshell',
  mountHostRoot: true,
  priorityClassName: '',
} satisfies Required<NodeShellOptions>;

/** Busybox has `nsenter` with the long options we print, and `sleep`; pin it (a tag or digest) in config. */
export const DEFAULT_NODE_SHELL_IMAGE = 'busybox:1.37-musl';

/** An approved request for a privileged shell on one node. */
export interface NodeShellRequest extends NodeShellOptions {
  /** Opaque request id; recorded in a label (sanitised) and an annotation (exact). */
  requestId: string;
  /** The node, as the request recorded it (the builder takes the node name separately, as the job resolves it). */
  node: string;
  /** Slack user id of the requester. */
  requestedBy: string;
  /** Slack user id of the approver (node shells need a second person by default). */
  approvedBy?: string;
  /** Seconds until the bot deletes the shell; sets the `expires-at` annotation. Must not exceed `maxTtlSeconds`. */
  ttlSeconds: number;
  /** The longest the shell may live: its activeDeadlineSeconds and sleep length. */
  maxTtlSeconds: number;
  /** A small pinned image with `nsenter` and `sleep`, e.g. {@link DEFAULT_NODE_SHELL_IMAGE}. */
  image: string;
}
