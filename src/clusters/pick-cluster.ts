import type { ChannelBinding } from '../config/index.js';

export type ClusterChoice =
  /** `by` says why: named in the command, the channel's default, or the only cluster there is. */
  | { ok: true; cluster: string; by: 'named' | 'channel' | 'only' }
  /** Nothing says which: the gateway asks every agent where the pod is. */
  | { ok: false; reason: 'unspecified'; clusters: string[] }
  | { ok: false; reason: 'unknown'; cluster: string; clusters: string[] };

/**
 * Which cluster a command is for: the `@name` it carries, else its channel's default (the first binding listing the
 * channel with a cluster), else the only cluster. A name that is not configured is refused with the list. Pure.
 */
export function pickCluster(input: {
  named?: string | undefined;
  channel: string;
  bindings: ChannelBinding[];
  clusters: string[];
}): ClusterChoice {
  const { named, channel, bindings, clusters } = input;
  if (named !== undefined) {
    return clusters.includes(named)
      ? { ok: true, cluster: named, by: 'named' }
      : { ok: false, reason: 'unknown', cluster: named, clusters };
  }
  const bound = bindings.find((b) => b.cluster && b.channels.includes(channel))?.cluster;
  if (bound && clusters.includes(bound)) return { ok: true, cluster: bound, by: 'channel' };
  if (clusters.length === 1) return { ok: true, cluster: clusters[0]!, by: 'only' };
  return { ok: false, reason: 'unspecified', clusters };
}
