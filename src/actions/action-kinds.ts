import type { ApproverSet, Config } from '../config/index.js';
import { CLONE_SHELL, NODE_SHELL_ENTRY } from '../debugpods/index.js';

/**
 * What a button asks for: a debug clone of a pod, an ephemeral debug container attached to it (`kubectl debug
 * --target`), or a root shell on its node.
 */
export type ActionKind = 'clone' | 'ephemeral' | 'node-shell';

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
  preposition: 'of' | 'on' | 'in';
  /** What runs after `kubectl exec -it … --` to get a shell (node shells enter the host's namespaces). */
  execShell: string;
  /** Whether the exec line names the container (`-c`): the clone's target; a node shell has one container. */
  execNamesContainer: boolean;
  /**
   * `always`: the kind is privileged by construction; `by-pod-spec`: privileged when the pod it builds (or, for a
   * debug container, the pod it joins and its profile) would be.
   */
  privileged: 'always' | 'by-pod-spec';
  /** Whether it makes a pod of its own (deleted at its TTL, Extend, Delete now) or joins an existing one. */
  makesPod: boolean;
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
    execShell: CLONE_SHELL,
    execNamesContainer: true,
    privileged: 'by-pod-spec',
    makesPod: true,
    enabled: () => true,
    ttl: (c) => ({ defaultSeconds: c.debugClone.defaultTtlSeconds, maxSeconds: c.debugClone.maxTtlSeconds }),
    podNamespace: (_c, source) => source,
  },
  ephemeral: {
    kind: 'ephemeral',
    label: 'Attach debug container',
    noun: 'a debug container',
    title: 'Debug container',
    preposition: 'in',
    execShell: 'sh',
    execNamesContainer: true,
    privileged: 'by-pod-spec',
    makesPod: false,
    // A policy check may be handed a config without the section (authorize's PolicyConfig): on by default.
    enabled: (c) => c.debugContainer?.enabled !== false,
    // `sleep <ttl>` is its command, fixed at creation: an ephemeral container can be neither changed nor removed,
    // so there is no Extend, and the default is the maximum.
    ttl: (c) => ({ defaultSeconds: c.debugContainer.ttlSeconds, maxSeconds: c.debugContainer.ttlSeconds }),
    podNamespace: (_c, source) => source,
  },
  'node-shell': {
    kind: 'node-shell',
    label: 'Open node shell',
    noun: 'a node shell',
    title: 'Node shell',
    preposition: 'on',
    execShell: NODE_SHELL_ENTRY,
    execNamesContainer: false,
    privileged: 'always',
    makesPod: true,
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
