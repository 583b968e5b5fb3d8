import { type GatewayLink, startGatewayLink } from '../../jobs/gateway-link.js';
import { classRule, parseActionId } from '../actions/index.js';
import { clusterKey, clusterNames, deriveClusterKey } from '../clusters/index.js';
import type { ConversationDeps } from '../conversation/deps.js';
import { localProgress } from '../conversation/progress-port.js';
import { recordAudit } from '../conversation/record-audit.js';
import type { RedisClient } from '../redis/index.js';
import { buildInfo } from '../version/index.js';
import { applyReport } from './apply-report.js';
import { clusterDeps } from './cluster-deps.js';
import { type ClusterDirectory, createClusterDirectory } from './cluster-directory.js';
import { clusterMutes } from './cluster-mutes.js';

export interface ConnectClustersOptions {
  connection: RedisClient;
  redis: RedisClient;
  /** The gateway's DEBUGDEAD_SIGNING_KEY; each cluster's key derives from it. */
  gatewayKey: string;
  /** Slack's channel name → id, listed at start when the configuration names channels (`#name`). */
  channelIds?: ReadonlyMap<string, string>;
  jobRetry?: { attempts?: number; backoffMs?: number };
}

/**
 * Makes this process the gateway of config clusters[]: diagnoses go to each cluster's agent (deps.examine), debug
 * pods to each cluster's queue (deps.jobs), clicks and commands run with their cluster's policy (deps.clusters), and
 * the agents' reports come back to Slack. `deps` is changed in place, before any command arrives.
 */
export async function connectClusters(
  deps: ConversationDeps,
  options: ConnectClustersOptions,
): Promise<{ link: GatewayLink; close(): Promise<void> }> {
  const { config } = deps;
  const keyOf = (cluster: string) => deriveClusterKey(options.gatewayKey, cluster);
  let directory: ClusterDirectory | undefined;
  const depsFor = (cluster: string): ConversationDeps => {
    const conversation = clusterDeps(deps, cluster, options.gatewayKey);
    return {
      ...conversation,
      markExpiry: (mark) => directory!.markExpiry(cluster, mark),
      // Workload targets, More logs and Mute read the pod's cluster through its agent; a task it could not answer is
      // on that cluster's audit trail. (Reports applied while the link starts, before the directory exists, are
      // alerts, which need none of these.)
      ...(directory
        ? {
            clusterOps: directory.opsFor(cluster, (kind, target, err) => {
              void recordAudit(conversation.audit, conversation.log, {
                actor: { type: 'bot' },
                action: 'error',
                target,
                result: 'error',
                detail: `${kind} task not answered: ${err.message}`.slice(0, 300),
              });
            }),
          }
        : {}),
      // Mutes live in the cluster's own key space, where its agent's alert manager reads them (its Redis ACL allows
      // only `<prefix>:cluster.<name>.*`), so a mute never silences the same workload name in another cluster.
      mutes: clusterMutes(options.redis, clusterKey(config.redis.prefix, cluster, 'state'), deps.now),
    };
  };
  const link = await startGatewayLink({
    connection: options.connection,
    redis: options.redis,
    prefix: config.redis.prefix,
    clusters: clusterNames(config),
    keyOf,
    applyReport: (cluster, body) =>
      applyReport(depsFor(cluster), options.redis, cluster, body, options.channelIds ?? new Map()),
    async attestGroups(grant) {
      const rule = classRule(depsFor(grant.cluster).config, grant.privilege);
      const groupsOf: Record<string, string[]> = {};
      for (const user of grant.approvers)
        groupsOf[user] = (await deps.groups.groupsOf(user, rule.approvers.groups)).groups;
      return groupsOf;
    },
    async clusterOfAction(actionId) {
      const ref = parseActionId(actionId);
      return ref ? (await deps.records.get(ref.diagnosisId).catch(() => undefined))?.request.cluster : undefined;
    },
    async onExpired(cluster, job, sentence) {
      const conversation = depsFor(cluster);
      const { actionId } = job.grant;
      const why = `${sentence.replace(/^:electric_plug: /, '')} The approved request expired unused: nothing was created. Ask again once the agent is back.`;
      await localProgress(conversation).progress(actionId, { step: 'failed', error: why });
      await localProgress(conversation).thread(actionId, { text: `:hourglass: ${why}` });
      await recordAudit(conversation.audit, conversation.log, {
        actor: { type: 'bot' },
        action: 'job.rejected',
        target: { namespace: job.grant.namespace, ...(job.grant.pod ? { pod: job.grant.pod } : {}) },
        requestId: actionId,
        result: 'denied',
        detail: `expired: the agent for @${cluster} was gone`,
      });
    },
    log: deps.log.child({ component: 'gateway' }),
    now: deps.now,
    ...(options.jobRetry ? { jobRetry: options.jobRetry } : {}),
  });
  directory = createClusterDirectory({ config, link, version: buildInfo().version });
  deps.jobs = link.jobs;
  const ready = directory;
  deps.examine = (ref) => ready.examine(ref);
  deps.clusters = { choose: (input) => ready.choose(input), list: () => ready.list(), depsFor };
  return { link, close: () => link.close() };
}
