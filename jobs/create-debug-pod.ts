import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, UnrecoverableError } from 'bullmq';
import { ACTION_KINDS, classRule, type Grant, parseActionId, planDebugPod, verifyGrant } from '../src/actions/index.js';
import { recheckGrant } from '../src/approvals/index.js';
import { debugPodReadiness, type Readiness } from '../src/conversation/debug-pod-readiness.js';
import type { ConversationDeps, CreateDebugPodJob } from '../src/conversation/deps.js';
import type { ActionProgress } from '../src/conversation/diagnosis-record-store.js';
import { localProgress } from '../src/conversation/progress-port.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { type BuiltPod, expiresAt, requestIdOf } from '../src/debugpods/index.js';
import { isKubeError, type KubeError } from '../src/kube/index.js';
import type { Pod } from '../src/kube/types.js';
import { mentionUser } from '../src/render/index.js';
import { attachDebugContainer } from './attach-debug-container.js';
import { isTransient, Refused, Reported } from './job-errors.js';

export interface CreateJobOptions {
  /** How long to wait for the pod to run before calling it failed. @defaultValue 120000 */
  readyTimeoutMs?: number;
}

/**
 * Verify → re-check → plan (pure) → reserve → create idempotently → wait with a watch → report once. The grant's
 * signature is checked first and today's policy and limits second; a refusal creates nothing, is answered in the
 * diagnosis thread and audited as `job.rejected`. Safe to retry after a crash anywhere: the pod name derives from the
 * action id, and AlreadyExists for a pod carrying our action id counts as created. Timeouts and 503s are retried; the
 * last attempt's failure, like any permanent one, reaches the person and the audit.
 */
export function createDebugPodProcessor(deps: ConversationDeps, options: CreateJobOptions = {}) {
  return async (job: Job<CreateDebugPodJob>): Promise<{ podName: string; namespace: string; ready: boolean }> => {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const reporter = createReporter(deps, job.data);
    try {
      return await runCreate(deps, job.data, options, reporter);
    } catch (err) {
      if (err instanceof Refused) throw new UnrecoverableError(err.message);
      if (err instanceof Reported) throw new UnrecoverableError(err.message);
      if (isTransient(err) && !lastAttempt) {
        deps.log.warn({ err, attempt: job.attemptsMade + 1 }, 'transient failure, will retry');
        throw err;
      }
      const reason = isTransient(err)
        ? `gave up after ${job.attemptsMade + 1} attempts: ${(err as Error).message}`
        : (err as Error).message;
      await reporter.fail(reason);
      throw new UnrecoverableError(reason);
    }
  };
}

/** Where a job reports: the diagnosis named by the action id (only for messages; the pod never depends on it). */
function createReporter(deps: ConversationDeps, data: unknown) {
  const raw = (data as { grant?: { actionId?: unknown } } | undefined)?.grant?.actionId;
  const ref = parseActionId(raw);
  const actionId = ref ? (raw as string) : undefined;
  const port = deps.progress ?? localProgress(deps);
  const what = ref ? ACTION_KINDS[ref.slot.kind].title : 'Debug pod';
  // Updates run one after another in the order made, so a caller may go on without waiting for one (the message
  // edit is not on the path to the pod); a failed update is logged, never fatal to the job.
  let updates: Promise<void> = Promise.resolve();
  return {
    actionId,
    update(patch: Partial<ActionProgress>, keepSeconds = 0): Promise<void> {
      updates = updates.then(async () => {
        try {
          if (actionId) await port.progress(actionId, patch, { keepSeconds });
        } catch (err) {
          deps.log.warn({ err, actionId }, 'could not report progress');
        }
      });
      return updates;
    },
    async thread(text: string): Promise<void> {
      if (actionId) await port.thread(actionId, { text }).catch(() => {});
    },
    async fail(reason: string, pod?: { namespace: string; name: string }, grant?: Grant): Promise<void> {
      await this.update({ step: 'failed', error: reason });
      await this.thread(`:x: ${what}${grant ? ` for ${mentionUser(grant.requester)}` : ''} failed: ${reason}`);
      await recordAudit(deps.audit, deps.log, {
        actor: { type: 'bot' },
        action: 'pod.failed',
        target: pod ? { namespace: pod.namespace, pod: pod.name } : {},
        ...(actionId ? { requestId: actionId } : {}),
        result: 'error',
        detail: reason,
      });
    },
    async reject(reason: string, grant?: Grant): Promise<never> {
      await this.update({ step: 'failed', error: `Refused: ${reason}. Nothing was created.` });
      await this.thread(`:no_entry: ${what} refused by the worker: ${reason}. Nothing was created.`);
      await recordAudit(deps.audit, deps.log, {
        actor: { type: 'bot' },
        action: 'job.rejected',
        target: grant
          ? {
              namespace: grant.namespace,
              ...(grant.pod ? { pod: grant.pod } : {}),
              ...(grant.node ? { node: grant.node } : {}),
            }
          : {},
        ...(actionId ? { requestId: actionId } : {}),
        result: 'denied',
        detail: reason,
      });
      throw new Refused(reason);
    },
  };
}

