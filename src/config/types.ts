/** Who may approve: Slack user ids (U…) and user-group ids (S…). */
export interface ApproverSet {
  users: string[];
  groups: string[];
  /**
   * Anyone who can see the message may approve. Approval fails closed: with no users, no groups and no `anyone`,
   * nobody may approve. Meant for sandboxes. @defaultValue false
   */
  anyone?: boolean;
}

/** Caps on debug pods, counted in Redis so they hold across replicas. */
export interface Limits {
  /** Debug pods one requester may have at once. @defaultValue 3 */
  activePerUser: number;
  /** Debug pods at once in one namespace (node shells count in nodeShell.namespace). @defaultValue 10 */
  activePerNamespace: number;
  /** Debug pods at once in the cluster. @defaultValue 25 */
  activeCluster: number;
  /** Debug pods one requester may have created in the last hour. @defaultValue 10 */
  createdPerUserPerHour: number;
}

/** A runbook link shown with the verdict when its rule matches (every key given must match). */
export interface Runbook {
  match: {
    /** A finding kind of the diagnosis (`OOMKilled`, `ImagePull`, `ProbeFailure`…). */
    kind?: string;
    /** A namespace name or glob (`prod-*`). */
    namespace?: string;
    /** A pod label, `key=value`. */
    label?: string;
  };
  url: string;
  /** The link's text. @defaultValue the URL */
  title?: string;
}

/** Sends alerts for matching namespaces to a channel other than the default. */
export interface AlertRoute {
  /** Glob patterns (`prod-*`) matched against the pod's namespace. */
  namespaces: string[];
  channel: string;
}

/** Lets the listed channels diagnose pods in the listed namespaces. */
export interface ChannelBinding {
  /** Slack channel ids (C…, G…, D…). */
  channels: string[];
  /** Glob patterns (`prod-*`) matched against the namespace asked about; namespaces.allow/deny still apply. */
  namespaces: string[];
}

