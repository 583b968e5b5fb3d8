import type { Logger } from 'pino';
import { classifyPodPrivilege } from '../actions/index.js';
import { approvalPolicyFromConfig, namespaceAllowed } from '../approvals/index.js';
import { type Diagnosis, diagnose, gatherFacts } from '../diagnosis/index.js';
import type { Pod } from '../kube/types.js';
import { type Block, renderDiagnosisMessage, renderErrorMessage, renderThreadReplies } from '../render/index.js';
import { type ChatMessage, isChatError, type PostedMessage } from './chat-port.js';
import type { ConversationDeps } from './deps.js';
import { foldDuplicateLogs } from './fold-duplicate-logs.js';
import { recordAudit } from './record-audit.js';
import { redactFacts } from './redact-facts.js';
import { toRenderableError } from './to-renderable-error.js';

export interface DiagnosisTarget {
  namespace: string;
  pod: string;
  container?: string;
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
 * person (through `respond` when given) and returns what happened.
 */
export async function diagnoseAndPost(
  deps: ConversationDeps,
  ref: DiagnosisTarget,
  target: PostTarget,
): Promise<DiagnosisOutcome> {
  const { config, log } = deps;
  const actor =
    target.requestedBy === 'alert' ? ({ type: 'bot' } as const) : ({ type: 'user', id: target.requestedBy } as const);
  const auditTarget = { namespace: ref.namespace, pod: ref.pod };

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

  const timeoutSeconds = config.kubernetes.requestTimeoutSeconds;
  const gathered = await gatherFacts(
    deps.kube,
    ref,
    { tailLines: config.logs.tailLines, limitBytes: config.logs.limitBytes, callTimeoutMs: timeoutSeconds * 1000 },
    deps.now,
  );
  if (!gathered.ok) {
    const message = renderErrorMessage(
      toRenderableError(gathered.error, ref, {
        ...(gathered.suggestions ? { suggestions: gathered.suggestions } : {}),
        timeoutSeconds,
      }),
    );
    await target.respond?.(message).catch((err) => log.warn({ err }, 'could not answer the command'));
    await recordAudit(deps.audit, log, {
      actor,
      action: 'error',
      target: auditTarget,
      result: 'error',
      detail: `${gathered.error.kind}: ${gathered.error.message}`,
    });
    return { ok: false, reason: 'kube', message };
  }

  const unknownContainer = ref.container ? missingContainer(gathered.facts.pod, ref.container) : undefined;
  if (unknownContainer) {
    const message: ChatMessage = { text: unknownContainer };
    await target.respond?.(message).catch((err) => log.warn({ err }, 'could not answer the command'));
    await recordAudit(deps.audit, log, {
      actor,
      action: 'error',
      target: auditTarget,
      result: 'error',
      detail: `no container ${ref.container}`,
    });
    return { ok: false, reason: 'kube', message };
  }

  const { facts, redactions } = redactFacts(foldDuplicateLogs(gathered.facts));
  const diagnosis = diagnose(facts);
  const node = diagnosis.pod.node;

  // A clone keeps its source's spec: say before anyone clicks whether it would be privileged (the worker classifies
  // the pod it builds again, so this is a label, not the decision).
  const clonePrivilege = classifyPodPrivilege(gathered.facts.pod.spec, {
    namespace: ref.namespace,
    sensitiveServiceAccounts: config.debugClone.sensitiveServiceAccounts ?? [],
  });
  let diagnosisId: string | undefined;
  try {
    diagnosisId = await deps.records.create(
      {
        namespace: ref.namespace,
        pod: ref.pod,
        ...(node ? { node } : {}),
        containers: diagnosis.containers.map((c) => c.name),
        clonePrivilege,
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
  });
  const body: ChatMessage = diagnosisId ? rendered : withoutButtons(rendered, BUTTONS_NEED_REDIS);
  const message: ChatMessage = { text: body.text, blocks: [...(target.prefixBlocks ?? []), ...(body.blocks ?? [])] };

  let posted: PostedMessage | undefined;
  try {
    posted = await deps.chat.post(target.channel, message);
  } catch (err) {
    if (isChatError(err, 'not_in_channel', 'channel_not_found') && target.respond) {
      // Clicks are honoured only on a message the bot posted itself (it knows its channel and ts), so the copy
      // delivered through response_url carries no buttons.
      await target
        .respond({ ...withoutButtons(message, BUTTONS_NEED_MEMBERSHIP), response_type: 'in_channel' })
        .catch((e) => log.warn({ err: e }, 'response_url refused the summary'));
      await target
        .respond({ text: inviteHint(target.channel), response_type: 'ephemeral' })
        .catch((e) => log.warn({ err: e }, 'response_url refused the hint'));
    } else if (target.throwSlackErrors) {
      throw err;
    } else {
      log.error({ err }, 'could not post the diagnosis');
      const code = isChatError(err) ? err.code : 'unknown_error';
      // The person is waiting for the summary, and the log line above does not hold it: deliver it through the
      // command's response_url, which chat.postMessage's per-channel rate limit does not touch.
      const delivered = target.respond
        ? await target
            .respond({ ...withoutButtons(message, BUTTONS_NEED_MEMBERSHIP), response_type: 'in_channel' })
            .then(
              () => true,
              (e) => {
                log.warn({ err: e }, 'response_url refused the summary');
                return false;
              },
            )
        : false;
      await target
        .respond?.({
          text: delivered
            ? `:warning: Slack refused the summary in <#${target.channel}> (${code}), so it came through this command without its evidence thread. Run the command again for the thread.`
            : `:x: Slack refused the summary (${code}). Run the command again in a minute.`,
          response_type: 'ephemeral',
        })
        .catch(() => {});
      await recordAudit(deps.audit, log, {
        actor,
        action: 'error',
        target: auditTarget,
        result: 'error',
        detail: `post failed: ${code}`,
      });
      return { ok: false, reason: 'slack', message };
    }
  }

  if (posted) {
    if (diagnosisId) {
      await deps.records
        .setMessage(diagnosisId, { channel: posted.channel, ts: posted.ts, body })
        .then(() =>
          target.prefixBlocks?.length ? deps.records.setPrefix(diagnosisId!, target.prefixBlocks) : undefined,
        )
        .catch((err) => log.error({ err }, 'could not store the diagnosis message'));
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
function missingContainer(pod: Pod, container: string): string | undefined {
  const spec = pod.spec;
  const names = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name);
  if (names.includes(container)) return undefined;
  const ref = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  return `:mag: Pod \`${ref}\` has no container \`${container.slice(0, 63)}\`; its containers are ${names.map((n) => `\`${n}\``).join(', ')}. Run the command again with one of them after \`-c\`, or without \`-c\`.`;
}

const BUTTONS_NEED_REDIS = ':warning: Buttons are unavailable: the bot cannot reach Redis. Try again shortly.';
const BUTTONS_NEED_MEMBERSHIP =
  ':information_source: No buttons here: debug pods are requested on a message the bot posts itself. Invite it to the channel and run the command again.';

function withoutButtons(message: ChatMessage, why: string): ChatMessage {
  const blocks = (message.blocks ?? []).filter((b: Block) => b.type !== 'actions');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: why }] });
  return { text: message.text, blocks };
}

function inviteHint(channel: string): string {
  return `The bot is not a member of <#${channel}>, so it answered through this command instead: the evidence thread and live progress need it in the channel. Invite it with \`/invite @debugdead\`.`;
}
