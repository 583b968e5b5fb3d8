import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Every kind of task, each answered by src/agent performTask (`groups` travels inside a create job, `report` the
 * other way): a verified task of another kind is malformed.
 */
export const TASK_KINDS = [
  'diagnose',
  'locate',
  'extend',
  'groups',
  'report',
  'workload',
  'more-logs',
  'workload-of',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/**
 * What the gateway asks of an agent besides a debug pod (whose grant is signed by src/actions signGrant): diagnose
 * a pod, say whether a pod or workload exists, move a debug pod's expiry, find a workload's worst pod, read a pod's
 * logs again with more lines, tell a pod's workload, or vouch for the approvers' user groups at approval time (the
 * agent has no Slack token to look them up); and, the other way, what an agent reports for Slack. Everything acted on is in `body`,
 * signed with the cluster's key: whoever writes to Redis without it can neither ask an agent nor answer for one.
 */
export interface Task<B = unknown> {
  kind: TaskKind;
  /** The cluster it is for: another cluster's agent refuses it even were the keys equal. */
  cluster: string;
  /** ISO 8601: after this the agent refuses it, so a task queued for an absent agent never runs late. */
  expiresAt: string;
  body: B;
}

export interface SignedTask<B = unknown> {
  task: Task<B>;
  /** Hex HMAC-SHA256 of {@link taskPayload}. */
  signature: string;
}

export type TaskProblem = 'malformed' | 'bad-signature' | 'expired' | 'other-cluster';

/** The signed bytes: a version tag and the task as JSON with sorted keys, so equal tasks sign equally. */
export function taskPayload(task: Task): string {
  return JSON.stringify(['debugdead.task.v1', sortKeys(task)]);
}

export function signTask<B>(task: Task<B>, key: string): SignedTask<B> {
  return { task, signature: createHmac('sha256', key).update(taskPayload(task)).digest('hex') };
}

/** Reads a task from untrusted data (it comes out of Redis): signature in constant time, then expiry and cluster. */
export function verifyTask(
  data: unknown,
  key: string,
  now: Date,
  cluster: string,
): { ok: true; task: Task } | { ok: false; problem: TaskProblem } {
  if (typeof data !== 'object' || data === null) return { ok: false, problem: 'malformed' };
  const { task, signature } = data as Record<string, unknown>;
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return { ok: false, problem: 'malformed' };
  if (typeof task !== 'object' || task === null) return { ok: false, problem: 'malformed' };
  const t = task as Record<string, unknown>;
  if (
    !(TASK_KINDS as readonly unknown[]).includes(t.kind) ||
    typeof t.cluster !== 'string' ||
    typeof t.expiresAt !== 'string'
  )
    return { ok: false, problem: 'malformed' };
  const expected = createHmac('sha256', key)
    .update(taskPayload(t as unknown as Task))
    .digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'bad-signature' };
  if (!(Date.parse(t.expiresAt) > now.getTime())) return { ok: false, problem: 'expired' };
  if (t.cluster !== cluster) return { ok: false, problem: 'other-cluster' };
  return { ok: true, task: t as unknown as Task };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
