import type { Logger } from 'pino';
import { renderMuteMenu } from '../alerts/index.js';
import { approvalPolicyFromConfig, namespaceAllowed } from '../approvals/index.js';
import type { WorkloadTarget } from '../command/index.js';
import type { Diagnosis } from '../diagnosis/index.js';
import { examinePod } from '../pipeline/index.js';
import { type Block, renderDiagnosisMessage, renderErrorMessage, renderThreadReplies } from '../render/index.js';
import { matchRunbooks, renderRunbookLinks } from '../runbooks/index.js';
import { renderWorkloadPods } from '../workloads/index.js';
import { channelMayDiagnose } from './channel-may-diagnose.js';
import { type ChatMessage, isChatError, type PostedMessage } from './chat-port.js';
import { clusterOpsOf } from './cluster-ops.js';
import type { ConversationDeps } from './deps.js';
import { renderMoreLogsMenu } from './more-logs-menu.js';
import { workloadOfDiagnosis } from './recent-diagnoses.js';
import { recordAudit } from './record-audit.js';
import { type ChannelRefusal, describeChannelRefusal, renderChannelRefusal } from './render-channel-refusal.js';
import { toRenderableError } from './to-renderable-error.js';

export interface DiagnosisTarget {
  namespace: string;
  pod: string;
  container?: string;
  /** Many clusters: the cluster the pod is in (deps.examine asks its agent). */
  cluster?: string;
}

/** A workload (`deploy/checkout`): its worst pod is diagnosed, and its siblings' states shown above the summary. */
export interface WorkloadDiagnosisTarget {
  namespace: string;
  workload: WorkloadTarget;
  container?: string;
  /** Many clusters: the cluster the workload is in. */
  cluster?: string;
}

export interface PostTarget {
  channel: string;
  /** Slack user id, or 'alert' for automatic alerts. */
  requestedBy: string;
  /** The response_url of the command, when a person is waiting: used when the bot may not post in the channel. */
  respond?: (message: ChatMessage & { response_type?: 'ephemeral' | 'in_channel' }) => Promise<void>;
  /** Blocks shown above the diagnosis (an alert's headline). */
  prefixBlocks?: Block[];
  /** Throw Slack's refusal of the summary instead of answering it (the alert queue retries rate limits itself). */
  throwSlackErrors?: boolean;
}

export type DiagnosisOutcome =
  | { ok: true; diagnosisId?: string; posted?: PostedMessage; diagnosis: Diagnosis }
  | { ok: false; reason: 'policy' | 'kube' | 'slack'; message: ChatMessage };

/**
 * The checklist end to end: policy, parallel reads, redaction, reasoning, the request behind the buttons, the
 * summary in the channel and the evidence in its thread. Never throws for an expected failure: it answers the
 * person (through `respond` when given) and returns what happened. Counted by outcome and duration (`deps.meter`).
 */
export async function diagnoseAndPost(
  deps: ConversationDeps,
  ref: DiagnosisTarget | WorkloadDiagnosisTarget,
  target: PostTarget,
): Promise<DiagnosisOutcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const outcome = await runDiagnosis(deps, ref, target);
    deps.meter?.diagnosis(outcome.ok ? 'posted' : outcome.reason, seconds());
    return outcome;
  } catch (e) {
    deps.meter?.diagnosis('error', seconds());
    throw e;
  }
}

