import { type Job, UnrecoverableError } from 'bullmq';
import { parseActionId } from '../src/conversation/action-ids.js';
import { type ActionState, slotOf } from '../src/conversation/action-state.js';
import { debugPodReadiness } from '../src/conversation/debug-pod-readiness.js';
import type { ConversationDeps, CreateDebugPodJob } from '../src/conversation/deps.js';
import { postInThread, publishProgress } from '../src/conversation/publish-progress.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { type BuiltPod, buildDebugClone, buildNodeShell, nameSuffix, requestIdOf } from '../src/debugpods/index.js';
import { isKubeError, type KubeError } from '../src/kube/index.js';
import type { Pod } from '../src/kube/types.js';
import { mentionUser } from '../src/render/index.js';

export interface CreateJobOptions {
  /** How long to wait for the pod to run before calling it failed. @defaultValue 120000 */
  readyTimeoutMs?: number;
  /** @defaultValue 250 */
  pollMs?: number;
}

/**
 * Re-reads the source, builds the manifest (pure), creates it, waits until it runs or fails, and reports either
 * way. Safe to retry after a crash anywhere: the pod name derives from the action id, and AlreadyExists for a pod
 * carrying our request id counts as created. Permanent Kubernetes refusals (403, 404, 422) are not retried.
 */
export function createDebugPodProcessor(deps: ConversationDeps, options: CreateJobOptions = {}) {
  return async (job: Job<CreateDebugPodJob>): Promise<{ podName: string; namespace: string; ready: boolean }> => {
    try {
      return await runCreate(deps, job.data, options);
    } catch (err) {
      if (isKubeError(err) && (err.kind === 'Timeout' || err.kind === 'Unavailable')) {
        deps.log.warn(
          { err, actionId: job.data.actionId, attempt: job.attemptsMade + 1 },
          'transient failure, will retry',
        );
        throw err;
      }
      throw new UnrecoverableError((err as Error).message);
    }
  };
}

async function runCreate(deps: ConversationDeps, data: CreateDebugPodJob, options: CreateJobOptions) {
  const { config, log } = deps;
  const parsed = parseActionId(data.actionId);
  if (!parsed) throw new Error(`malformed action id ${data.actionId}`);
  const { diagnosisId, target } = parsed;
  const slot = slotOf(target);
  const stored = await deps.requests.get(diagnosisId);
  const state = await deps.board.getAction(diagnosisId, slot);
  if (!stored || !state) throw new Error('the request expired before its job ran');
  const request = stored.request;
  const now = deps.now();
  const ids = { suffix: nameSuffix(data.actionId), now };

  const report = async (patch: Partial<ActionState>, keepSeconds = 0) => {
    await deps.board.setAction(diagnosisId, slot, { ...state, ...patch } as ActionState, keepSeconds);
    Object.assign(state, patch);
    await publishProgress(deps, diagnosisId);
  };
  const fail = async (reason: string, podName?: string, namespace?: string) => {
    await report({ step: 'failed', error: reason });
    await postInThread(deps, diagnosisId, {
      text: `:x: ${kindText(target.kind)} for ${mentionUser(state.requestedBy)} failed: ${reason}`,
    });
    await recordAudit(deps.audit, log, {
      actor: { type: 'bot' },
      action: 'pod.failed',
      target: { namespace: namespace ?? request.namespace, ...(podName ? { pod: podName } : { pod: request.pod }) },
      requestId: data.actionId,
      result: 'error',
      detail: reason,
    });
  };

  await report({ step: 'creating' });
  let built: BuiltPod;
  let namespace: string;
  let container: string | undefined;
  try {
    if (target.kind === 'clone') {
      container = request.containers?.[target.containerIndex];
      if (!container) throw new Error(`container #${target.containerIndex} is not in the diagnosis`);
      const source = await deps.kube.readPod(request.namespace, request.pod);
      built = buildDebugClone(
        source,
        {
          requestId: data.actionId,
          container,
          requestedBy: state.requestedBy,
          approvedBy: data.approvedBy,
          ttlSeconds: config.debugClone.defaultTtlSeconds,
          maxTtlSeconds: config.debugClone.maxTtlSeconds,
          helperImage: config.debugClone.helperImage,
          keepClaims: config.debugClone.keepClaims,
        },
        ids,
      );
      namespace = request.namespace;
    } else {
      if (!request.node) throw new Error('the pod has no node');
      built = buildNodeShell(
        request.node,
        {
          requestId: data.actionId,
          node: request.node,
          requestedBy: state.requestedBy,
          approvedBy: data.approvedBy,
          ttlSeconds: config.nodeShell.defaultTtlSeconds,
          maxTtlSeconds: config.nodeShell.maxTtlSeconds,
          image: config.nodeShell.image,
          namespace: config.nodeShell.namespace,
          mountHostRoot: config.nodeShell.mountHostRoot,
        },
        ids,
      );
      namespace = config.nodeShell.namespace;
    }
  } catch (err) {
    if (isKubeError(err) && (err.kind === 'Timeout' || err.kind === 'Unavailable')) throw err;
    const reason =
      isKubeError(err) && err.kind === 'NotFound'
        ? `the source pod ${request.namespace}/${request.pod} is gone`
        : (err as Error).message;
    await fail(reason);
    throw err;
  }

  const podName = built.pod.metadata!.name!;
  const ttlSeconds = target.kind === 'clone' ? config.debugClone.defaultTtlSeconds : config.nodeShell.defaultTtlSeconds;
  const maxTtlSeconds = target.kind === 'clone' ? config.debugClone.maxTtlSeconds : config.nodeShell.maxTtlSeconds;
  try {
    await deps.kube.createPod(namespace, built.pod);
    await recordAudit(deps.audit, log, {
      actor: { type: 'bot' },
      action: 'pod.created',
      target: { namespace, pod: podName, ...(request.node ? { node: request.node } : {}) },
      requestId: data.actionId,
      result: 'ok',
      detail: `${target.kind} of ${request.namespace}/${request.pod}, approved by ${data.approvedBy}`,
    });
  } catch (err) {
    if (!(isKubeError(err) && err.kind === 'Conflict' && (await isOurs(deps, namespace, podName, data.actionId)))) {
      if (isKubeError(err) && (err.kind === 'Timeout' || err.kind === 'Unavailable')) throw err;
      await fail(creationFailure(err as KubeError, namespace), podName, namespace);
      throw err;
    }
    log.info({ podName, actionId: data.actionId }, 'pod already created by an earlier attempt');
  }

  // The pod exists: its deletion is scheduled before anything else can go wrong.
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const maxExpiresAt = new Date(now.getTime() + maxTtlSeconds * 1000);
  await deps.jobs.scheduleDelete({ actionId: data.actionId, namespace, podName, by: 'ttl' }, expiresAt);
  await report(
    {
      podName,
      namespace,
      execCommand: built.execCommand,
      ...(built.originalCommand ? { originalCommand: built.originalCommand } : {}),
      notes: built.notes,
      expiresAt: expiresAt.toISOString(),
      maxExpiresAt: maxExpiresAt.toISOString(),
      canExtend: maxTtlSeconds > ttlSeconds,
    },
    maxTtlSeconds + 3600,
  );

  const readiness = await waitForPod(deps, namespace, podName, container, options);
  if (readiness.state !== 'ready') {
    const reason =
      readiness.state === 'failed'
        ? readiness.reason
        : `not running after ${Math.round((options.readyTimeoutMs ?? 120_000) / 1000)} s${readiness.reason ? ` (${readiness.reason})` : ''}`;
    await fail(`${reason}. The pod is being deleted.`, podName, namespace);
    await deps.jobs.deleteNow({ actionId: data.actionId, namespace, podName, by: 'bot' });
    return { podName, namespace, ready: false };
  }
  await report({ step: 'ready' });
  await postInThread(deps, diagnosisId, {
    text: `:white_check_mark: ${kindText(target.kind)} \`${podName}\` is ready for ${mentionUser(state.requestedBy)}:\n\`\`\`${built.execCommand}\`\`\``,
  });
  await recordAudit(deps.audit, log, {
    actor: { type: 'bot' },
    action: 'pod.ready',
    target: { namespace, pod: podName },
    requestId: data.actionId,
    result: 'ok',
  });
  return { podName, namespace, ready: true };
}

