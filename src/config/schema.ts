/**
 * A small declarative schema: each YAML key, its type, its default and (for durations) the Config field it fills.
 * Hand-written rather than a schema library because every error must read `key.path: expected …, got …` and
 * durations/sizes need their own words; the walker is ~100 lines (validate-config.ts).
 */
export type FieldSpec =
  | { type: 'string'; default?: string; pattern?: RegExp; expected?: string; allowEmpty?: boolean }
  | { type: 'int'; default: number; min: number; max: number }
  | { type: 'bool'; default: boolean }
  | { type: 'duration'; default: number; to: string; min?: number }
  | { type: 'size'; default: number }
  | { type: 'enum'; default: string; values: readonly string[] }
  | { type: 'strings'; default: string[]; pattern?: RegExp; expected?: string }
  | { type: 'list'; default: unknown[]; of: ObjectSpec }
  | ObjectSpec;

export interface ObjectSpec {
  type: 'object';
  fields: Record<string, FieldSpec>;
}

const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_GROUP = /^S[A-Z0-9]{2,}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_GLOB = /^[a-z0-9*?]([-a-z0-9*?]{0,61}[a-z0-9*?])?$/;

const channel = (): FieldSpec => ({
  type: 'string',
  pattern: SLACK_CHANNEL,
  expected: 'a Slack channel id like "C0123ABCD"',
});
const approverSet = (): ObjectSpec => ({
  type: 'object',
  fields: {
    users: { type: 'strings', default: [], pattern: SLACK_USER, expected: 'a Slack user id like "U0123ABCD"' },
    groups: { type: 'strings', default: [], pattern: SLACK_GROUP, expected: 'a Slack user-group id like "S0123ABCD"' },
    anyone: { type: 'bool', default: false },
  },
});
const namespaceGlobs = (def: string[]): FieldSpec => ({
  type: 'strings',
  default: def,
  pattern: NAMESPACE_GLOB,
  expected: 'a namespace name or glob like "prod-*"',
});

