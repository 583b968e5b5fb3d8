/** Which configured channel a problem is about, for the sentence. */
export interface ChannelRole {
  /** The config key, e.g. `alerts.channel` or `alerts.routes[0].channel`. */
  key: string;
  channel: string;
}

/** Slack's answer to `auth.test` as a sentence naming the fix; undefined when the token works. */
export function describeAuthProblem(code: string | undefined, apiUrl: string): string | undefined {
  if (code === undefined) return undefined;
  switch (code) {
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'account_inactive':
    case 'token_expired':
      return `Slack refused SLACK_BOT_TOKEN (${code}): put the app's Bot User OAuth Token (xoxb-…, on the app's "OAuth & Permissions" page) in the Secret debugdead-secrets, reinstalling the app if it was revoked.`;
    case 'unreachable':
      return `Slack's Web API at ${apiUrl} did not answer: allow the pod's egress to it (proxy, NetworkPolicy, DNS) or fix slack.apiUrl.`;
    default:
      return `Slack's auth.test failed (${code}): check SLACK_BOT_TOKEN and the app's installation in the workspace.`;
  }
}

/** Slack's refusal of a (scheduled, then deleted) test post to a configured channel, as a sentence naming the fix. */
export function describeChannelProblem(role: ChannelRole, code: string): string {
  const which = `${role.key} ${role.channel}`;
  switch (code) {
    case 'channel_not_found':
      return `Slack says ${which} does not exist, or is private and the bot is not in it: copy the id from the channel's details (About tab, bottom), and run \`/invite @debugdead\` in it.`;
    case 'not_in_channel':
      return `The bot is not a member of ${which}: run \`/invite @debugdead\` in that channel.`;
    case 'is_archived':
      return `${which} is archived: unarchive it, or set ${role.key} to another channel.`;
    case 'restricted_action':
    case 'restricted_action_read_only_channel':
    case 'restricted_action_non_threadable_channel':
    case 'ekm_access_denied':
      return `Slack does not let the bot post in ${which} (${code}): ask a workspace admin to allow it, or set ${role.key} to another channel.`;
    case 'missing_scope':
      return `The bot may not post in ${which} (missing_scope): add the chat:write scope (manifest.yml) and reinstall the app.`;
    default:
      return `A test post to ${which} failed (${code}): the bot may not be able to post there.`;
  }
}

/** Slack's refusal to list channels, when the configuration names one by `#name`, as a sentence naming the fix. */
export function describeChannelListProblem(code: string): string {
  if (code === 'missing_scope') {
    return 'The configuration names channels by #name, and Slack refused to list channels (missing_scope): add the channels:read and groups:read scopes (manifest.yml) and reinstall the app, or give channel ids instead.';
  }
  return `The configuration names channels by #name, and Slack's conversations.list failed (${code}): give channel ids instead, or fix the cause and restart.`;
}

/**
 * The channels the configuration posts to, each with the key that names it: with many clusters, each cluster's own
 * alert channel and routes too (its agent's alerts are posted there by the gateway).
 */
export function configuredChannels(config: {
  alerts: { enabled: boolean; channel?: string | undefined; routes: readonly { channel: string }[] };
  audit: { channel?: string | undefined };
  clusters?: readonly { alerts: { channel?: string | undefined; routes: readonly { channel: string }[] } }[];
}): ChannelRole[] {
  const roles: ChannelRole[] = [];
  if (config.alerts.enabled) {
    if (config.alerts.channel) roles.push({ key: 'alerts.channel', channel: config.alerts.channel });
    for (const [i, r] of config.alerts.routes.entries()) {
      roles.push({ key: `alerts.routes[${i}].channel`, channel: r.channel });
    }
    for (const [i, c] of (config.clusters ?? []).entries()) {
      if (c.alerts.channel) roles.push({ key: `clusters[${i}].alerts.channel`, channel: c.alerts.channel });
      for (const [j, r] of c.alerts.routes.entries())
        roles.push({ key: `clusters[${i}].alerts.routes[${j}].channel`, channel: r.channel });
    }
  }
  if (config.audit.channel) roles.push({ key: 'audit.channel', channel: config.audit.channel });
  return roles;
}