async function runDiagnosis(
  deps: ConversationDeps,
  request: DiagnosisTarget | WorkloadDiagnosisTarget,
  postTarget: PostTarget,
): Promise<DiagnosisOutcome> {
  const { config, log } = deps;
  let target = postTarget;
  const actor =
    target.requestedBy === 'alert' ? ({ type: 'bot' } as const) : ({ type: 'user', id: target.requestedBy } as const);
  let ref: DiagnosisTarget =
    'workload' in request
      ? {
          namespace: request.namespace,
          pod: `${request.workload.kind.toLowerCase()}/${request.workload.name}`,
          ...(request.container ? { container: request.container } : {}),
          ...(request.cluster ? { cluster: request.cluster } : {}),
        }
      : request;
  let auditTarget = { namespace: ref.namespace, pod: ref.pod };

  const verdict = namespaceAllowed(approvalPolicyFromConfig(config), ref.namespace);
  if (!verdict.ok) {
    const message = renderErrorMessage({ kind: 'Policy', namespace: ref.namespace, reason: verdict.reason });
    await target.respond?.(message).catch((err) => log.warn({ err }, 'could not answer the command'));
    await recordAudit(deps.audit, log, {
      actor,
      action: 'diagnosis.done',
      target: auditTarget,
      result: 'denied',
      detail: verdict.reason,
    });
    return { ok: false, reason: 'policy', message };
  }

  // A person's command is answered only where its channel may see it: a binding, or by default any channel the bot
  // can post in (Slack answers not_in_channel or channel_not_found otherwise, checked when the bot answers below).
  const refuse = async (refusal: ChannelRefusal): Promise<DiagnosisOutcome> => {
    const message = renderChannelRefusal(refusal);
    await target
      .respond?.({ ...message, response_type: 'ephemeral' })
      .catch((err) => log.warn({ err }, 'could not answer the command'));
    await recordAudit(deps.audit, log, {
      actor,
      action: 'diagnosis.done',
      target: auditTarget,
      result: 'denied',
      detail: describeChannelRefusal(refusal),
    });
    return { ok: false, reason: 'policy', message };
  };
  if (target.respond) {
    const bound = channelMayDiagnose(config.bindings, target.channel, ref.namespace);
    if (!bound.ok)
      return refuse({
        kind: 'unbound',
        channel: target.channel,
        namespace: ref.namespace,
        namespaces: bound.namespaces,
      });
  }
  /** Slack's refusal code when the bot turned out unable to post in the channel. */
  let cannotPostCode = '';
  /**
   * What the cluster said (a missing pod and its neighbours' names, a container list) reaches the person in the
   * channel, as an ephemeral message, never through response_url: response_url answers even where the bot cannot post.
   */
  const tellInChannel = async (message: ChatMessage): Promise<'told' | 'refused' | 'unknown'> => {
    if (!target.respond) return 'unknown';
    try {
      await deps.chat.postEphemeral(target.channel, target.requestedBy, message);
      return 'told';
    } catch (err) {
      if (isChatError(err, ...CANNOT_POST)) {
        cannotPostCode = (err as { code: string }).code;
        return 'refused';
      }
      log.warn({ err }, 'could not answer in the channel');
      return 'unknown';
    }
  };
  /** Tells the person what the cluster said, in the channel; a channel the bot cannot post in is refused instead. */
  const answer = async (message: ChatMessage): Promise<DiagnosisOutcome | undefined> => {
    const told = await tellInChannel(message);
    if (told === 'refused') return refuse({ kind: 'cannot-post', channel: target.channel, code: cannotPostCode });
    if (told === 'unknown')
      await target
        .respond?.({ text: ':x: Slack refused the answer. Run the command again in a minute.' })
        .catch(() => {});
    return undefined;
  };

  const timeoutSeconds = config.kubernetes.requestTimeoutSeconds;
  if ('workload' in request) {
    // Resolved only now, after the namespace and channel checks: what exists in a namespace is not told elsewhere.
    const found = await clusterOpsOf(deps).findWorstPod(ref.namespace, request.workload);
    if (!found.ok) {
      const message =
        found.reason === 'kube'
          ? renderErrorMessage({
              ...toRenderableError(
                found.error,
                { namespace: ref.namespace, pod: request.workload.name },
                { timeoutSeconds },
              ),
              ...(found.error.kind === 'NotFound' ? { resource: request.workload.kind.toLowerCase() } : {}),
            })
          : { text: found.message };
      const refused = await answer(message);
      if (refused) return refused;
      await recordAudit(deps.audit, log, {
        actor,
        action: 'error',
        target: auditTarget,
        result: 'error',
        detail: found.reason === 'kube' ? `${found.error.kind}: ${found.error.message}` : found.reason,
      });
      return { ok: false, reason: 'kube', message };
    }
    ref = { ...ref, pod: found.pod };
    auditTarget = { namespace: ref.namespace, pod: ref.pod };
    const line = renderWorkloadPods(request.workload, ref.namespace, found.standings);
    target = {
      ...target,
      prefixBlocks: [...(target.prefixBlocks ?? []), { type: 'context', elements: [{ type: 'mrkdwn', text: line }] }],
    };
  }
  // The pipeline the CLI runs too (src/pipeline): gather, fold duplicate logs, redact, reason; with many clusters,
  // run by the agent of the pod's cluster (deps.examine).
  const result = deps.examine ? await deps.examine(ref) : await examinePod(deps.kube, ref, config, deps.now);
  if (!result.ok && result.reason === 'kube') {
    const rendered = renderErrorMessage(
      toRenderableError(result.error, ref, {
        ...(result.suggestions ? { suggestions: result.suggestions } : {}),
        timeoutSeconds,
      }),
    );
    const named = ref.cluster ? withCluster(rendered, ref.cluster) : rendered;
    const message = result.elsewhere?.length ? withElsewhere(named, ref, result.elsewhere) : named;
    const refused = await answer(message);
    if (refused) return refused;
    await recordAudit(deps.audit, log, {
      actor,
      action: 'error',
      target: auditTarget,
      result: 'error',
      detail: `${result.error.kind}: ${result.error.message}`,
    });
    return { ok: false, reason: 'kube', message };
  }

  if (!result.ok) {
    const plain: ChatMessage = { text: missingContainer(ref, result.container, result.containers) };
    const message = ref.cluster ? withCluster(plain, ref.cluster) : plain;
    const refused = await answer(message);
    if (refused) return refused;
    await recordAudit(deps.audit, log, {
      actor,
      action: 'error',
      target: auditTarget,
      result: 'error',
      detail: `no container ${ref.container}`,
    });
    return { ok: false, reason: 'kube', message };
  }

  const { diagnosis, redactions } = result;
  const node = diagnosis.pod.node;

  const { clonePrivilege } = result;
  // Many clusters: the record and the message say whose pod it is (a conversation for one cluster, an alert's, too).
  const cluster = ref.cluster ?? (config.clusters?.length ? config.cluster.name : undefined);
  let diagnosisId: string | undefined;
  try {
    diagnosisId = await deps.records.create(
      {
        namespace: ref.namespace,
        pod: ref.pod,
        ...(node ? { node } : {}),
        containers: diagnosis.containers.map((c) => c.name),
        clonePrivilege,
        ...(cluster ? { cluster } : {}),
        requestedBy: target.requestedBy,
        createdAt: deps.now().toISOString(),
      },
      config.approvals.requestTtlSeconds,
    );
  } catch (err) {
    log.error({ err }, 'could not store the diagnosis behind the buttons');
  }

  const rendered = renderDiagnosisMessage(diagnosis, {
    requestId: diagnosisId ?? 'unavailable',
    redactions,
    nodeShellAvailable: config.nodeShell.enabled,
    clonePrivilege,
    cloneOffers: result.cloneOffers,
    ...(result.debugContainer ? { debugContainer: result.debugContainer } : {}),
  });
  const plain: ChatMessage = diagnosisId ? rendered : withoutButtons(rendered, BUTTONS_NEED_REDIS);
  // Runbook links from config, right under the verdict; part of the body, so button updates keep them.
  const runbooks = renderRunbookLinks(
    matchRunbooks(config.runbooks ?? [], {
      kinds: diagnosis.findings.map((f) => f.kind),
      namespace: ref.namespace,
      labels: result.podLabels,
    }),
  );
  const withRunbooks: ChatMessage = runbooks
    ? { text: plain.text, blocks: [...(plain.blocks ?? []).slice(0, 1), runbooks, ...(plain.blocks ?? []).slice(1)] }
    : plain;
  // The More logs and mute menus sit beside the buttons (the last actions block), on every message that has them.
  const withMenusAdded: ChatMessage = diagnosisId
    ? withMenus(
        withRunbooks,
        [renderMoreLogsMenu(diagnosisId, diagnosis), ...(deps.mutes ? [renderMuteMenu(diagnosisId)] : [])].filter(
          (menu) => menu !== undefined,
        ),
      )
    : withRunbooks;
  const body = cluster ? withCluster(withMenusAdded, cluster) : withMenusAdded;
  const message: ChatMessage = { text: body.text, blocks: [...(target.prefixBlocks ?? []), ...(body.blocks ?? [])] };

  let posted: PostedMessage | undefined;
  const postedAt = deps.now();
  try {
    posted = await deps.chat.post(target.channel, message);
  } catch (err) {
    if (isChatError(err, ...CANNOT_POST) && target.respond) {
      // The summary is not delivered another way (response_url would show it where the bot cannot post); the
      // request behind its buttons expires unused.
      return refuse({ kind: 'cannot-post', channel: target.channel, code: err.code });
    }
    if (target.throwSlackErrors) throw err;
    log.error({ err }, 'could not post the diagnosis');
    const code = isChatError(err) ? err.code : 'unknown_error';
    // The person is waiting for the summary, and the log line above does not hold it: deliver it through the
    // command's response_url, which chat.postMessage's per-channel rate limit does not touch. response_url answers
    // even where the bot may not post, so the channel is checked first: the notice goes there as an ephemeral.
    let delivered = false;
    if (target.respond) {
      const notice = await tellInChannel({
        text: `:warning: Slack refused the summary in <#${target.channel}> (${code}), so it came through this command without its evidence thread. Run the command again for the thread.`,
      });
      if (notice === 'refused') return refuse({ kind: 'cannot-post', channel: target.channel, code: cannotPostCode });
      if (notice === 'told') {
        delivered = await target
          .respond({ ...withoutButtons(message, BUTTONS_NEED_MEMBERSHIP), response_type: 'in_channel' })
          .then(
            () => true,
            (e) => {
              log.warn({ err: e }, 'response_url refused the summary');
              return false;
            },
          );
      }
      if (!delivered)
        await target
          .respond({ text: `:x: Slack refused the summary (${code}). Run the command again in a minute.` })
          .catch(() => {});
    }
    await recordAudit(deps.audit, log, {
      actor,
      action: 'error',
      target: auditTarget,
      result: 'error',
      detail: `post failed: ${code}`,
    });
    return { ok: false, reason: 'slack', message };
  }

  if (posted) {
    if (diagnosisId) {
      await deps.records
        .setMessage(diagnosisId, { channel: posted.channel, ts: posted.ts, body })
        .then(() =>
          target.prefixBlocks?.length ? deps.records.setPrefix(diagnosisId!, target.prefixBlocks) : undefined,
        )
        .catch((err) => log.error({ err }, 'could not store the diagnosis message'));
      // A person's diagnosis: an alert on the same workload in this channel within the hour links to it. Not awaited,
      // and a failure only costs the link (the alert then diagnoses again).
      if (target.requestedBy !== 'alert')
        void deps.recentDiagnoses
          ?.remember({
            channel: posted.channel,
            ...(cluster ? { cluster } : {}),
            workload: workloadOfDiagnosis(diagnosis.pod, result.podLabels),
            ts: posted.ts,
            diagnosisId,
            by: target.requestedBy,
            at: postedAt.toISOString(),
          })
          .catch((err) => log.warn({ err }, 'could not remember the diagnosis for alerts'));
    }
    await postThread(deps, diagnosis, posted, log);
  }

  await recordAudit(deps.audit, log, {
    actor,
    action: 'diagnosis.done',
    target: { ...auditTarget, ...(node ? { node } : {}) },
    ...(diagnosisId ? { requestId: diagnosisId } : {}),
    result: 'ok',
    detail: diagnosis.verdict,
  });
  return { ok: true, ...(diagnosisId ? { diagnosisId } : {}), ...(posted ? { posted } : {}), diagnosis };
}

