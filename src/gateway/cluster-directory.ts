import {
  AgentGone,
  type AgentHealth,
  clusterNames,
  kubectlContextOf,
  pickCluster,
  renderClusters,
  type Task,
} from '../clusters/index.js';
import type { WorkloadTarget } from '../command/index.js';
import type { Config } from '../config/index.js';
import type { ClusterOps } from '../conversation/cluster-ops.js';
import type { ClusterRouting } from '../conversation/deps.js';
import type { DiagnosisTarget } from '../conversation/diagnose-and-post.js';
import type { ExpiryMark } from '../conversation/mark-expiry.js';
import { KubeError, type KubeErrorKind } from '../kube/index.js';
import type { ExamineResult } from '../pipeline/index.js';
import { type OnTaskFailure, remoteClusterOps } from './remote-cluster-ops.js';

/** What the directory needs of the queues (jobs/gateway-link.ts). */
export interface ClusterLinkPort {
  health(cluster: string): Promise<AgentHealth>;
  ask(cluster: string, kind: Task['kind'], body: unknown, ttlMs: number): Promise<unknown>;
  waiting(cluster: string): Promise<number>;
}

/** The gateway's view of its clusters: which cluster, is its agent there, the list, and diagnoses by the agents. */
export interface ClusterDirectory extends Omit<ClusterRouting, 'depsFor'> {
  /** deps.examine: the pod examined by its cluster's agent; a pod it lacks is looked for in the others. */
  examine(ref: DiagnosisTarget): Promise<ExamineResult>;
  /** deps.markExpiry of a cluster: Extend, done by its agent (a gone pod is a KubeError NotFound here too). */
  markExpiry(cluster: string, mark: ExpiryMark): Promise<void>;
  /** deps.clusterOps of a cluster: workload targets, More logs and Mute, read by its agent (remoteClusterOps). */
  opsFor(cluster: string, onFailure?: OnTaskFailure): ClusterOps;
}

export interface ClusterDirectoryOptions {
  config: Config;
  link: ClusterLinkPort;
  version: string;
  /** How long a diagnosis may take in the agent, ms (it reads logs with their own deadlines). @defaultValue 30000 */
  diagnoseTtlMs?: number;
  /** How long "is the pod there?" may take, ms. @defaultValue 1500 */
  locateTtlMs?: number;
  /** How long one read for a click may take (a Mute's "which workload is this pod's?"), ms. @defaultValue 10000 */
  readTtlMs?: number;
}

export function createClusterDirectory(options: ClusterDirectoryOptions): ClusterDirectory {
  const { config, link } = options;
  const locateTtl = options.locateTtlMs ?? 1500;

  /**
   * The live clusters among `clusters` that hold namespace/pod, or the workload when one is named (a gone agent or a
   * slow answer counts as no).
   */
  async function locate(
    clusters: string[],
    namespace: string,
    pod: string,
    workload?: WorkloadTarget,
  ): Promise<string[]> {
    const body = workload ? { namespace, workload: { kind: workload.kind, name: workload.name } } : { namespace, pod };
    const found = await Promise.all(
      clusters.map((c) =>
        link.ask(c, 'locate', body, locateTtl).then(
          (there) => (there === true ? c : undefined),
          () => undefined,
        ),
      ),
    );
    return found.filter((c): c is string => c !== undefined);
  }

  return {
    async choose({ named, channel, namespace, pod, workload }) {
      const clusters = clusterNames(config);
      const choice = pickCluster({ named, channel, bindings: config.bindings, clusters });
      let cluster: string;
      if (choice.ok) cluster = choice.cluster;
      else if (choice.reason === 'unknown')
        return { ok: false, text: `:x: There is no cluster @${choice.cluster}. The clusters are ${list(clusters)}.` };
      else {
        const found = await locate(clusters, namespace, pod, workload);
        if (found.length !== 1)
          return {
            ok: false,
            text: found.length
              ? `:compass: \`${namespace}/${pod}\` exists in ${list(found)}: say which, e.g. \`/debugdead ${pod} ${namespace} @${found[0]}\`.`
              : `:mag: No live cluster has \`${namespace}/${pod}\`. Name the cluster with \`@name\`; the clusters are ${list(clusters)}.`,
          };
        cluster = found[0]!;
      }
      const health = await link.health(cluster);
      return health.alive ? { ok: true, cluster } : { ok: false, text: health.sentence };
    },

    async list() {
      const rows = await Promise.all(
        clusterNames(config).map(async (name) => ({
          name,
          health: await link.health(name),
          waiting: await link.waiting(name).catch(() => 0),
          context: kubectlContextOf(config, name),
        })),
      );
      return renderClusters(rows, options.version);
    },

    async markExpiry(cluster, mark) {
      const answer = (await link.ask(cluster, 'extend', mark, options.diagnoseTtlMs ?? 30_000)) as {
        ok: boolean;
        kind?: KubeErrorKind;
        message?: string;
      };
      if (!answer?.ok)
        throw answer?.kind
          ? new KubeError(answer.kind, undefined, answer.message ?? '')
          : new Error(answer?.message ?? `the agent for @${cluster} could not extend it`);
    },

    opsFor(cluster, onFailure) {
      return remoteClusterOps(
        cluster,
        (kind, body) =>
          link.ask(
            cluster,
            kind,
            body,
            kind === 'workload-of' ? (options.readTtlMs ?? 10_000) : (options.diagnoseTtlMs ?? 30_000),
          ),
        onFailure,
      );
    },

    async examine(ref) {
      const cluster = ref.cluster ?? config.cluster.name;
      let result: ExamineResult;
      try {
        result = (await link.ask(cluster, 'diagnose', ref, options.diagnoseTtlMs ?? 30_000)) as ExamineResult;
      } catch (err) {
        const message =
          err instanceof AgentGone
            ? err.sentence
            : `The agent for @${cluster} did not answer: ${(err as Error).message}`;
        return { ok: false, reason: 'kube', error: { kind: 'Unavailable', message } };
      }
      if (!result.ok && result.reason === 'kube' && result.error.kind === 'NotFound') {
        const others = clusterNames(config).filter((c) => c !== cluster);
        const elsewhere = await locate(others, ref.namespace, ref.pod);
        if (elsewhere.length) return { ...result, elsewhere };
      }
      return result;
    },
  };
}

function list(names: string[]): string {
  return names.map((n) => `@${n}`).join(', ');
}
