import type { Config } from './types.js';

/** A configured channel given by name (`#incidents`) that Slack did not list: the key that names it, and the name. */
export interface UnresolvedChannel {
  key: string;
  name: string;
}

const isName = (channel: string) => channel.startsWith('#');

/** The parts of the configuration that hold channels; `clusters` only with many clusters. */
type ChannelConfig = Pick<Config, 'alerts' | 'audit' | 'bindings'> & Partial<Pick<Config, 'clusters'>>;

/** Every channel the configuration names, with its key, ids and names alike. */
function channelKeys(config: ChannelConfig): { key: string; channel: string }[] {
  return [
    ...(config.alerts.channel ? [{ key: 'alerts.channel', channel: config.alerts.channel }] : []),
    ...config.alerts.routes.map((r, i) => ({ key: `alerts.routes[${i}].channel`, channel: r.channel })),
    ...(config.audit.channel ? [{ key: 'audit.channel', channel: config.audit.channel }] : []),
    ...config.bindings.flatMap((b, i) =>
      b.channels.map((channel, j) => ({ key: `bindings[${i}].channels[${j}]`, channel })),
    ),
    ...(config.clusters ?? []).flatMap((c, i) => [
      ...(c.alerts.channel ? [{ key: `clusters[${i}].alerts.channel`, channel: c.alerts.channel }] : []),
      ...c.alerts.routes.map((r, j) => ({ key: `clusters[${i}].alerts.routes[${j}].channel`, channel: r.channel })),
    ]),
  ];
}

/** Pure: whether any configured channel is a `#name` (only then does the bot ask Slack for its channel list). */
export function namesChannels(config: ChannelConfig): boolean {
  return channelKeys(config).some((c) => isName(c.channel));
}

/**
 * Pure: one channel as an id: a `#name` by the ids Slack listed (as written, then lowercased), undefined when not
 * listed; an id as given. (An agent of many clusters routes alerts by the names in the file; the gateway posts by id.)
 */
export function channelIdOf(channel: string, ids: ReadonlyMap<string, string>): string | undefined {
  if (!isName(channel)) return channel;
  const name = channel.slice(1);
  return ids.get(name) ?? ids.get(name.toLowerCase());
}

/**
 * Pure: the configuration with every `#name` replaced by the id Slack listed for it (`ids`: name without "#" → id),
 * and the names that were not listed. Ids are kept as given. Slack names are lowercase; a name is matched as written
 * and then lowercased.
 */
export function resolveChannelNames<C extends ChannelConfig>(
  config: C,
  ids: ReadonlyMap<string, string>,
): { config: C; unresolved: UnresolvedChannel[] } {
  const unresolved: UnresolvedChannel[] = [];
  const resolve = (key: string, channel: string): string => {
    const id = channelIdOf(channel, ids);
    if (id) return id;
    unresolved.push({ key, name: channel });
    return channel;
  };
  const resolved: C = {
    ...config,
    alerts: {
      ...config.alerts,
      ...(config.alerts.channel ? { channel: resolve('alerts.channel', config.alerts.channel) } : {}),
      routes: config.alerts.routes.map((r, i) => ({
        ...r,
        channel: resolve(`alerts.routes[${i}].channel`, r.channel),
      })),
    },
    audit: {
      ...config.audit,
      ...(config.audit.channel ? { channel: resolve('audit.channel', config.audit.channel) } : {}),
    },
    bindings: config.bindings.map((b, i) => ({
      ...b,
      channels: b.channels.map((c, j) => resolve(`bindings[${i}].channels[${j}]`, c)),
    })),
    ...(config.clusters
      ? {
          clusters: config.clusters.map((c, i) => ({
            ...c,
            alerts: {
              ...c.alerts,
              ...(c.alerts.channel ? { channel: resolve(`clusters[${i}].alerts.channel`, c.alerts.channel) } : {}),
              routes: c.alerts.routes.map((r, j) => ({
                ...r,
                channel: resolve(`clusters[${i}].alerts.routes[${j}].channel`, r.channel),
              })),
            },
          })),
        }
      : {}),
  };
  return { config: resolved, unresolved };
}

/** The start-up sentence for a name Slack did not list, naming the fix. */
export function describeUnresolvedChannel(u: UnresolvedChannel): string {
  return `${u.key}: Slack lists no channel ${u.name} that the bot can see: check the spelling (the name as it appears in Slack, without spaces), or if the channel is private, run \`/invite @debugdead\` in it; or give its id (channel details, About tab, bottom).`;
}