/** Every key debugdead.yaml accepts. debugdead.example.yaml documents the same keys, in the same order. */
export const CONFIG_SCHEMA: ObjectSpec = {
  type: 'object',
  fields: {
    cluster: { type: 'object', fields: { name: { type: 'string', default: 'default' } } },
    slack: {
      type: 'object',
      fields: {
        mode: { type: 'enum', default: 'socket', values: ['socket', 'http'] },
        port: { type: 'int', default: 3000, min: 1, max: 65535 },
        command: {
          type: 'string',
          default: '/debugdead',
          pattern: /^\/[a-z0-9_-]{1,31}$/,
          expected: 'a slash command like "/debugdead"',
        },
        apiUrl: {
          type: 'string',
          default: 'https://slack.com/api/',
          pattern: /^https?:\/\/\S+\/$/,
          expected: 'a URL ending in "/"',
        },
      },
    },
    redis: {
      type: 'object',
      fields: {
        prefix: {
          type: 'string',
          default: 'debugdead',
          pattern: /^[A-Za-z0-9_-]{1,64}$/,
          expected: 'letters, digits, "-" or "_" (no ":")',
        },
      },
    },
    kubernetes: {
      type: 'object',
      fields: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        defaultNamespace: { type: 'string', default: 'default', pattern: DNS_LABEL, expected: 'a namespace name' },
        requestTimeout: { type: 'duration', default: 10, to: 'requestTimeoutSeconds', min: 1 },
      },
    },
    namespaces: {
      type: 'object',
      fields: { allow: namespaceGlobs(['*']), deny: namespaceGlobs(['kube-system']) },
    },
    approvers: approverSet(),
    bindings: {
      type: 'list',
      default: [],
      of: {
        type: 'object',
        fields: {
          channels: {
            type: 'strings',
            default: [],
            pattern: SLACK_CHANNEL,
            expected: 'a Slack channel id like "C0123ABCD"',
          },
          namespaces: namespaceGlobs([]),
        },
      },
    },
    diagnoses: {
      type: 'object',
      fields: { maxInFlight: { type: 'int', default: 20, min: 1, max: 1000 } },
    },
    limits: {
      type: 'object',
      fields: {
        activePerUser: { type: 'int', default: 3, min: 1, max: 10_000 },
        activePerNamespace: { type: 'int', default: 10, min: 1, max: 100_000 },
        activeCluster: { type: 'int', default: 25, min: 1, max: 1_000_000 },
        createdPerUserPerHour: { type: 'int', default: 10, min: 1, max: 100_000 },
      },
    },
    debugClone: {
      type: 'object',
      fields: {
        helperImage: { type: 'string', default: 'busybox:1.37-musl' },
        defaultTtl: { type: 'duration', default: 3600, to: 'defaultTtlSeconds', min: 60 },
        maxTtl: { type: 'duration', default: 14400, to: 'maxTtlSeconds', min: 60 },
        keepClaims: { type: 'bool', default: false },
        sensitiveServiceAccounts: {
          type: 'strings',
          default: [],
          pattern: /^[a-z0-9*?][-a-z0-9.*?]*\/[a-z0-9*?][-a-z0-9.*?]*$/,
          expected: 'a "namespace/name" ServiceAccount, globs allowed, like "*/admin"',
        },
      },
    },
    nodeShell: {
      type: 'object',
      fields: {
        enabled: { type: 'bool', default: true },
        approvers: approverSet(),
        twoPersonRule: { type: 'bool', default: true },
        namespace: { type: 'string', default: 'debugdead-nodeshell', pattern: DNS_LABEL, expected: 'a namespace name' },
        image: { type: 'string', default: 'busybox:1.37-musl' },
        defaultTtl: { type: 'duration', default: 900, to: 'defaultTtlSeconds', min: 60 },
        maxTtl: { type: 'duration', default: 3600, to: 'maxTtlSeconds', min: 60 },
        mountHostRoot: { type: 'bool', default: true },
      },
    },
    logs: {
      type: 'object',
      fields: {
        tailLines: { type: 'int', default: 200, min: 1, max: 100_000 },
        limitBytes: { type: 'size', default: 262_144 },
        inlineLines: { type: 'int', default: 20, min: 1, max: 200 },
      },
    },
    alerts: {
      type: 'object',
      fields: {
        enabled: { type: 'bool', default: false },
        channel: channel(),
        routes: {
          type: 'list',
          default: [],
          of: { type: 'object', fields: { namespaces: namespaceGlobs([]), channel: channel() } },
        },
        reasons: {
          type: 'strings',
          default: ['CrashLoopBackOff'],
          pattern:
            /^(CrashLoopBackOff|OOMKilled|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|RunContainerError)$/,
          expected:
            'one of CrashLoopBackOff, OOMKilled, ImagePullBackOff, ErrImagePull, CreateContainerConfigError, RunContainerError',
        },
        restartThreshold: { type: 'int', default: 3, min: 0, max: 10_000 },
        cooldown: { type: 'duration', default: 1800, to: 'cooldownSeconds', min: 1 },
        labelSelector: { type: 'string', default: '', allowEmpty: true },
        maxWorkloadsPerBurst: { type: 'int', default: 25, min: 1, max: 1000 },
        leaseNamespace: {
          type: 'string',
          default: 'debugdead-system',
          pattern: DNS_LABEL,
          expected: 'a namespace name',
        },
        leaseDuration: { type: 'duration', default: 15, to: 'leaseDurationSeconds', min: 2 },
      },
    },
    audit: {
      type: 'object',
      fields: {
        channel: channel(),
        maxRecords: { type: 'int', default: 100_000, min: 100, max: 100_000_000 },
        file: { type: 'string' },
        anchorEvery: { type: 'int', default: 1000, min: 1, max: 1_000_000 },
        anchorInterval: { type: 'duration', default: 3600, to: 'anchorIntervalSeconds', min: 60 },
        spoolMax: { type: 'int', default: 10_000, min: 100, max: 1_000_000 },
        viewers: approverSet(),
      },
    },
    approvals: {
      type: 'object',
      fields: {
        requestTtl: { type: 'duration', default: 86400, to: 'requestTtlSeconds', min: 60 },
        groupCache: { type: 'duration', default: 60, to: 'groupCacheSeconds' },
        grantTtl: { type: 'duration', default: 600, to: 'grantTtlSeconds', min: 60 },
      },
    },
    log: {
      type: 'object',
      fields: {
        level: {
          type: 'enum',
          default: 'info',
          values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
        },
      },
    },
    health: {
      type: 'object',
      fields: { port: { type: 'int', default: 8080, min: 0, max: 65535 } },
    },
    runbooks: {
      type: 'list',
      default: [],
      of: {
        type: 'object',
        fields: {
          match: {
            type: 'object',
            fields: {
              kind: { type: 'string', pattern: /^[A-Za-z]{1,63}$/, expected: 'a finding kind like "OOMKilled"' },
              namespace: {
                type: 'string',
                pattern: NAMESPACE_GLOB,
                expected: 'a namespace name or glob like "prod-*"',
              },
              label: {
                type: 'string',
                pattern: /^[A-Za-z0-9./_-]{1,316}=[A-Za-z0-9._-]{0,63}$/,
                expected: 'a pod label as key=value, like "team=payments"',
              },
            },
          },
          // Shown as a Slack link `<url|title>`: no spaces, `|` or `>` that would end it early.
          url: { type: 'string', pattern: /^https?:\/\/[^\s|<>]{1,2000}$/, expected: 'an http(s) URL' },
          title: { type: 'string', pattern: /^[^\n<>|]{1,100}$/, expected: 'up to 100 characters on one line' },
        },
      },
    },
  },
};
