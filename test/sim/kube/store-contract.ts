/**
 * The contract between the simulated API server (test/sim/kube/server) and the simulated kubelet/scheduler
 * (test/sim/kube/kubelet). The server owns the implementation (test/sim/kube/store.ts); the kubelet only uses this.
 * Objects are plain JSON objects as they appear on the wire (apiVersion, kind, metadata, spec, status).
 */

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: any;
  spec?: any;
  status?: any;
  [k: string]: any;
};

/** Resource names as in URLs: 'pods', 'events', 'nodes', 'namespaces', 'replicasets', 'deployments', ... */
export type ResourceName = string;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  type: WatchEventType;
  resource: ResourceName;
  object: KubeObject;
}

export interface KubeStore {
  /** A deep copy of the stored object, or undefined. Cluster-scoped resources pass namespace undefined. */
  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Deep copies; all namespaces when namespace is undefined. */
  list(resource: ResourceName, namespace?: string): KubeObject[];
  /**
   * Stores a new object exactly as given (no validation or admission: that is the HTTP layer's job), filling
   * uid, creationTimestamp and resourceVersion when missing. Emits ADDED. Throws if it exists.
   */
  create(resource: ResourceName, object: KubeObject): KubeObject;
  /** Replaces the stored object (bumps resourceVersion). Emits MODIFIED. Returns the stored copy. */
  update(resource: ResourceName, object: KubeObject): KubeObject;
  /** Removes at once (after graceful deletion has run its course). Emits DELETED. */
  remove(resource: ResourceName, namespace: string | undefined, name: string): void;
  /** Subscribes to every change; returns an unsubscribe function. Called synchronously after each change. */
  subscribe(listener: (change: StoreChange) => void): () => void;
}
