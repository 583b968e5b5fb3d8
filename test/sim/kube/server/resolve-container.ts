import { badRequest } from './status.js';

type Json = any;

const names = (list: Json[] | undefined): string[] => (list ?? []).map((c) => c.name);

/**
 * The container a pods/log or pods/exec request names, as kube-apiserver resolves it (pkg/registry/core/pod
 * strategy.go): none given and one container → that one; none given and several → 400 asking to choose; a name no
 * container, init container or ephemeral container has → 400 `container x is not valid for pod p`.
 */
export function resolveContainer(pod: Json, podName: string, requested: string): string {
  if (!requested) {
    const main = names(pod.spec?.containers);
    if (main.length === 1) return main[0] as string;
    if (main.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
    const inits = names(pod.spec?.initContainers);
    throw badRequest(
      `a container name must be specified for pod ${podName}, choose one of: [${main.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`,
    );
  }
  const all = [
    ...names(pod.spec?.containers),
    ...names(pod.spec?.initContainers),
    ...names(pod.spec?.ephemeralContainers),
  ];
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}
