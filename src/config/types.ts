import type { FileConfig } from './validate-config.js';

/** One Redis address, `host:port`. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * The whole, validated configuration: what debugdead.yaml holds (its type inferred from CONFIG_SCHEMA, schema.ts,
 * where every key is documented) merged with what only the environment gives (secrets and the Redis address).
 */
export type Config = Omit<FileConfig, 'slack' | 'redis' | 'approvals'> & {
  slack: FileConfig['slack'] & {
    /** From SLACK_BOT_TOKEN. */
    botToken?: string;
    /** From SLACK_APP_TOKEN (Socket Mode only). */
    appToken?: string;
    /** From SLACK_SIGNING_SECRET (HTTP mode only). */
    signingSecret?: string;
  };
  redis: FileConfig['redis'] & {
    /** From REDIS_URL, with REDIS_USERNAME / REDIS_PASSWORD when set. @defaultValue "redis://127.0.0.1:6379" */
    url: string;
    /** From REDIS_CLUSTER_NODES: seed nodes of a Redis Cluster; REDIS_URL is then not used. */
    cluster?: { nodes: RedisNode[] };
    /** From REDIS_SENTINELS and REDIS_SENTINEL_NAME: the master is found through Sentinel; REDIS_URL is not used. */
    sentinel?: { name: string; sentinels: RedisNode[]; password?: string };
    /** From REDIS_USERNAME (an ACL user), for every node of a cluster or Sentinel set-up. */
    username?: string;
    /** From REDIS_PASSWORD, for every node of a cluster or Sentinel set-up. */
    password?: string;
  };
  approvals: FileConfig['approvals'] & {
    /** From DEBUGDEAD_SIGNING_KEY: the HMAC key that signs granted actions. Never stored in Redis. */
    signingKey?: string;
  };
};

/** Who may approve: Slack user ids (U…) and user-group ids (S…), or `anyone` (sandboxes). */
export type ApproverSet = Config['approvers'];
/** Caps on debug pods, counted in Redis so they hold across replicas. */
export type Limits = Config['limits'];
/** Sends alerts for matching namespaces to a channel other than the default. */
export type AlertRoute = Config['alerts']['routes'][number];
/** Lets the listed channels diagnose pods in the listed namespaces. */
export type ChannelBinding = Config['bindings'][number];
/** One cluster of a many-cluster install (README "Many clusters"): its name, context and policy overrides. */
export type ClusterSpec = Config['clusters'][number];
/** A runbook link shown with the verdict when its rule matches (every key given must match). */
export type Runbook = Config['runbooks'][number];