/** The evidence, in order; one failed reply never stops the rest. */
async function postThread(
  deps: ConversationDeps,
  diagnosis: Diagnosis,
  parent: PostedMessage,
  log: Logger,
): Promise<void> {
  const replies = renderThreadReplies(diagnosis, { inlineLogLines: deps.config.logs.inlineLines });
  for (const reply of replies) {
    try {
      if (reply.kind === 'message') await deps.chat.post(parent.channel, reply.message, { threadTs: parent.ts });
      else await deps.chat.upload(parent.channel, parent.ts, reply);
    } catch (err) {
      log.warn({ err, reply: reply.kind }, 'a thread reply was refused');
      if (reply.kind === 'file') {
        await deps.chat.post(parent.channel, reply.comment, { threadTs: parent.ts }).catch(() => {});
      }
    }
  }
}

/** `-c` named a container the pod does not have: say which it has, rather than diagnose without its logs. */
function missingContainer(ref: DiagnosisTarget, container: string, names: string[]): string {
  return `:mag: Pod \`${ref.namespace}/${ref.pod}\` has no container \`${container.slice(0, 63)}\`; its containers are ${names.map((n) => `\`${n}\``).join(', ')}. Run the command again with one of them after \`-c\`, or without \`-c\`.`;
}

/** A message named with its cluster: in the notification text and above the rest. */
function withCluster(message: ChatMessage, cluster: string): ChatMessage {
  return {
    text: `${message.text} · @${cluster}`,
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: `:globe_with_meridians: Cluster *@${cluster}*` }] },
      ...(message.blocks ?? []),
    ],
  };
}

