import type { App } from '@slack/bolt';
import { CLUSTER_USAGE, extractClusterAddress } from '../src/clusters/index.js';
import { parseCommand, USAGE } from '../src/command/index.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { describeFailure } from '../src/conversation/describe-failure.js';
import { diagnoseAndPost } from '../src/conversation/diagnose-and-post.js';
import { InFlightLimit, type Turn } from '../src/conversation/in-flight-limit.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { showAudit } from '../src/conversation/show-audit.js';
import { sealMessage } from '../src/render/index.js';

/**
 * `/debugdead …`: acknowledge at once (every acknowledgement sealed, like every respond() through handlers/sealing-fetch.ts) (Slack shows operation_timeout after 3 s), with the usage for a bad
 * command or "diagnosing ns/pod…"; the diagnosis itself runs after the ack.
 */
export function registerSlashCommand(app: App, deps: ConversationDeps): void {
  const max = deps.config.diagnoses.maxInFlight;
  const inFlight = new InFlightLimit(max);
  app.command(deps.config.slack.command, async ({ command, ack, respond }) => {
    // Many clusters: `@name` / `--cluster name` come out first (not from audit commands, where `@` names a person),
    // and `clusters` lists the agents.
    const routing = deps.clusters;
    const address =
      routing && !/^\s*audit\b/i.test(command.text)
        ? extractClusterAddress(command.text)
        : { ok: true as const, text: command.text, cluster: undefined };
    if (routing && address.ok && address.text === 'clusters') {
      await ack(sealMessage({ response_type: 'ephemeral' as const, text: await routing.list() }));
      return;
    }
    const parsed = address.ok ? parseCommand(address.text) : ({ kind: 'invalid', problem: address.problem } as const);
    const user = command.user_id;
    const log = deps.log.child({ user, channel: command.channel_id, command: 'slash' });
    if (parsed.kind === 'help' || parsed.kind === 'invalid') {
      const problem = parsed.kind === 'invalid' ? `:warning: ${parsed.problem}\n\n` : '';
      await ack(
        sealMessage({ response_type: 'ephemeral' as const, text: `${problem}${USAGE}${routing ? CLUSTER_USAGE : ''}` }),
      );
      await recordAudit(deps.audit, log, {
        actor: { type: 'user', id: user },
        action: 'command.received',
        target: {},
        result: parsed.kind === 'invalid' ? 'error' : 'ok',
        detail: parsed.kind === 'invalid' ? `invalid: ${parsed.problem}` : 'help',
      });
      return;
    }
    if (parsed.kind === 'audit') {
      await ack(sealMessage({ response_type: 'ephemeral' as const, text: ':mag: Reading the audit trail…' }));
      const text = await showAudit(deps, user, parsed.filter, parsed.verify).catch((err) => describeFailure(err));
      await respond({ response_type: 'ephemeral', replace_original: true, text }).catch((err) =>
        log.warn({ err }, 'could not answer'),
      );
      return;
    }
    const namespace = parsed.namespace ?? deps.config.kubernetes.defaultNamespace;
    const name =
      parsed.kind === 'diagnose' ? parsed.pod : `${parsed.workload.kind.toLowerCase()}/${parsed.workload.name}`;
    // Many clusters: the cluster it is for, answered at once when there is none or its agent is gone.
    const chosen = routing
      ? await routing.choose({
          ...(address.ok && address.cluster ? { named: address.cluster } : {}),
          channel: command.channel_id,
          namespace,
          pod: name,
          ...(parsed.kind === 'diagnose' ? {} : { workload: parsed.workload }),
        })
      : undefined;
    if (chosen && !chosen.ok) {
      await ack(sealMessage({ response_type: 'ephemeral' as const, text: chosen.text }));
      await recordAudit(deps.audit, log, {
        actor: { type: 'user', id: user },
        action: 'command.received',
        target: { namespace, pod: name },
        result: 'error',
        detail: `no cluster: ${chosen.text}`.slice(0, 300),
      });
      return;
    }
    const cluster = chosen?.cluster;
    const conversation = routing && cluster ? routing.depsFor(cluster) : deps;
    const ref = {
      namespace,
      ...(parsed.kind === 'diagnose' ? { pod: parsed.pod } : { workload: parsed.workload }),
      ...(parsed.container ? { container: parsed.container } : {}),
      ...(cluster ? { cluster } : {}),
    };
    const turn = inFlight.take();
    try {
      await ack(
        sealMessage({
          response_type: 'ephemeral' as const,
          text: `:stethoscope: Diagnosing \`${namespace}/${name}\`${cluster ? ` in @${cluster}` : ''}…${inLine(turn, max)}`,
        }),
      );
    } catch (err) {
      await turn.run(async () => {}); // gives the place in line back
      throw err;
    }
    await recordAudit(conversation.audit, log, {
      actor: { type: 'user', id: user },
      action: 'command.received',
      target: { namespace, pod: name },
      result: 'ok',
      detail: command.text.slice(0, 200),
    });
    await turn.run(() =>
      diagnoseAndPost(conversation, ref, {
        channel: command.channel_id,
        requestedBy: user,
        respond: async (message) => {
          await respond({
            response_type: message.response_type ?? 'ephemeral',
            text: message.text,
            ...(message.blocks ? { blocks: message.blocks } : {}),
          });
        },
      }),
    );
  });
}

/** The ack's word on waiting: nothing when the diagnosis starts at once. */
function inLine(turn: Turn, max: number): string {
  if (!turn.queued) return '';
  const place = turn.ahead === 0 ? 'yours is next' : `${turn.ahead} ahead of yours`;
  return ` :hourglass_flowing_sand: ${max} diagnoses are running and ${place} in line; it starts as soon as one finishes.`;
}
