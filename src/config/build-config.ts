import { redisConnectionFromEnv } from './redis-connection-from-env.js';
import type { Config } from './types.js';
import { validateConfigTree } from './validate-config.js';

export type Environment = Record<string, string | undefined>;

export type BuildResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Pure: the parsed YAML document plus the environment's secrets give one typed, validated Config. */
export function buildConfig(document: unknown, env: Environment): BuildResult {
  const tree = validateConfigTree(document);
  const errors = tree.ok ? [] : [...tree.errors];
  const givenUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(givenUrl))
    errors.push(`REDIS_URL: expected a URL like "redis://host:6379", got "${givenUrl}"`);
  const redisUrl = errors.length ? givenUrl : withRedisCredentials(givenUrl, env, errors);
  const redisConnection = redisConnectionFromEnv(env, errors);
  if (errors.length || !tree.ok) return { ok: false, errors };

  const v = tree.value;
  const config: Config = {
    ...v,
    slack: {
      ...v.slack,
      botToken: env.SLACK_BOT_TOKEN || undefined,
      appToken: env.SLACK_APP_TOKEN || undefined,
      signingSecret: env.SLACK_SIGNING_SECRET || undefined,
    },
    redis: { ...v.redis, prefix: hashTagged(v.redis.prefix), url: redisUrl, ...redisConnection },
    approvals: { ...v.approvals, signingKey: env.DEBUGDEAD_SIGNING_KEY || undefined },
    // KUBECONFIG is not copied here: it may be a list (a:b), which client-node's default loading merges.
  };
  return { ok: true, config };
}

/** `name` → `{name}`: Redis Cluster hashes only what is inside the braces, so every key of ours shares one slot. */
function hashTagged(prefix: string): string {
  return prefix.startsWith('{') ? prefix : `{${prefix}}`;
}

/**
 * REDIS_PASSWORD (and REDIS_USERNAME, for an ACL user) go into the URL, so a Kubernetes Secret can hold the password
 * alone and REDIS_URL stays a plain address. They win over credentials written in REDIS_URL.
 */
function withRedisCredentials(url: string, env: Environment, errors: string[]): string {
  if (!env.REDIS_PASSWORD && !env.REDIS_USERNAME) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    errors.push('REDIS_URL: not a valid URL');
    return url;
  }
  // The WHATWG setters percent-encode what userinfo cannot hold (@, :, /); ioredis decodes it again.
  if (env.REDIS_USERNAME) parsed.username = env.REDIS_USERNAME;
  if (env.REDIS_PASSWORD) parsed.password = env.REDIS_PASSWORD;
  return parsed.toString();
}

/** The secrets the bot itself needs (the CLI's diagnose does not): every missing one, named, at once. */
export function missingSlackSecrets(config: Config): string[] {
  const missing: string[] = [];
  const { botToken, appToken, signingSecret, mode } = config.slack;
  if (!botToken) missing.push('SLACK_BOT_TOKEN: required (the bot token, xoxb-…)');
  else if (!botToken.startsWith('xoxb-')) missing.push('SLACK_BOT_TOKEN: expected a bot token starting with "xoxb-"');
  if (mode === 'socket') {
    if (!appToken)
      missing.push('SLACK_APP_TOKEN: required in Socket Mode (an app-level token, xapp-…, with connections:write)');
    else if (!appToken.startsWith('xapp-'))
      missing.push('SLACK_APP_TOKEN: expected an app-level token starting with "xapp-"');
  }
  if (mode === 'http' && !signingSecret) missing.push('SLACK_SIGNING_SECRET: required in HTTP mode');
  const key = config.approvals.signingKey;
  if (!key)
    missing.push(
      'DEBUGDEAD_SIGNING_KEY: required (at least 32 random characters, e.g. `openssl rand -hex 32`): it signs approvals so that Redis alone cannot forge one',
    );
  else if (key.length < 32) missing.push('DEBUGDEAD_SIGNING_KEY: expected at least 32 characters');
  return missing;
}