export type Reporter = ReturnType<typeof createReporter>;

async function runCreate(deps: ConversationDeps, data: CreateDebugPodJob, options: CreateJobOptions, report: Reporter) {
  const { config, log } = deps;
  const now = deps.now();
  const verified = verifyGrant(data, deps.signingKey, now, config.cluster.name);
  if (!verified.ok) {
    const why = {
      malformed: 'the job carries no readable grant',
      'bad-signature': 'the grant’s signature does not match (it was not made by this bot, or was changed)',
      expired: 'the grant expired before the job ran',
      'other-cluster': 'the grant is for another cluster',
    }[verified.problem];
    return report.reject(why);
  }
  const grant = verified.grant;
  if (report.actionId !== grant.actionId) return report.reject('the job’s action id does not match its grant', grant);

  // Today's policy: the approvers must still be approvers of the class (their group membership looked up now).
  const rule = classRule(config, grant.privilege);
  const groupsOf: Record<string, string[]> = {};
  for (const user of grant.approvers) groupsOf[user] = (await deps.groups.groupsOf(user, rule.approvers.groups)).groups;
  const policy = recheckGrant(config, grant, groupsOf);
  if (!policy.ok) return report.reject(`today's policy refuses it: ${policy.reason}`, grant);
  // A debug container joins an existing pod instead of creating one.
  if (grant.kind === 'ephemeral') return attachDebugContainer(deps, grant, options, report);

  // Shown while the source is read and the pod created; not waited for (the next update follows it).
  void report.update({ step: 'creating' });
  let source: Pod | undefined;
  if (grant.kind === 'clone') {
    try {
      source = await deps.kube.readPod(grant.namespace, grant.pod!);
    } catch (err) {
      if (isKubeError(err) && err.kind === 'NotFound') {
        await report.fail(`the source pod ${grant.namespace}/${grant.pod} is gone`, undefined, grant);
        throw new Reported(err);
      }
      throw err;
    }
  }
  let plan: ReturnType<typeof planDebugPod>;
  try {
    plan = planDebugPod(grant, source, config, now);
  } catch (err) {
    await report.fail((err as Error).message, undefined, grant);
    throw new Reported(err);
  }
  if (!plan.ok) return report.reject(plan.reason, grant);
  const { built, namespace, ttlSeconds, maxTtlSeconds } = plan;
  const podName = built.pod.metadata!.name!;
  const pod = { namespace, name: podName };

  const limit = await deps.limits.reserve(
    { namespace, name: podName, user: grant.requester, endsAt: new Date(now.getTime() + maxTtlSeconds * 1000) },
    now,
  );
  if (!limit.ok) return report.reject(limit.message, grant);

  let expiry = new Date(now.getTime() + ttlSeconds * 1000);
  let detail = `${grant.privilege} ${grant.kind} of ${grant.pod ? `${grant.namespace}/${grant.pod}` : grant.node}, approved by ${grant.approvers.join(' and ')}`;
  try {
    await deps.kube.createPod(namespace, built.pod);
  } catch (err) {
    const existing =
      isKubeError(err) && err.kind === 'Conflict' ? await ours(deps, namespace, podName, grant.actionId) : undefined;
    if (!existing) {
      // Not created: it must not count against the limits (a retry reserves again).
      await deps.limits.release({ ...pod, user: grant.requester }).catch(() => {});
      if (isTransient(err)) throw err;
      await report.fail(creationFailure(err as KubeError, namespace), pod, grant);
      throw new Reported(err);
    }
    // An earlier attempt made it: its own expires-at is the truth (the pod may have been extended since).
    expiry = expiresAt(existing) ?? expiry;
    detail += '; found already created by an earlier attempt';
    log.info({ podName, actionId: grant.actionId }, 'pod already created by an earlier attempt');
  }
  // Awaited when the job ends: the chain's Redis appends take turns, and the wait for the pod must not queue behind them.
  const createdAudit = recordAudit(deps.audit, log, {
    actor: { type: 'bot' },
    action: 'pod.created',
    target: { namespace, pod: podName, ...(grant.node ? { node: grant.node } : {}) },
    requestId: grant.actionId,
    result: 'ok',
    detail: `${detail}; expires at ${expiry.toISOString()}`,
  });

  try {
    return await followPod(
      deps,
      grant,
      { built, namespace, podName, ttlSeconds, maxTtlSeconds, expiry, now },
      options,
      report,
    );
  } finally {
    await createdAudit;
  }
}