async function isOurs(deps: ConversationDeps, namespace: string, name: string, actionId: string): Promise<boolean> {
  try {
    return requestIdOf(await deps.kube.readPod(namespace, name)) === actionId;
  } catch {
    return false;
  }
}

async function waitForPod(
  deps: ConversationDeps,
  namespace: string,
  name: string,
  container: string | undefined,
  options: CreateJobOptions,
) {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  let last: ReturnType<typeof debugPodReadiness> = { state: 'starting' };
  while (Date.now() < deadline) {
    let pod: Pod;
    try {
      pod = await deps.kube.readPod(namespace, name);
    } catch (err) {
      if (isKubeError(err) && err.kind === 'NotFound')
        return { state: 'failed' as const, reason: 'the pod disappeared while starting' };
      await sleep(options.pollMs ?? 250);
      continue;
    }
    last = debugPodReadiness(pod, container);
    if (last.state !== 'starting') return last;
    await sleep(options.pollMs ?? 250);
  }
  return last;
}

/** What a person should read when Kubernetes refuses the pod: PodSecurity and RBAC in their own words, plus the fix. */
function creationFailure(err: KubeError, namespace: string): string {
  if (err.kind === 'Forbidden' && /PodSecurity/.test(err.message)) {
    return `Kubernetes refused the pod: ${err.message}. Node shells need a namespace labelled pod-security.kubernetes.io/enforce=privileged (config nodeShell.namespace is \`${namespace}\`; see deploy/base/namespace.yaml).`;
  }
  if (err.kind === 'Forbidden')
    return `Kubernetes refused the pod: ${err.message}. Grant the bot pods/create in \`${namespace}\` (deploy/base/rbac.yaml).`;
  if (err.kind === 'NotFound')
    return `Kubernetes refused the pod: ${err.message}. Does namespace \`${namespace}\` exist?`;
  return `Kubernetes refused the pod (${err.kind}): ${err.message}`;
}

function kindText(kind: 'clone' | 'node-shell'): string {
  return kind === 'clone' ? 'Debug clone' : 'Node shell';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
