import type { ApproverSet, Config } from '../config/index.js';

/** What a button asks for: a debug clone of a pod, or a root shell on its node. */
export type ActionKind = 'clone' | 'node-shell';

/**
 * Who must agree. `standard`: one approver from `approvers` (the requester counts when an approver). `privileged`:
 * the node-shell approvers, and with the two-person rule two different people from that set.
 */
export type PrivilegeClass = 'standard' | 'privileged';

/** Everything that differs between action kinds, answered once here instead of `kind === 'clone' ? … : …`. */
export interface ActionKindSpec {
  kind: ActionKind;
  /** The request button's label. */
  label: string;
  /** In sentences: "a debug clone". */
  noun: string;
  /** In titles: "Debug clone of ns/pod", "Node shell on node-1". */
  title: string;
  preposition: 'of' | 'on';
  /** What runs after `kubectl exec -it … --` to get a shell (node shells enter the host's namespaces). */
  execShell: string;
  /** Whether the exec line names the container (`-c`): the clone's target; a node shell has one container. */
  execNamesContainer: boolean;
  /** `always`: the kind is privileged by construction; `by-pod-spec`: privileged when the pod it builds would be. */
  privileged: 'always' | 'by-pod-spec';
  /** The config key that switches the kind off, if any. */
  enabled(config: Config): boolean;
  /** Seconds: the default lifetime, and the maximum (the pod's activeDeadlineSeconds; Extend stops there). */
  ttl(config: Config): { defaultSeconds: number; maxSeconds: number };
  /** The namespace the pod is created in, given the source pod's. */
  podNamespace(config: Config, sourceNamespace: string): string;
}

export const ACTION_KINDS: Readonly<Record<ActionKind, ActionKindSpec>> = {
  clone: {
    kind: 'clone',
    label: 'Create debug clone',
    noun: 'a debug clone',
    title: 'Debug clone',
    preposition: 'of',
    execShell: 'sh',
    execNamesContainer: true,
    privileged: 'by-pod-spec',
    enabled: () => true,
    ttl: (c) => ({ defaultSeconds: c.debugClone.defaultTtlSeconds, maxSeconds: c.debugClone.maxTtlSeconds }),
    podNamespace: (_c, source) => source,
  },
  'node-shell': {
    kind: 'node-shell',
    label: 'Open node shell',
    noun: 'a node shell',
    title: 'Node shell',
    preposition: 'on',
    execShell: 'nsenter -t 1 -m -u -i -n -p -- sh',
    execNamesContainer: false,
    privileged: 'always',
    enabled: (c) => c.nodeShell.enabled,
    ttl: (c) => ({ defaultSeconds: c.nodeShell.defaultTtlSeconds, maxSeconds: c.nodeShell.maxTtlSeconds }),
    podNamespace: (c) => c.nodeShell.namespace,
  },
};

/** The privilege class of an action: always privileged kinds, and clones whose pod spec gives any privilege reason. */
export function privilegeClassOf(kind: ActionKind, privilegeReasons: readonly string[]): PrivilegeClass {
  return ACTION_KINDS[kind].privileged === 'always' || privilegeReasons.length > 0 ? 'privileged' : 'standard';
}

/** Who must agree to an action of a class, by configuration. */
export interface ClassRule {
  approvers: ApproverSet;
  /** The config key of that set, for sentences that tell an admin what to change. */
  approversKey: string;
  /** Distinct people from `approvers` who must agree (the requester counts when in the set). */
  required: 1 | 2;
}

export function classRule(config: Pick<Config, 'approvers' | 'nodeShell'>, privilege: PrivilegeClass): ClassRule {
  return privilege === 'standard'
    ? { approvers: config.approvers, approversKey: 'approvers', required: 1 }
    : {
        approvers: config.nodeShell.approvers,
        approversKey: 'nodeShell.approvers',
        required: config.nodeShell.twoPersonRule ? 2 : 1,
      };
}
