import type { Logger } from 'pino';
import { approvalPolicyFromConfig, namespaceAllowed } from '../approvals/index.js';
import type { Diagnosis } from '../diagnosis/index.js';
import { diagnosePod } from '../pipeline/index.js';
import { type Block, renderDiagnosisMessage, renderErrorMessage, renderThreadReplies } from '../render/index.js';
import { type ChatMessage, isChatError, type PostedMessage } from './chat-port.js';
import type { ConversationDeps } from './deps.js';
import { recordAudit } from './record-audit.js';
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
  // The pipeline the CLI runs too (src/pipeline): gather, fold duplicate logs, redact, reason.
  const result = await diagnosePod(
    deps.kube,
    ref,
    { tailLines: config.logs.tailLines, limitBytes: config.logs.limitBytes, callTimeoutMs: timeoutSeconds * 1000 },
    deps.now,
  );
  if (!result.ok && result.reason === 'kube') {
    const message = renderErrorMessage(
      toRenderableError(result.error, ref, {
        ...(result.suggestions ? { suggestions: result.suggestions } : {}),
        timeoutSeconds,
      }),
    );
    await target.respond?.(message).catch((err) => log.warn({ err }, 'could not answer the command'));
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
    const message: ChatMessage = { text: missingContainer(ref, result.container, result.containers) };
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

  const { diagnosis, redactions } = result;
  const node = diagnosis.pod.node;

  let diagnosisId: string | undefined;
  try {
    diagnosisId = await deps.requests.create(
      {
        kind: 'clone',
        namespace: ref.namespace,
        pod: ref.pod,
        ...(ref.container ? { container: ref.container } : {}),
        ...(node ? { node } : {}),
        requestedBy: target.requestedBy,
        channel: target.channel,
        // The message ts is known only after posting; the DiagnosisBoard holds it.
        messageTs: '',
        createdAt: deps.now().toISOString(),
        containers: diagnosis.containers.map((c) => c.name),
      },
      config.approvals.requestTtlSeconds,
    );
  } catch (err) {
    log.error({ err }, 'could not store the request behind the buttons');
  }

  const rendered = renderDiagnosisMessage(diagnosis, {
    requestId: diagnosisId ?? 'unavailable',
    redactions,
    nodeShellAvailable: config.nodeShell.enabled,
  });
  const body: ChatMessage = diagnosisId ? rendered : withoutButtons(rendered);
  const message: ChatMessage = { text: body.text, blocks: [...(target.prefixBlocks ?? []), ...(body.blocks ?? [])] };

  let posted: PostedMessage | undefined;
  try {
    posted = await deps.chat.post(target.channel, message);
  } catch (err) {
    if (isChatError(err, 'not_in_channel', 'channel_not_found') && target.respond) {
      await target
        .respond({ ...message, response_type: 'in_channel' })
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
        ? await target.respond({ ...message, response_type: 'in_channel' }).then(
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
      await deps.board
        .save(
          diagnosisId,
          { channel: posted.channel, ts: posted.ts, message: body },
          config.approvals.requestTtlSeconds,
        )
        .then(() => (target.prefixBlocks?.length ? deps.board.setPrefix(diagnosisId!, target.prefixBlocks) : undefined))
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
function missingContainer(ref: DiagnosisTarget, container: string, names: string[]): string {
  return `:mag: Pod \`${ref.namespace}/${ref.pod}\` has no container \`${container.slice(0, 63)}\`; its containers are ${names.map((n) => `\`${n}\``).join(', ')}. Run the command again with one of them after \`-c\`, or without \`-c\`.`;
}

function withoutButtons(message: ChatMessage): ChatMessage {
  const blocks = (message.blocks ?? []).filter((b: Block) => b.type !== 'actions');
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: ':warning: Buttons are unavailable: the bot cannot reach Redis. Try again shortly.' },
    ],
  });
  return { text: message.text, blocks };
}

function inviteHint(channel: string): string {
  return `The bot is not a member of <#${channel}>, so it answered through this command instead: the evidence thread and live progress need it in the channel. Invite it with \`/invite @debugdead\`.`;
}
