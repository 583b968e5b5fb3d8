import type { EphemeralContainer, Pod } from '../kube/types.js';
import { DEBUG_PROFILE_SPECS, type DebugProfile } from './debug-profiles.js';
import { shellJoin } from './shell-join.js';

/** What decides a debug container: all of it comes from the signed grant and today's config. */
export interface DebugContainerRequest {
  /** The container whose process namespace it joins (`targetContainerName`). */
  target: string;
  profile: DebugProfile;
  /** From the configured allowlist (debugContainer.images). */
  image: string;
  /** It runs `sleep <ttlSeconds>`, so it ends by itself. */
  ttlSeconds: number;
}

/** The ephemeral container to add, and what a person should know and paste. */
export interface BuiltDebugContainer {
  /** A plain `v1/EphemeralContainer` for `PATCH pods/P/ephemeralcontainers`. */
  container: EphemeralContainer;
  /** `debugger-<suffix>`, as `kubectl debug` names them. */
  name: string;
  /** The exact line to paste to get a shell in it. */
  execCommand: string;
  /** What to type in that shell to look at the target's files. */
  lookCommands: string[];
  /** Sentences about the profile and what is left behind. */
  notes: string[];
}

/** Longest name we give it: `debugger-` and a suffix of at most 16 characters fit a DNS label easily. */
const NAME_PREFIX = 'debugger-';

/**
 * The ephemeral debug container `kubectl debug -it POD --image=IMAGE --target=C --profile=P` would add, except that
 * it runs `sleep <ttl>` instead of an interactive shell: nobody is attached to its stdin, and the sleep ends it at
 * its TTL whatever happens to the bot. No ports, probes, resources or lifecycle: the API server forbids them on
 * ephemeral containers. Pure: the name suffix is passed in (derived from the action id, so a retry adds the same
 * container and finds it there).
 */
export function buildDebugContainer(
  pod: Pod,
  request: DebugContainerRequest,
  ids: { suffix: string },
): BuiltDebugContainer {
  const name = `${NAME_PREFIX}${ids.suffix}`;
  const profile = DEBUG_PROFILE_SPECS[request.profile];
  const container: EphemeralContainer = {
    name,
    image: request.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sleep', String(Math.max(1, Math.floor(request.ttlSeconds)))],
    targetContainerName: request.target,
    terminationMessagePolicy: 'File',
    ...(profile.securityContext ? { securityContext: structuredClone(profile.securityContext) } : {}),
  };
  const namespace = pod.metadata?.namespace ?? 'default';
  const podName = pod.metadata?.name ?? '';
  const execCommand = `kubectl exec -it -n ${namespace} ${podName} -c ${name} -- sh`;
  const shared = pod.spec?.shareProcessNamespace === true;
  const notes = [
    profile.note,
    `ephemeral containers cannot be removed: after its TTL, a terminated container ${name} stays in the pod's spec and status until the pod is replaced`,
  ];
  return { container, name, execCommand, lookCommands: lookCommands(pod, request.target, shared), notes };
}

/**
 * How to reach the target's root filesystem from the debug container. With `targetContainerName` the debug
 * container joins the target's PID namespace, where the target's first process is PID 1; with
 * `shareProcessNamespace: true` the whole pod shares one namespace whose PID 1 is the pause process, so the target's
 * process must be found by its command.
 */
function lookCommands(pod: Pod, target: string, shared: boolean): string[] {
  if (!shared) return ['ls /proc/1/root/'];
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === target);
  const program = (spec?.command ?? [])[0];
  const word = program?.split('/').pop();
  if (word) return [`ls /proc/$(pgrep -o -f ${shellJoin([word])})/root/`];
  return ['ps -o pid,user,args', 'ls /proc/PID/root/   # PID: the target’s process in the list above'];
}