/** After creation: schedule the deletion, show the pod, wait for it with a watch, and report ready or failed. */
async function followPod(
  deps: ConversationDeps,
  grant: Grant,
  made: {
    built: BuiltPod;
    namespace: string;
    podName: string;
    ttlSeconds: number;
    maxTtlSeconds: number;
    expiry: Date;
    now: Date;
  },
  options: CreateJobOptions,
  report: Reporter,
) {
  const { built, namespace, podName, maxTtlSeconds, expiry, now } = made;
  const pod = { namespace, name: podName };
  // The pod exists: its deletion is scheduled before anything else can go wrong.
  const maxExpiresAt = new Date(now.getTime() + maxTtlSeconds * 1000);
  await deps.jobs.scheduleDelete(
    { actionId: grant.actionId, namespace, podName, by: 'ttl', requestedBy: grant.requester },
    expiry,
  );
  // Not waited for: the watch starts at once, and later updates follow this one in order.
  void report.update(
    {
      podName,
      namespace,
      execCommand: built.execCommand,
      ...(built.originalCommand ? { originalCommand: built.originalCommand } : {}),
      notes: built.notes,
      expiresAt: expiry.toISOString(),
      maxExpiresAt: maxExpiresAt.toISOString(),
      canExtend: maxExpiresAt.getTime() > expiry.getTime(),
    },
    maxTtlSeconds + 3600,
  );

  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  const container = grant.kind === 'clone' ? grant.container : undefined;
  const readiness = await waitForPod(deps, namespace, podName, (p) => debugPodReadiness(p, container), timeoutMs);
  if (readiness.state !== 'ready') {
    const reason =
      readiness.state === 'failed'
        ? readiness.reason
        : `not running after ${Math.round(timeoutMs / 1000)} s${readiness.reason ? ` (${readiness.reason})` : ''}`;
    await report.fail(`${reason}. The pod is being deleted.`, pod, grant);
    await deps.jobs.deleteNow({
      actionId: grant.actionId,
      namespace,
      podName,
      by: 'bot',
      requestedBy: grant.requester,
    });
    return { podName, namespace, ready: false };
  }
  await report.update({ step: 'ready' });
  await report.thread(
    `:white_check_mark: ${ACTION_KINDS[grant.kind].title} \`${podName}\` is ready for ${mentionUser(grant.requester)}:\n\`\`\`${built.execCommand}\`\`\``,
  );
  await recordAudit(deps.audit, deps.log, {
    actor: { type: 'bot' },
    action: 'pod.ready',
    target: pod,
    requestId: grant.actionId,
    result: 'ok',
  });
  return { podName, namespace, ready: true };
}

/** The existing pod when it carries our action id (AlreadyExists from an earlier attempt), else undefined. */
async function ours(deps: ConversationDeps, namespace: string, name: string, actionId: string) {
  try {
    const pod = await deps.kube.readPod(namespace, name);
    return requestIdOf(pod) === actionId ? pod : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follows the pod with a watch (no polling) until it runs, fails, vanishes or the time is up. A watch that ends early
 * (a dropped stream, a transient API error) is opened again from a fresh read.
 */
export async function waitForPod(
  deps: ConversationDeps,
  namespace: string,
  name: string,
  judge: (pod: Pod) => Readiness,
  timeoutMs: number,
): Promise<Readiness> {
  const signal = AbortSignal.timeout(timeoutMs);
  let last: Readiness = { state: 'starting' };
  let done = false;
  while (!done && !signal.aborted) {
    try {
      await deps.kube.watchPod(
        namespace,
        name,
        (pod) => {
          last = pod ? judge(pod) : { state: 'failed', reason: 'the pod disappeared while starting' };
          done = last.state !== 'starting';
          return done;
        },
        signal,
      );
    } catch (err) {
      deps.log.debug({ err }, 'pod watch failed; following again');
    }
    if (!done) await sleep(200, undefined, { signal }).catch(() => {});
  }
  return last;
}

/** What a person should read when Kubernetes refuses the pod: PodSecurity and RBAC in their own words, plus the fix. */
function creationFailure(err: KubeError, namespace: string): string {
  if (!isKubeError(err)) return (err as Error).message;
  if (err.kind === 'Forbidden' && /PodSecurity/.test(err.message)) {
    return `Kubernetes refused the pod: ${err.message}. Node shells need a namespace labelled pod-security.kubernetes.io/enforce=privileged (config nodeShell.namespace is \`${namespace}\`; see deploy/base/namespaces.yaml: debugdead-nodeshell).`;
  }
  if (err.kind === 'Forbidden')
    return `Kubernetes refused the pod: ${err.message}. Bind debugdead-pod-writer in \`${namespace}\` (deploy/components/pod-writes; README "Security model").`;
  if (err.kind === 'NotFound')
    return `Kubernetes refused the pod: ${err.message}. Does namespace \`${namespace}\` exist?`;
  return `Kubernetes refused the pod (${err.kind}): ${err.message}`;
}
