import { MUTE_NOTICE_BLOCK, type MuteChoice, type MuteRecord, renderMuteNotice, workloadKey } from '../alerts/index.js';
import { isKubeError } from '../kube/index.js';
import { channelMayDiagnose } from './channel-may-diagnose.js';
import { clusterOpsOf } from './cluster-ops.js';
import type { ConversationDeps } from './deps.js';
import { describeFailure } from './describe-failure.js';
import { mayMute } from './may-mute.js';
import { publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';

export interface MuteClick {
  choice: MuteChoice | 'unmute';
  diagnosisId: string;
  user: string;
  place: { channel?: string; ts?: string };
  tell: (text: string) => Promise<void>;
}

const CHOICE_WORDS: Record<MuteChoice, string> = { '1h': 'for 1 h', '24h': 'for 24 h', recovery: 'until it recovers' };

/**
 * A pick from the mute menu of an alert or summary: the workload of the message's pod is muted (or unmuted) in
 * Redis, the message shows who muted it until when, and the step is audited. Who may: people in a channel bound to
 * the pod's namespace (config bindings; with none, anyone who sees the message), narrowed by `mute.approvers` when
 * set (mayMute; an unmute is also open to its muter). Only from the message itself. Denials are told and audited.
 */
export async function muteFromClick(deps: ConversationDeps, click: MuteClick): Promise<void> {
  const { mutes } = deps;
  const record = await deps.records.get(click.diagnosisId);
  const actor = { type: 'user', id: click.user } as const;
  if (!mutes || !record?.message) {
    await click.tell(':hourglass: This menu has expired. Run `/debugdead` again for a fresh diagnosis.');
    return;
  }
  const { namespace, pod } = record.request;
  const target = { namespace, pod };
  const unmute = click.choice === 'unmute';
  const audit = (result: 'ok' | 'denied' | 'error', detail: string) =>
    recordAudit(deps.audit, deps.log, {
      actor,
      action: unmute ? 'alert.unmuted' : 'alert.muted',
      target,
      requestId: click.diagnosisId,
      result,
      detail,
    });
  const fromItsMessage = click.place.channel === record.message.channel && click.place.ts === record.message.ts;
  const bound = channelMayDiagnose(deps.config.bindings, click.place.channel ?? '', namespace);
  if (!fromItsMessage || !bound.ok) {
    await click.tell(':no_entry: You may not mute this workload from here; nothing was done.');
    await audit(
      'denied',
      fromItsMessage ? `channel ${click.place.channel} is not bound to ${namespace}` : 'not from its message',
    );
    return;
  }
  let key: string;
  try {
    // Read in the pod's cluster: here, or by its agent (many clusters). The agent's answer must stay in the namespace.
    const workload = await clusterOpsOf(deps).workloadOf(namespace, pod);
    if (workload.namespace !== namespace) throw new Error('a workload of another namespace');
    key = workloadKey(workload);
  } catch (err) {
    const gone = err instanceof Error && err.name === 'AgentGone';
    const why = isKubeError(err) && err.kind === 'NotFound' ? 'the pod is gone' : 'the pod could not be read';
    await click.tell(gone ? describeFailure(err) : `:x: Could not tell which workload to mute: ${why}.`);
    await audit('error', gone ? "the cluster's agent is gone" : why);
    return;
  }
  const approvers = deps.config.mute?.approvers;
  // Only with a set configured are groups looked up (and the current mute read, for its muter).
  const [membership, current] = approvers
    ? await Promise.all([
        deps.groups.groupsOf(click.user, approvers.groups),
        unmute && mutes.read ? mutes.read(key) : Promise.resolve(undefined),
      ])
    : [undefined, undefined];
  const verdict = mayMute({
    approvers,
    user: click.user,
    userGroups: membership?.groups ?? [],
    unmute,
    mutedBy: current?.by,
  });
  if (!verdict.ok) {
    await click.tell(membership?.note ? `${verdict.text} ${membership.note}` : verdict.text);
    await audit('denied', `${key}: not in mute.approvers${unmute && current ? ' and not its muter' : ''}`);
    return;
  }
  let mute: MuteRecord | undefined;
  if (click.choice === 'unmute') await mutes.clear(key);
  else mute = await mutes.save(key, click.choice, click.user);
  await audit(
    'ok',
    mute
      ? `${key} ${CHOICE_WORDS[click.choice as MuteChoice]}`
      : `${key}${verdict.by === 'muter' ? ' (its muter)' : ''}`,
  );
  const kept = record.prefix.filter((b) => !('block_id' in b) || b.block_id !== MUTE_NOTICE_BLOCK);
  const notice = mute
    ? [
        {
          type: 'context',
          block_id: MUTE_NOTICE_BLOCK,
          elements: [{ type: 'mrkdwn', text: renderMuteNotice(mute) }],
        } as (typeof record.prefix)[number],
      ]
    : [];
  await deps.records.setPrefix(click.diagnosisId, [...kept, ...notice]);
  await publishProgress(deps, click.diagnosisId);
}