/** The whole, validated configuration: YAML file merged with secrets from the environment. */
export interface Config {
  cluster: {
    /** Shown in messages and audit records. @defaultValue "default" */
    name: string;
  };
  slack: {
    /** socket: Socket Mode (no public endpoint); http: signed requests to `port`. @defaultValue "socket" */
    mode: 'socket' | 'http';
    /** HTTP mode listen port. @defaultValue 3000 */
    port: number;
    /** The slash command name. @defaultValue "/debugdead" */
    command: string;
    /** Web API base URL; only changed to point at a simulator. @defaultValue "https://slack.com/api/" */
    apiUrl: string;
    /** From SLACK_BOT_TOKEN. */
    botToken?: string;
    /** From SLACK_APP_TOKEN (Socket Mode only). */
    appToken?: string;
    /** From SLACK_SIGNING_SECRET (HTTP mode only). */
    signingSecret?: string;
  };
  redis: {
    /** From REDIS_URL, with REDIS_USERNAME / REDIS_PASSWORD when set. @defaultValue "redis://127.0.0.1:6379" */
    url: string;
    /** Prefix of every key and queue, so several bots can share one Redis. @defaultValue "debugdead" */
    prefix: string;
  };
  kubernetes: {
    /** Kubeconfig path; when unset, KUBECONFIG (one file or a list), ~/.kube/config, then in-cluster. */
    kubeconfig?: string;
    context?: string;
    /** Namespace of `/debugdead <pod>` when none is given. @defaultValue "default" */
    defaultNamespace: string;
    /** Timeout of each API call, seconds. @defaultValue 10 */
    requestTimeoutSeconds: number;
  };
  namespaces: {
    /** Glob patterns the bot may act in; empty means all. @defaultValue ["*"] */
    allow: string[];
    /** Glob patterns it must never touch; deny wins over allow. @defaultValue ["kube-system"] */
    deny: string[];
  };
  /** Who may approve debug clones. Empty means nobody (set `anyone: true` to open it, in sandboxes only). */
  approvers: ApproverSet;
  /**
   * Which channels may diagnose which namespaces. Empty: every channel the bot can post in (a member, or any public
   * channel when the app holds chat:write.public), for every allowed namespace. @defaultValue []
   */
  bindings: ChannelBinding[];
  diagnoses: {
    /** Diagnoses run at once; later commands wait in line and are told how many are ahead. @defaultValue 20 */
    maxInFlight: number;
  };
  /** Caps on debug pods per user, namespace and cluster. */
  limits: Limits;
  debugClone: {
    /** A static busybox image copied into clones of images with no shell. @defaultValue "busybox:1.37-musl" */
    helperImage: string;
    /** @defaultValue 3600 (1h) */
    defaultTtlSeconds: number;
    /** Also the clone's activeDeadlineSeconds. @defaultValue 14400 (4h) */
    maxTtlSeconds: number;
    /** Mount PVCs read-only instead of swapping them for emptyDir. @defaultValue false */
    keepClaims: boolean;
    /**
     * ServiceAccounts (`namespace/name`, globs) whose clones count as privileged: node-shell approvers and the
     * two-person rule. @defaultValue []
     */
    sensitiveServiceAccounts?: string[];
  };
  nodeShell: {
    /** @defaultValue true */
    enabled: boolean;
    /** The stricter set that may approve node shells. */
    approvers: ApproverSet;
    /** A node shell needs an approver other than the requester. @defaultValue true */
    twoPersonRule: boolean;
    /** Its own namespace, labelled pod-security.kubernetes.io/enforce=privileged (deploy/base/namespaces.yaml); the bot's
     * namespace is "restricted". @defaultValue "debugdead-nodeshell" */
    namespace: string;
    /** A small pinned image with nsenter. @defaultValue "busybox:1.37-musl" */
    image: string;
    /** @defaultValue 900 (15m) */
    defaultTtlSeconds: number;
    /** @defaultValue 3600 (1h) */
    maxTtlSeconds: number;
    /** Mount the host's / read-only at /host. @defaultValue true */
    mountHostRoot: boolean;
  };
  logs: {
    /** Lines of each log fetched. @defaultValue 200 */
    tailLines: number;
    /** Bytes of each log fetched. @defaultValue 262144 (256KiB) */
    limitBytes: number;
    /** Lines shown inline when a log is uploaded as a file. @defaultValue 20 */
    inlineLines: number;
  };
  alerts: {
    /** @defaultValue false */
    enabled: boolean;
    /** Default alert channel id (required when enabled). */
    channel?: string;
    /** Per-namespace overrides; the first matching route wins. @defaultValue [] */
    routes: AlertRoute[];
    /** Waiting/terminated reasons that alert. @defaultValue ["CrashLoopBackOff"] */
    reasons: string[];
    /** Restarts before a pod alerts. @defaultValue 3 */
    restartThreshold: number;
    /** One alert per workload per cooldown, seconds. @defaultValue 1800 (30m) */
    cooldownSeconds: number;
    /** Only watch pods matching this label selector. @defaultValue "" */
    labelSelector: string;
    /** Past this many failing workloads at once, one summary message instead. @defaultValue 25 */
    maxWorkloadsPerBurst: number;
    /** Namespace of the Lease that elects one alert watcher among replicas. @defaultValue "debugdead-system" */
    leaseNamespace?: string;
    /** A watcher that stops renewing is replaced after this long, seconds. @defaultValue 15 */
    leaseDurationSeconds?: number;
  };
  audit: {
    /** Mirror audit records to this channel. */
    channel?: string;
    /** Records kept in the Redis stream; older ones are trimmed behind an `audit.trimmed` record. @defaultValue 100000 */
    maxRecords: number;
    /** Audit log file; stdout when unset. */
    file?: string;
    /** Publish the chain head (to `channel` and the audit log) every this many records. @defaultValue 1000 */
    anchorEvery: number;
    /** ...and at least this often while records are written, seconds. @defaultValue 3600 (1h) */
    anchorIntervalSeconds: number;
    /** Records held in memory for the chain while Redis is away (all are in the audit log at once). @defaultValue 10000 */
    spoolMax: number;
    /** Who may list the audit trail. Empty: the clone and node-shell approvers. */
    viewers?: ApproverSet;
  };
  approvals: {
    /** How long a diagnosis' buttons stay valid, seconds. @defaultValue 86400 (24h) */
    requestTtlSeconds: number;
    /** How long user-group membership is cached, seconds. @defaultValue 60 */
    groupCacheSeconds: number;
    /** How long a signed grant lets the worker create its pod, seconds. @defaultValue 600 (10m) */
    grantTtlSeconds?: number;
    /** From DEBUGDEAD_SIGNING_KEY: the HMAC key that signs granted actions. Never stored in Redis. */
    signingKey?: string;
  };
  log: {
    /** Application log level (the audit log ignores it). @defaultValue "info" */
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  };
  /** Links shown with the verdict, by finding kind, namespace or label; every matching rule shows. @defaultValue [] */
  runbooks: Runbook[];
  health: {
    /** Port of /healthz, /readyz and /metrics (its own, so Slack's HTTP port never exposes them); 0: off. @defaultValue 8080 */
    port: number;
  };
}
