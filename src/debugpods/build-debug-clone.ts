import type { Pod } from '../kube/types.js';
import type { BuildIds, BuiltPod } from './built-pod.js';
import { checkLifetime } from './check-lifetime.js';
import { CLONE_DEFAULTS, type CloneRequest } from './clone-options.js';
import {
  addOurAnnotations,
  applyStep,
  BUSYBOX_PATH,
  CLONE_SHELL,
  type CloneContext,
  type CloneStep,
  cleanMetadata,
  copyForDebug,
  dropAdmittedFields,
  dropFinalizers,
  dropHostname,
  dropHostPorts,
  dropOldTools,
  dropRuntimeState,
  dropSpreadRules,
  findSourceContainer,
  injectBusybox,
  keepMeshAnnotations,
  keepReadMetadata,
  makeRefsOptional,
  makeTargetSleep,
  noteSecurityContext,
  replaceLabels,
  runOnce,
  selectContainers,
  sourceNamespace,
  stripOwnerRefs,
  stripProbes,
  stripTargetLifecycle,
  swapClaims,
  unpinNode,
  warnUnpinnedHostPaths,
  withholdStaticPodToken,
} from './clone-steps.js';
import { DebugPodError } from './debug-pod-error.js';
import { isWindowsPod } from './pod-facts.js';
import { type DefinedNames, renderKubeCommand, renderKubeCommandVia } from './render-kube-command.js';

/** The clone's rules, top to bottom (clone-steps.ts says why each exists). */
const CLONE_STEPS: readonly CloneStep[] = [
  cleanMetadata,
  stripOwnerRefs,
  dropFinalizers,
  replaceLabels,
  keepMeshAnnotations,
  addOurAnnotations,
  unpinNode,
  withholdStaticPodToken,
  dropSpreadRules,
  dropHostPorts,
  dropOldTools,
  selectContainers,
  keepReadMetadata,
  makeRefsOptional,
  stripProbes,
  stripTargetLifecycle,
  makeTargetSleep,
  injectBusybox,
  swapClaims,
  dropAdmittedFields,
  dropRuntimeState,
  runOnce,
  dropHostname,
  noteSecurityContext,
  warnUnpinnedHostPaths,
];

/**
 * The debug clone of `source` for `req.container`: same image, volumes and environment, but no owner, no probes, no
 * Service-matching labels, the target asleep with a busybox beside it, and a deadline. Pure: `source` is only read,
 * and the same ids give the same pod. Throws {@link DebugPodError} when the request does not fit the pod.
 */
export function buildDebugClone(source: Pod, req: CloneRequest, ids: BuildIds): BuiltPod {
  const ctx = contextFor(source, req, ids);
  const { pod, notes } = CLONE_STEPS.reduce(applyStep(ctx), copyForDebug(source));
  const name = pod.metadata.name ?? '';
  return {
    pod,
    notes,
    execCommand: `kubectl exec -it -n ${sourceNamespace(source)} ${name} -c ${ctx.target.name} -- ${CLONE_SHELL}`,
    originalCommand: describeCommand(findSourceContainer(ctx)),
  };
}

function contextFor(source: Pod, req: CloneRequest, ids: BuildIds): CloneContext {
  checkLifetime(req.ttlSeconds, req.maxTtlSeconds);
  if (!req.requestId) throw new DebugPodError('InvalidRequest', 'requestId is empty');
  if (!req.helperImage) throw new DebugPodError('InvalidRequest', 'helperImage is empty');
  if (isWindowsPod(source)) {
    throw new DebugPodError(
      'Unsupported',
      `pod ${source.metadata?.name ?? '?'} is a Windows pod: a debug clone runs the target on a Linux busybox, which cannot run on a Windows node, and the busybox's Linux security settings are invalid in a Windows pod. Use kubectl debug with a Windows image instead`,
    );
  }
  const containers = source.spec?.containers ?? [];
  const init = source.spec?.initContainers ?? [];
  const inMain = containers.some((c) => c.name === req.container);
  if (!inMain && !init.some((c) => c.name === req.container)) {
    const names = [...init, ...containers].map((c) => c.name).join(', ') || 'none';
    throw new DebugPodError(
      'ContainerNotFound',
      `pod ${source.metadata?.name ?? '?'} has no container "${req.container}" (containers: ${names})`,
    );
  }
  const { approvedBy, ...rest } = req;
  return {
    source,
    req: { ...CLONE_DEFAULTS, ...stripUndefined(rest), approvedBy },
    ids,
    target: { name: req.container, init: !inMain },
  };
}

/** `undefined` in the request means "default", not "off". */
function stripUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

const SERVICE_LINK_NAME = /_(SERVICE_HOST|SERVICE_PORT|PORT)(_|$)/;

/**
 * The command line a person pastes in the clone's shell to start the target by hand: the argv the kubelet would
 * run (`$(VAR)` from the same environment, `$$` as `$`), run by the injected busybox's `sh`, which every clone has,
 * distroless and scratch images included.
 */
function describeCommand(
  c: { command?: string[]; args?: string[]; env?: { name: string }[]; envFrom?: unknown[] } | undefined,
): string {
  // The kubelet leaves `$(NAME)` as written when the container does not define NAME. envFrom may define any name, and
  // service links add `<SERVICE>_SERVICE_HOST`, `<SERVICE>_PORT…` for Services the spec does not name.
  const names = new Set((c?.env ?? []).map((e) => e.name));
  const defined: DefinedNames = c?.envFrom?.length
    ? 'all'
    : { has: (name) => names.has(name) || SERVICE_LINK_NAME.test(name) };
  if (c?.command?.length) return renderKubeCommandVia([BUSYBOX_PATH, 'sh'], [...c.command, ...(c.args ?? [])], defined);
  if (c?.args?.length) return `(image entrypoint) ${renderKubeCommand(c.args, defined)}`;
  return '(image entrypoint)';
}
