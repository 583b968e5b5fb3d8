import type { AlertSink, PostedAlert, WorkloadAlert } from '../alerts/index.js';
import {
  alertHeadline,
  readMute,
  renderAlertContext,
  renderAlertSummary,
  renderMuteMenu,
  workloadKey,
} from '../alerts/index.js';
import type { RedisClient } from '../redis/index.js';
import type { Block } from '../render/index.js';
import { isChatError } from './chat-port.js';
import type { ConversationDeps } from './deps.js';
import { diagnoseAndPost } from './diagnose-and-post.js';
import { publishProgress } from './publish-progress.js';
import { createRecentDiagnoses, type RecentDiagnosis } from './recent-diagnoses.js';
import { recordAudit } from './record-audit.js';
import { isLinkablePermalink, renderAlertRaisedReply, renderDiagnosisLink } from './render-diagnosis-link.js';
import { rewriteAlertPrefix, tagAlertHeadline } from './rewrite-alert-prefix.js';

/** How long an alert message stays editable (recovered after…): well past any cooldown. */
const ALERT_LINK_TTL_SECONDS = 7 * 86400;

/** What Redis keeps per alert message: the diagnosis record behind it, and the diagnosis it links to instead. */
interface AlertLink {
  diagnosisId?: string;
  /** The diagnosis linked to (who asked, when, its permalink) and when the alert was posted. */
  linked?: { by: string; at: string; url: string; diagnosisId: string; alertAt: string };
}

