/** What varies between clones of the same pod; the bot fills these from config and the button that was clicked. */
export interface CloneOptions {
  /** Mount the source's PersistentVolumeClaims read-only instead of swapping in an emptyDir. @defaultValue false */
  keepClaims?: boolean;
  /** Pin the clone to the source's node (`spec.nodeName`), for node-local bugs. @defaultValue false */
  sameNode?: boolean;
  /** Keep the source's init containers (after our injector); they may be the crasher, or run migrations. @defaultValue true */
  keepInitContainers?: boolean;
  /** Keep only the target container, dropping sidecars (classic and native). @defaultValue false */
  onlyTarget?: boolean;
  /**
   * Env references (`secretKeyRef`/`configMapKeyRef`) to make `optional: true`, for a source stuck in
   * CreateContainerConfigError on a missing key: the clone starts without that variable. @defaultValue []
   */
  optionalRefs?: OptionalRef[];
}

/** A key of a Secret or ConfigMap that env references read. */
export interface OptionalRef {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  key: string;
}

export const CLONE_DEFAULTS = {
  keepClaims: false,
  sameNode: false,
  keepInitContainers: true,
  onlyTarget: false,
  optionalRefs: [] as OptionalRef[],
} satisfies Required<CloneOptions>;

/** A static busybox (the musl build is statically linked), copied into the target so even scratch images get a shell. */
export const DEFAULT_HELPER_IMAGE = 'busybox:1.37-musl';

/** An approved request for a debug clone of one pod. */
export interface CloneRequest extends CloneOptions {
  /** Opaque request id; recorded in a label (sanitised) and an annotation (exact). */
  requestId: string;
  /** Name of the target container, a regular or an init container of the source pod. */
  container: string;
  /** Slack user id of the requester. */
  requestedBy: string;
  /** Slack user id of the approver, when someone else approved. */
  approvedBy?: string;
  /** Seconds until the bot deletes the clone; sets the `expires-at` annotation. Must not exceed `maxTtlSeconds`. */
  ttlSeconds: number;
  /** The longest the clone may live (TTL extensions included): its activeDeadlineSeconds and sleep length. */
  maxTtlSeconds: number;
  /** Image holding a static busybox at `/bin/busybox`, e.g. {@link DEFAULT_HELPER_IMAGE}. */
  helperImage: string;
}
