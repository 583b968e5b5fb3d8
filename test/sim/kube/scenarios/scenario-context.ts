import type { Clock } from '../clock.js';
import type { Kubelet } from '../kubelet/kubelet.js';
import type { KubeObject, KubeStore } from '../store-contract.js';

/** What a scenario loads into. */
export interface ScenarioContext {
  store: KubeStore;
  clock: Clock;
  /** Where its container rules go (the simulator's kubelet, or the real control plane's virtual kubelet). */
  kubelet: Pick<Kubelet, 'addRule'>;
}

/** Creates the object unless one of that name exists (the API server's controllers may have made it). */
export function createOrKeep(store: KubeStore, resource: string, object: KubeObject): void {
  if (store.get(resource, object.metadata.namespace, object.metadata.name)) return;
  store.create(resource, object);
}