/** A stored link back to its fields; an older release stored the bare diagnosis id. Pure. */
function parseAlertLink(raw: string | null): AlertLink {
  if (!raw) return {};
  if (!raw.startsWith('{')) return { diagnosisId: raw };
  try {
    const v = JSON.parse(raw) as AlertLink;
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}

/**
 * Alerts as people see them: the same diagnosis, buttons and thread as `/debugdead`, under a headline the alert
 * manager keeps current (pods failing, since when, recovered after). When a person diagnosed the same workload (of
 * the same cluster) in the alert's channel within the hour, the alert links to that diagnosis instead of repeating
 * it: the headline, "Diagnosed by @alice … open the diagnosis and its buttons", and the mute menu; the diagnosis's
 * thread gets a reply pointing back to the alert. The message is linked to its diagnosis record in Redis, so an
 * update from another replica or after a restart edits the headline and keeps the rest (the action panels, the
 * link, a mute notice while the mute runs).
 */
export function createDiagnosisAlertSink(deps: ConversationDeps, redis: RedisClient): AlertSink {
  const prefix = deps.config.redis.prefix;
  const linkKey = (posted: PostedAlert) => `${prefix}:alert-diagnosis:${posted.channel}:${posted.ts}`;
  // Many clusters: the gateway's sink works with the cluster's configuration (cluster.name is the reporting agent's).
  const cluster = deps.config.clusters?.length ? deps.config.cluster.name : undefined;
  // Named as the full diagnosis names it (diagnoseAndPost), so a channel fed by many clusters tells them apart.
  const clusterLine: Block[] = cluster
    ? [
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `:globe_with_meridians: Cluster *@${cluster}*` }],
        } as Block,
      ]
    : [];
  const recent = deps.recentDiagnoses ?? createRecentDiagnoses({ redis, prefix, now: deps.now });
  const saveLink = (posted: PostedAlert, link: AlertLink) =>
    redis
      .set(linkKey(posted), JSON.stringify(link), 'EX', ALERT_LINK_TTL_SECONDS)
      .catch((err) => deps.log.warn({ err }, 'could not link the alert message to its record'));

  /** A person's recent diagnosis of the alert's workload, here, with its permalink; undefined: diagnose as usual. */
  async function linkable(alert: WorkloadAlert): Promise<{ found: RecentDiagnosis; url: string } | undefined> {
    if (!deps.chat.permalink) return undefined;
    const place = { channel: alert.channel, workload: alert.workload, ...(cluster ? { cluster } : {}) };
    const found = await recent.find(place).catch((err) => {
      deps.log.warn({ err }, 'could not look for a recent diagnosis; the alert diagnoses');
      return undefined;
    });
    if (!found) return undefined;
    // Its buttons must still work (the record lives approvals.requestTtl), and the record, signed, must be of that
    // very message: an entry written into Redis by hand links nowhere.
    const record = await deps.records.get(found.diagnosisId).catch(() => undefined);
    if (record?.message?.channel !== found.channel || record.message.ts !== found.ts) return undefined;
    try {
      // Also proves the diagnosis is still there: a deleted message answers message_not_found.
      const url = await deps.chat.permalink(found.channel, found.ts);
      return isLinkablePermalink(url) ? { found, url } : undefined;
    } catch (err) {
      if (isChatError(err, 'ratelimited')) throw err; // the alert queue waits and retries
      deps.log.info(
        { err, diagnosisId: found.diagnosisId },
        'the recent diagnosis cannot be linked; the alert diagnoses',
      );
      return undefined;
    }
  }

  async function postLinked(alert: WorkloadAlert, found: RecentDiagnosis, url: string): Promise<PostedAlert> {
    const now = deps.now();
    const headline = tagAlertHeadline(renderAlertContext(alert, now, { diagnosed: false }));
    let diagnosisId: string | undefined;
    try {
      // A record of its own, so its mute menu is clicked from its own message and its headline can be rewritten.
      diagnosisId = await deps.records.create(
        {
          namespace: alert.workload.namespace,
          pod: alert.pod,
          containers: [],
          clonePrivilege: [],
          ...(cluster ? { cluster } : {}),
          requestedBy: 'alert',
          createdAt: now.toISOString(),
        },
        deps.config.approvals.requestTtlSeconds,
      );
    } catch (err) {
      deps.log.error({ err }, 'could not store the alert behind its mute menu');
    }
    const linked = { by: found.by, at: found.at, url, diagnosisId: found.diagnosisId, alertAt: now.toISOString() };
    const body = {
      text: `${alertHeadline(alert, now)} (diagnosed earlier: see the link)${cluster ? ` · @${cluster}` : ''}`,
      blocks: [
        ...clusterLine,
        renderDiagnosisLink(found, url, now),
        ...(diagnosisId && deps.mutes
          ? [{ type: 'actions', elements: [renderMuteMenu(diagnosisId)] } as unknown as Block]
          : []),
      ],
    };
    const posted = await deps.chat.post(alert.channel, { text: body.text, blocks: [...headline, ...body.blocks] });
    if (diagnosisId) {
      const id = diagnosisId;
      await deps.records
        .setMessage(id, { channel: posted.channel, ts: posted.ts, body })
        .then(() => deps.records.setPrefix(id, headline))
        .catch((err) => deps.log.error({ err }, 'could not store the alert message'));
    }
    await saveLink(posted, { ...(diagnosisId ? { diagnosisId } : {}), linked });
    deps.log.info(
      { workload: workloadKey(alert.workload), linkedTo: found.diagnosisId, by: found.by },
      'alert linked to a recent diagnosis instead of diagnosing again',
    );
    await recordAudit(deps.audit, deps.log, {
      actor: { type: 'bot' },
      action: 'alert.posted',
      target: { namespace: alert.workload.namespace, pod: alert.pod },
      ...(diagnosisId ? { requestId: diagnosisId } : {}),
      result: 'ok',
      detail: `${workloadKey(alert.workload)} linked to diagnosis ${found.diagnosisId} by ${found.by}, not diagnosed again`,
    });
    // Whoever follows the diagnosis learns that the workload now alerts, and where it is kept current.
    const alertUrl = await deps.chat.permalink?.(posted.channel, posted.ts).catch(() => undefined);
    await deps.chat
      .post(found.channel, renderAlertRaisedReply(alertUrl, alertHeadline(alert, now)), { threadTs: found.ts })
      .catch((err) => deps.log.warn({ err }, 'could not point the diagnosis thread to the alert'));
    return posted;
  }

  return {
    async post(alert: WorkloadAlert): Promise<PostedAlert> {
      const link = await linkable(alert);
      if (link) return postLinked(alert, link.found, link.url);
      const headline = tagAlertHeadline(renderAlertContext(alert, deps.now()));
      const outcome = await diagnoseAndPost(
        deps,
        { namespace: alert.workload.namespace, pod: alert.pod },
        { channel: alert.channel, requestedBy: 'alert', prefixBlocks: headline, throwSlackErrors: true },
      );
      if (outcome.ok && outcome.posted) {
        if (outcome.diagnosisId) await saveLink(outcome.posted, { diagnosisId: outcome.diagnosisId });
        return outcome.posted;
      }
      // The pod could not be diagnosed (gone already, forbidden): the alert still goes out, with the reason.
      const reason = outcome.ok ? '' : outcome.message.text;
      return deps.chat.post(alert.channel, {
        text: `${alert.workload.kind} ${alert.workload.namespace}/${alert.workload.name}: ${alert.reason}`,
        blocks: [
          ...headline,
          { type: 'section', text: { type: 'mrkdwn', text: reason.slice(0, 2900) || '_no diagnosis_' } },
        ],
      });
    },

    async update(posted: PostedAlert, alert: WorkloadAlert): Promise<void> {
      const now = deps.now();
      const link = parseAlertLink(await redis.get(linkKey(posted)).catch(() => null));
      const headline = renderAlertContext(alert, now, { diagnosed: !link.linked });
      // What else the message says must still be true: the mute notice follows the mute as Redis holds it now.
      const facts = {
        mute: await readMute(redis, prefix, workloadKey(alert.workload)).catch(() => undefined),
        recovered: alert.recoveredAt !== undefined,
      };
      const record = link.diagnosisId ? await deps.records.get(link.diagnosisId) : undefined;
      if (link.diagnosisId && record?.message) {
        await deps.records.setPrefix(link.diagnosisId, rewriteAlertPrefix(record.prefix, headline, facts));
        await publishProgress(deps, link.diagnosisId);
        return;
      }
      // No record any more (expired): the message is rebuilt from what Redis still holds, its buttons gone.
      const linked = link.linked;
      await deps.chat.update(posted.channel, posted.ts, {
        text: `${alert.workload.kind} ${alert.workload.namespace}/${alert.workload.name}: ${alert.recoveredAt ? 'recovered' : alert.reason}`,
        blocks: [
          ...rewriteAlertPrefix([], headline, facts),
          ...(linked ? clusterLine : []),
          ...(linked && isLinkablePermalink(linked.url)
            ? [renderDiagnosisLink(linked, linked.url, new Date(linked.alertAt))]
            : []),
        ],
      });
    },

    postSummary: (channel, entries) => deps.chat.post(channel, renderAlertSummary(entries)),
    updateSummary: (posted, entries) => deps.chat.update(posted.channel, posted.ts, renderAlertSummary(entries)),
  };
}
