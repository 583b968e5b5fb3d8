import type { TaskKind } from '../clusters/index.js';
import type { WorkloadKind, WorkloadTarget } from '../command/index.js';
import type { ExpiryMark } from '../conversation/mark-expiry.js';
import type { GatherOptions } from '../diagnosis/index.js';
import { DNS_LABEL_NAME, DNS_SUBDOMAIN_NAME } from '../kube/kubernetes-names.js';

/** A task's body once read: what the agent will do, with every name checked and every number bounded. */
export type TaskRequest =
  | { kind: 'diagnose'; namespace: string; pod: string; container?: string }
  | { kind: 'locate'; namespace: string; pod: string }
  | { kind: 'locate'; namespace: string; workload: WorkloadTarget }
  | { kind: 'extend'; mark: ExpiryMark }
  | { kind: 'workload'; namespace: string; workload: WorkloadTarget }
  | { kind: 'more-logs'; namespace: string; pod: string; container: string; opts: LogBounds }
  | { kind: 'workload-of'; namespace: string; pod: string };

/** How much log a More logs task may read: the gateway asks, the agent bounds it by its own configuration. */
export type LogBounds = Omit<GatherOptions, 'callTimeoutMs'> & Record<string, number | boolean | string>;

export interface BodyLimits {
  /** Most lines per log a More logs task reads (more is cut to this). */
  maxTailLines: number;
  /** Most bytes per log a More logs task reads (more is cut to this). */
  maxLimitBytes: number;
}

const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];
const NAMESPACE = DNS_LABEL_NAME;
const OBJECT_NAME = DNS_SUBDOMAIN_NAME;
const CONTAINER_NAME = DNS_LABEL_NAME;
/** An extra log option's string value: an RFC 3339 time (kubelet `sinceTime`), nothing free-form. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const MAX_EXTRA_OPTIONS = 8;

/** The names the older kinds accept as they always did: a string of 1–253 characters (the API server judges it). */
const loose = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 253;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a verified task's body as untrusted data: a body whose shape the kind does not have is refused, names must be
 * Kubernetes names (the new kinds) and log bounds are cut to `limits`. Pure.
 */
export function readTaskBody(
  kind: TaskKind,
  body: unknown,
  limits: BodyLimits,
): { ok: true; request: TaskRequest } | { ok: false; problem: string } {
  const refuse = (problem: string) => ({ ok: false as const, problem: `malformed ${kind} task: ${problem}` });
  if (!isObject(body)) return refuse('no body');
  const { namespace } = body;
  if (!loose(namespace)) return refuse('no namespace');
  switch (kind) {
    case 'diagnose':
      if (!loose(body.pod)) return refuse('no pod');
      return {
        ok: true,
        request: { kind, namespace, pod: body.pod, ...(loose(body.container) ? { container: body.container } : {}) },
      };
    case 'locate': {
      if (body.workload !== undefined) {
        const workload = readWorkload(body.workload);
        if (!workload || !NAMESPACE.test(namespace)) return refuse('not a workload');
        return { ok: true, request: { kind, namespace, workload } };
      }
      if (!loose(body.pod)) return refuse('no pod');
      return { ok: true, request: { kind, namespace, pod: body.pod } };
    }
    case 'extend':
      if (!loose(body.podName) || !loose(body.actionId) || !loose(body.at)) return refuse('no pod, action or time');
      return {
        ok: true,
        request: { kind, mark: { namespace, podName: body.podName, actionId: body.actionId, at: body.at } },
      };
    case 'workload': {
      const workload = readWorkload(body.workload);
      if (!NAMESPACE.test(namespace)) return refuse('not a namespace');
      if (!workload) return refuse('not a workload');
      return { ok: true, request: { kind, namespace, workload } };
    }
    case 'workload-of':
      if (!NAMESPACE.test(namespace) || !isName(body.pod)) return refuse('not a pod');
      return { ok: true, request: { kind, namespace, pod: body.pod } };
    case 'more-logs': {
      if (!NAMESPACE.test(namespace) || !isName(body.pod)) return refuse('not a pod');
      if (typeof body.container !== 'string' || !CONTAINER_NAME.test(body.container)) return refuse('not a container');
      const opts = readLogBounds(body.opts, limits);
      if (!opts) return refuse('log bounds unreadable');
      return { ok: true, request: { kind, namespace, pod: body.pod, container: body.container, opts } };
    }
    default:
      return { ok: false, problem: `the agent does not do ${kind} tasks` };
  }
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && OBJECT_NAME.test(v);
}

function readWorkload(v: unknown): WorkloadTarget | undefined {
  if (!isObject(v) || !isName(v.name)) return undefined;
  const kind = WORKLOAD_KINDS.find((k) => k === v.kind);
  return kind ? { kind, name: v.name } : undefined;
}

/**
 * tailLines and limitBytes are required positive integers, cut to the agent's limits. Any other option (a later
 * version's `sinceSeconds`, `sinceTime`, a flag) passes only as a non-negative integer, a boolean or an RFC 3339
 * time; the per-call deadline is never the body's, it is the agent's own.
 */
function readLogBounds(v: unknown, limits: BodyLimits): LogBounds | undefined {
  if (!isObject(v)) return undefined;
  const { tailLines, limitBytes, callTimeoutMs: _ignored, ...rest } = v;
  const positive = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
  if (!positive(tailLines) || !positive(limitBytes)) return undefined;
  const extra = Object.entries(rest);
  if (extra.length > MAX_EXTRA_OPTIONS) return undefined;
  const bounds: LogBounds = {
    tailLines: Math.min(tailLines, limits.maxTailLines),
    limitBytes: Math.min(limitBytes, limits.maxLimitBytes),
  };
  for (const [key, value] of extra) {
    if (!/^[a-zA-Z]{1,32}$/.test(key) || key === 'tailLines' || key === 'limitBytes') return undefined;
    const fine =
      typeof value === 'boolean' ||
      (Number.isSafeInteger(value) && (value as number) >= 0) ||
      (typeof value === 'string' && TIMESTAMP.test(value));
    if (!fine) return undefined;
    bounds[key] = value as number | boolean | string;
  }
  return bounds;
}
