import { z } from 'zod';
import { type ClustersToCheck, checkClusters } from './check-clusters.js';
import { formatDuration } from './parse-duration.js';
import {
  bool,
  duration,
  int,
  list,
  oneOf,
  optionalBool,
  optionalText,
  requiredText,
  section,
  size,
  strings,
  text,
} from './schema-fields.js';

/**
 * Every key debugdead.yaml accepts, with its type and default: the `Config` type is inferred from it (types.ts).
 * One `section` per top-level key, in the order debugdead.example.yaml documents them. Durations are written
 * `cooldown: 30m` and read as `cooldownSeconds`. Each field words its own error (schema-fields.ts).
 */

const SLACK_CHANNEL = /^(?:[CGD][A-Z0-9]{2,}|#[^\s#,<>@|]{1,80})$/u;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_GROUP = /^S[A-Z0-9]{2,}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_GLOB = /^[a-z0-9*?]([-a-z0-9*?]{0,61}[a-z0-9*?])?$/;

/** A channel id, or a `#name` the bot resolves to its id once at start (conversations.list). */
const CHANNEL = {
  pattern: SLACK_CHANNEL,
  expected: 'a Slack channel id like "C0123ABCD" or a name like "#incidents"',
};
const NAMESPACE = { pattern: DNS_LABEL, expected: 'a namespace name' };
const namespaceGlobs = (def: string[]) =>
  strings(def, { pattern: NAMESPACE_GLOB, expected: 'a namespace name or glob like "prod-*"' });

/** Who may approve: Slack user ids (U…) and user-group ids (S…). */
const approverSet = () =>
  section({
    users: strings([], { pattern: SLACK_USER, expected: 'a Slack user id like "U0123ABCD"' }),
    groups: strings([], { pattern: SLACK_GROUP, expected: 'a Slack user-group id like "S0123ABCD"' }),
    /**
     * Anyone who can see the message may approve. Approval fails closed: with no users, no groups and no `anyone`,
     * nobody may approve. Meant for sandboxes. @defaultValue false (absent)
     */
    anyone: optionalBool(),
  });

/** An approver set that may be left out: absent (or empty in YAML, `approvers:`) stays absent. */
const optionalApproverSet = () => z.preprocess((v) => (v === null ? undefined : v), approverSet().optional());

export const CONFIG_SCHEMA = z
  .strictObject(
    {
      cluster: section({
        /** Shown in messages and audit records. @defaultValue "default" */
        name: text({ default: 'default' }),
      }),
      slack: section({
        /** socket: Socket Mode (no public endpoint); http: signed requests to `port`. @defaultValue "socket" */
        mode: oneOf(['socket', 'http'], 'socket'),
        /** HTTP mode listen port. @defaultValue 3000 */
        port: int(3000, 1, 65535),
        /** The slash command name. @defaultValue "/debugdead" */
        command: text({
          default: '/debugdead',
          pattern: /^\/[a-z0-9_-]{1,31}$/,
          expected: 'a slash command like "/debugdead"',
        }),
        /** Web API base URL; only changed to point at a simulator. @defaultValue "https://slack.com/api/" */
        apiUrl: text({
          default: 'https://slack.com/api/',
          pattern: /^https?:\/\/\S+\/$/,
          expected: 'a URL ending in "/"',
        }),
      }),
      redis: section({
        /**
         * Prefix of every key and queue, so several bots can share one Redis. Always a hash tag (`{name}`; a bare name
         * is wrapped by buildConfig), so that every key lands in one Redis Cluster slot. @defaultValue "{debugdead}"
         */
        prefix: text({
          default: '{debugdead}',
          pattern: /^(?:[A-Za-z0-9_-]{1,64}|\{[A-Za-z0-9_-]{1,64}\})$/,
          expected: 'letters, digits, "-" or "_" (no ":"), bare or as a hash tag like "{debugdead}"',
        }),
      }),
      kubernetes: section({
        /** Kubeconfig path; when unset, KUBECONFIG (one file or a list), ~/.kube/config, then in-cluster. */
        kubeconfig: optionalText(),
        context: optionalText(),
        /** Namespace of `/debugdead <pod>` when none is given. @defaultValue "default" */
        defaultNamespace: text({ default: 'default', ...NAMESPACE }),
        /** Timeout of each API call (requestTimeoutSeconds). @defaultValue 10 */
        requestTimeout: duration(10, { min: 1 }),
      }),
      namespaces: section({
        /** Glob patterns the bot may act in; empty means all. @defaultValue ["*"] */
        allow: namespaceGlobs(['*']),
        /** Glob patterns it must never touch; deny wins over allow. @defaultValue ["kube-system"] */
        deny: namespaceGlobs(['kube-system']),
      }),
      /** Who may approve debug clones. Empty means nobody (set `anyone: true` to open it, in sandboxes only). */
      approvers: approverSet(),
      /**
       * Which channels may diagnose which namespaces. Empty: every channel the bot can post in (a member, or any public
       * channel when the app holds chat:write.public), for every allowed namespace. @defaultValue []
       */
      bindings: list(
        section({
          /** Slack channel ids (C…, G…, D…). */
          channels: strings([], CHANNEL),
          /** Glob patterns (`prod-*`) matched against the namespace asked about; namespaces.allow/deny still apply. */
          namespaces: namespaceGlobs([]),
          /**
           * Many clusters: the channels' default cluster (a command without `@cluster` goes there; `@other` still
           * reaches another). The namespaces hold in every cluster. Unset: no default.
           */
          cluster: optionalText({ pattern: DNS_LABEL, expected: 'a cluster name from clusters[]' }),
        }),
      ),
      /**
       * Many clusters, one Slack app (README "Many clusters"): a gateway (DEBUGDEAD_ROLE=gateway) and one agent per
       * cluster (DEBUGDEAD_ROLE=agent, DEBUGDEAD_CLUSTER=<name>). Each cluster's policy is the global one with these
       * overrides: an empty list, an empty approver set or a limit of 0 inherits the global value. Empty: one
       * cluster, one process. @defaultValue []
       */
      clusters: list(
        section({
          /** An RFC 1123 label: `@name` in commands, and part of its Redis keys and queue names. */
          name: requiredText({ pattern: DNS_LABEL, expected: 'a cluster name like "prod-eu" (an RFC 1123 label)' }),
          /** The kubeconfig context people use for it, put in exec lines (`kubectl --context <it> exec …`). @defaultValue name */
          kubectlContext: optionalText({ pattern: /^[^\s`]{1,253}$/, expected: 'a kubeconfig context name' }),
          /** allow replaces the global list when set; deny adds to the global one. */
          namespaces: section({ allow: namespaceGlobs([]), deny: namespaceGlobs([]) }),
          approvers: approverSet(),
          nodeShellApprovers: approverSet(),
          limits: section({
            activePerUser: int(0, 0, 10_000),
            activePerNamespace: int(0, 0, 100_000),
            activeCluster: int(0, 0, 1_000_000),
            createdPerUserPerHour: int(0, 0, 100_000),
          }),
          /** Where this cluster's alerts go: channel replaces alerts.channel; routes come before the global ones. */
          alerts: section({
            channel: optionalText(CHANNEL),
            routes: list(section({ namespaces: namespaceGlobs([]), channel: requiredText(CHANNEL) })),
          }),
        }),
      ),
      diagnoses: section({
        /** Diagnoses run at once; later commands wait in line and are told how many are ahead. @defaultValue 20 */
        maxInFlight: int(20, 1, 1000),
      }),
      /** Caps on debug pods, counted in Redis so they hold across replicas. */
      limits: section({
        /** Debug pods one requester may have at once. @defaultValue 3 */
        activePerUser: int(3, 1, 10_000),
        /** Debug pods at once in one namespace (node shells count in nodeShell.namespace). @defaultValue 10 */
        activePerNamespace: int(10, 1, 100_000),
        /** Debug pods at once in the cluster. @defaultValue 25 */
        activeCluster: int(25, 1, 1_000_000),
        /** Debug pods one requester may have created in the last hour. @defaultValue 10 */
        createdPerUserPerHour: int(10, 1, 100_000),
      }),
      debugClone: section({
        /** A static busybox image copied into clones of images with no shell. @defaultValue "busybox:1.37-musl" */
        helperImage: text({ default: 'busybox:1.37-musl' }),
        /** @defaultValue 3600 (1h) */
        defaultTtl: duration(3600, { min: 60 }),
        /** Also the clone's activeDeadlineSeconds. @defaultValue 14400 (4h) */
        maxTtl: duration(14400, { min: 60 }),
        /** Mount PVCs read-only instead of swapping them for emptyDir. @defaultValue false */
        keepClaims: bool(false),
        /**
         * ServiceAccounts (`namespace/name`, globs) whose clones count as privileged: node-shell approvers and the
         * two-person rule. @defaultValue []
         */
        sensitiveServiceAccounts: strings([], {
          pattern: /^[a-z0-9*?][-a-z0-9.*?]*\/[a-z0-9*?][-a-z0-9.*?]*$/,
          expected: 'a "namespace/name" ServiceAccount, globs allowed, like "*/admin"',
        }),
      }),
      /** Links shown with the verdict, by finding kind, namespace or label; every matching rule shows. @defaultValue [] */
      /** Muting a workload's alerts from the menu on its messages (README "Muting a workload"). */
      mute: section({
        /**
         * Who may mute and unmute, among the people in a channel bound to the pod's namespace: a set here narrows it
         * (users, groups, or `anyone: true` to say the default out loud). Unmute is also open to whoever muted. A set
         * naming nobody is refused (leave the key out for the default). @defaultValue absent: anyone in a bound channel
         */
        approvers: optionalApproverSet(),
      }),
      runbooks: list(
        section({
          /** Every key given must match. */
          match: section({
            /** A finding kind of the diagnosis (`OOMKilled`, `ImagePull`, `ProbeFailure`…). */
            kind: optionalText({ pattern: /^[A-Za-z]{1,63}$/, expected: 'a finding kind like "OOMKilled"' }),
            /** A namespace name or glob (`prod-*`). */
            namespace: optionalText({ pattern: NAMESPACE_GLOB, expected: 'a namespace name or glob like "prod-*"' }),
            /** A pod label, `key=value`. */
            label: optionalText({
              pattern: /^[A-Za-z0-9./_-]{1,316}=[A-Za-z0-9._-]{0,63}$/,
              expected: 'a pod label as key=value, like "team=payments"',
            }),
          }),
          // Shown as a Slack link `<url|title>`: no spaces, `|` or `>` that would end it early.
          url: requiredText({ pattern: /^https?:\/\/[^\s|<>]{1,2000}$/, expected: 'an http(s) URL' }),
          /** The link's text. @defaultValue the URL */
          title: optionalText({ pattern: /^[^\n<>|]{1,100}$/, expected: 'up to 100 characters on one line' }),
        }),
      ),
      /** "Attach debug container": an ephemeral container joining a running pod (README "Debug containers"). */
      debugContainer: section({
        /** @defaultValue true */
        enabled: bool(true),
        /** The images it may use; the first is the one attached. @defaultValue ["busybox:1.37-musl"] */
        images: strings(['busybox:1.37-musl'], { pattern: /^\S+$/, expected: 'an image reference' }),
        /** A kubectl debug profile; netadmin and sysadmin are node-shell class. @defaultValue "general" */
        profile: oneOf(['general', 'baseline', 'restricted', 'netadmin', 'sysadmin'], 'general'),
        /** The container runs `sleep` for this long, then ends by itself (ttlSeconds). @defaultValue 3600 (1h) */
        ttl: duration(3600, { min: 60 }),
      }),
      nodeShell: section({
        /** @defaultValue true */
        enabled: bool(true),
        /** The stricter set that may approve node shells. */
        approvers: approverSet(),
        /** A node shell needs an approver other than the requester. @defaultValue true */
        twoPersonRule: bool(true),
        /**
         * Its own namespace, labelled pod-security.kubernetes.io/enforce=privileged (deploy/base/namespaces.yaml); the
         * bot's namespace is "restricted". @defaultValue "debugdead-nodeshell"
         */
        namespace: text({ default: 'debugdead-nodeshell', ...NAMESPACE }),
        /** A small pinned image with nsenter. @defaultValue "busybox:1.37-musl" */
        image: text({ default: 'busybox:1.37-musl' }),
        /** @defaultValue 900 (15m) */
        defaultTtl: duration(900, { min: 60 }),
        /** @defaultValue 3600 (1h) */
        maxTtl: duration(3600, { min: 60 }),
        /** Mount the host's / read-only at /host. @defaultValue true */
        mountHostRoot: bool(true),
      }),
      logs: section({
        /** Lines of each log fetched. @defaultValue 200 */
        tailLines: int(200, 1, 100_000),
        /** Bytes of each log fetched. @defaultValue 262144 (256KiB) */
        limitBytes: size(262_144),
        /** Lines shown inline when a log is uploaded as a file. @defaultValue 20 */
        inlineLines: int(20, 1, 200),
      }),
      alerts: section({
        /** @defaultValue false */
        enabled: bool(false),
        /** Default alert channel id (required when enabled). */
        channel: optionalText(CHANNEL),
        /** Per-namespace overrides; the first matching route wins. @defaultValue [] */
        routes: list(
          section({
            /** Glob patterns (`prod-*`) matched against the pod's namespace. */
            namespaces: namespaceGlobs([]),
            channel: requiredText(CHANNEL),
          }),
        ),
        /** Waiting/terminated reasons that alert. @defaultValue ["CrashLoopBackOff"] */
        reasons: strings(['CrashLoopBackOff'], {
          pattern:
            /^(CrashLoopBackOff|OOMKilled|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|RunContainerError)$/,
          expected:
            'one of CrashLoopBackOff, OOMKilled, ImagePullBackOff, ErrImagePull, CreateContainerConfigError, RunContainerError',
        }),
        /** Restarts before a pod alerts. @defaultValue 3 */
        restartThreshold: int(3, 0, 10_000),
        /** One alert per workload per cooldown (cooldownSeconds). @defaultValue 1800 (30m) */
        cooldown: duration(1800, { min: 1 }),
        /** Only watch pods matching this label selector. @defaultValue "" */
        labelSelector: text({ default: '', allowEmpty: true }),
        /** Past this many failing workloads at once, one summary message instead. @defaultValue 25 */
        maxWorkloadsPerBurst: int(25, 1, 1000),
        /** Namespace of the Lease that elects one alert watcher among replicas. @defaultValue "debugdead-system" */
        leaseNamespace: text({ default: 'debugdead-system', ...NAMESPACE }),
        /** A watcher that stops renewing is replaced after this long (leaseDurationSeconds). @defaultValue 15 */
        leaseDuration: duration(15, { min: 2 }),
      }),
      audit: section({
        /** Mirror audit records to this channel. */
        channel: optionalText(CHANNEL),
        /** Records kept in the Redis stream; older ones are trimmed behind an `audit.trimmed` record. @defaultValue 100000 */
        maxRecords: int(100_000, 100, 100_000_000),
        /** Audit log file; stdout when unset. */
        file: optionalText(),
        /** Publish the chain head (to `channel` and the audit log) every this many records. @defaultValue 1000 */
        anchorEvery: int(1000, 1, 1_000_000),
        /** ...and at least this often while records are written (anchorIntervalSeconds). @defaultValue 3600 (1h) */
        anchorInterval: duration(3600, { min: 60 }),
        /** Records held in memory for the chain while Redis is away (all are in the audit log at once). @defaultValue 10000 */
        spoolMax: int(10_000, 100, 1_000_000),
        /** Who may list the audit trail. Empty: the clone and node-shell approvers. */
        viewers: approverSet(),
      }),
      approvals: section({
        /** How long a diagnosis' buttons stay valid (requestTtlSeconds). @defaultValue 86400 (24h) */
        requestTtl: duration(86400, { min: 60 }),
        /** How long user-group membership is cached (groupCacheSeconds). @defaultValue 60 */
        groupCache: duration(60),
        /** How long a signed grant lets the worker create its pod (grantTtlSeconds). @defaultValue 600 (10m) */
        grantTtl: duration(600, { min: 60 }),
      }),
      log: section({
        /** Application log level (the audit log ignores it). @defaultValue "info" */
        level: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
      }),
      health: section({
        /** Port of /healthz, /readyz and /metrics (its own, so Slack's HTTP port never exposes them); 0: off. @defaultValue 8080 */
        port: int(8080, 0, 65535),
      }),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? undefined : `expected a mapping of keys, got ${describeTop(issue.input)}`,
    },
  )
  .superRefine(crossCheck);

function describeTop(v: unknown): string {
  return Array.isArray(v) ? 'a list' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Rules across keys, each naming the key to change. */
interface CrossChecked extends ClustersToCheck {
  runbooks: { match: { kind?: string | undefined; namespace?: string | undefined; label?: string | undefined } }[];
  debugContainer: { enabled: boolean; images: string[] };
  debugClone: { defaultTtlSeconds: number; maxTtlSeconds: number };
  nodeShell: { defaultTtlSeconds: number; maxTtlSeconds: number };
  alerts: { enabled: boolean; channel?: string | undefined; routes: { namespaces: string[] }[] };
  bindings: { channels: string[]; namespaces: string[]; cluster?: string | undefined }[];
  mute: { approvers?: { users: string[]; groups: string[]; anyone?: boolean | undefined } | undefined };
}

function crossCheck(v: CrossChecked, ctx: z.RefinementCtx): void {
  const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  for (const name of ['debugClone', 'nodeShell'] as const) {
    const s = v[name];
    if (s.defaultTtlSeconds > s.maxTtlSeconds) {
      fail(
        [name, 'defaultTtl'],
        `must not exceed ${name}.maxTtl (${formatDuration(s.maxTtlSeconds)}), got ${formatDuration(s.defaultTtlSeconds)}`,
      );
    }
  }
  if (v.debugContainer.enabled && v.debugContainer.images.length === 0) {
    fail(['debugContainer', 'images'], 'expected at least one image when debugContainer.enabled is true');
  }
  checkClusters(v, fail);
  v.runbooks.forEach((runbook, i) => {
    const { kind, namespace, label } = runbook.match;
    if (kind === undefined && namespace === undefined && label === undefined)
      fail(['runbooks', i, 'match'], 'expected kind, namespace or label');
  });
  if (v.alerts.enabled && v.alerts.channel === undefined) {
    fail(['alerts', 'channel'], 'required when alerts.enabled is true');
  }
  v.bindings.forEach((binding, i) => {
    for (const key of ['channels', 'namespaces'] as const) {
      if (binding[key].length === 0) fail(['bindings', i, key], 'expected at least one');
    }
  });
  const muters = v.mute.approvers;
  if (muters && muters.anyone !== true && muters.users.length === 0 && muters.groups.length === 0) {
    // Fails closed at start rather than at the first click: a set naming nobody would let nobody mute.
    fail(
      ['mute', 'approvers'],
      'expected users, groups or anyone: true; leave mute.approvers out to let anyone in a bound channel mute',
    );
  }
  v.alerts.routes.forEach((route, i) => {
    if (route.namespaces.length === 0) {
      fail(['alerts', 'routes', i, 'namespaces'], 'expected at least one namespace or glob');
    }
  });
}