/** A pod missing here but present in other clusters: name them ("did you mean @staging?"). */
function withElsewhere(message: ChatMessage, ref: DiagnosisTarget, clusters: string[]): ChatMessage {
  const names = clusters.map((c) => `@${c}`).join(' or ');
  const hint = `:compass: \`${ref.namespace}/${ref.pod}\` is not in @${ref.cluster} but exists in ${names}: did you mean \`${ref.pod} ${ref.namespace} @${clusters[0]}\`?`;
  return {
    text: `${hint}\n${message.text}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: hint } }, ...(message.blocks ?? [])],
  };
}

const BUTTONS_NEED_REDIS = ':warning: Buttons are unavailable: the bot cannot reach Redis. Try again shortly.';
const BUTTONS_NEED_MEMBERSHIP =
  ':information_source: No buttons here: debug pods are requested on a message the bot posts itself. Invite it to the channel and run the command again.';

function withMenus(message: ChatMessage, menus: unknown[]): ChatMessage {
  const blocks = [...(message.blocks ?? [])];
  const at = blocks.map((b) => b.type).lastIndexOf('actions');
  const actions = blocks[at] as { elements?: unknown[] } | undefined;
  if (at < 0 || !actions || (actions.elements?.length ?? 0) + menus.length > 25) return message;
  blocks[at] = { ...actions, elements: [...(actions.elements ?? []), ...menus] } as Block;
  return { text: message.text, blocks };
}

function withoutButtons(message: ChatMessage, why: string): ChatMessage {
  const blocks = (message.blocks ?? []).filter((b: Block) => b.type !== 'actions');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: why }] });
  return { text: message.text, blocks };
}

/** Slack's answers for a channel the bot may not write to (a non-member, a private channel, an archived one). */
const CANNOT_POST = ['not_in_channel', 'channel_not_found', 'is_archived'];
