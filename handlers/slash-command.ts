import type { App } from '@slack/bolt';
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
    const parsed = parseCommand(command.text);
    const user = command.user_id;
    const log = deps.log.child({ user, channel: command.channel_id, command: 'slash' });
    if (parsed.kind === 'help' || parsed.kind === 'invalid') {
      const problem = parsed.kind === 'invalid' ? `:warning: ${parsed.problem}\n\n` : '';
      await ack(sealMessage({ response_type: 'ephemeral' as const, text: `${problem}${USAGE}` }));
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
    const ref = {
      namespace,
      ...(parsed.kind === 'diagnose' ? { pod: parsed.pod } : { workload: parsed.workload }),
      ...(parsed.container ? { container: parsed.container } : {}),
    };
    const turn = inFlight.take();
    try {
      await ack(
        sealMessage({
          response_type: 'ephemeral' as const,
          text: `:stethoscope: Diagnosing \`${namespace}/${name}\`…${inLine(turn, max)}`,
        }),
      );
    } catch (err) {
      await turn.run(async () => {}); // gives the place in line back
      throw err;
    }
    await recordAudit(deps.audit, log, {
      actor: { type: 'user', id: user },
      action: 'command.received',
      target: { namespace, pod: name },
      result: 'ok',
      detail: command.text.slice(0, 200),
    });
    await turn.run(() =>
      diagnoseAndPost(deps, ref, {
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
