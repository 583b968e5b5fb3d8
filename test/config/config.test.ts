import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  buildConfig,
  type Config,
  ConfigError,
  loadConfig,
  missingSlackSecrets,
  parseDuration,
  parseSize,
} from '../../src/config/index.js';
import { objectShapeOf } from '../../src/config/object-shape-of.js';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';

const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };
const build = (doc: unknown) => buildConfig(doc, env);
const errorsOf = (doc: unknown, e: Record<string, string | undefined> = env) => {
  const r = buildConfig(doc, e);
  return r.ok ? [] : r.errors;
};

describe('valid configuration files', () => {
  it('an empty file gives every documented default', () => {
    const r = build(null);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      cluster: { name: 'default' },
      slack: {
        mode: 'socket',
        port: 3000,
        command: '/debugdead',
        apiUrl: 'https://slack.com/api/',
        botToken: 'xoxb-1',
      },
      redis: { url: 'redis://127.0.0.1:6379', prefix: '{debugdead}' },
      kubernetes: { requestTimeoutSeconds: 10 },
      namespaces: { allow: ['*'], deny: ['kube-system'] },
      approvers: { users: [], groups: [] },
      debugClone: {
        helperImage: 'busybox:1.37-musl',
        defaultTtlSeconds: 3600,
        maxTtlSeconds: 14400,
        keepClaims: false,
      },
      nodeShell: {
        enabled: true,
        twoPersonRule: true,
        namespace: 'debugdead-nodeshell',
        defaultTtlSeconds: 900,
        maxTtlSeconds: 3600,
      },
      logs: { tailLines: 200, limitBytes: 262144, inlineLines: 20 },
      alerts: { enabled: false, routes: [], reasons: ['CrashLoopBackOff'], restartThreshold: 3, cooldownSeconds: 1800 },
      audit: { maxRecords: 100000 },
      approvals: { requestTtlSeconds: 86400, groupCacheSeconds: 60 },
      log: { level: 'info' },
    });
  });

  it.each([
    ['durations in mixed units', { alerts: { cooldown: '1h30m' } }, (c: any) => c.alerts.cooldownSeconds, 5400],
    [
      'a bare number of seconds',
      { kubernetes: { requestTimeout: 5 } },
      (c: any) => c.kubernetes.requestTimeoutSeconds,
      5,
    ],
    ['sizes with binary units', { logs: { limitBytes: '1MiB' } }, (c: any) => c.logs.limitBytes, 1048576],
    ['HTTP mode', { slack: { mode: 'http', port: 8080 } }, (c: any) => c.slack.port, 8080],
    [
      'routes by namespace',
      { alerts: { enabled: true, channel: 'C1ALERTS', routes: [{ namespaces: ['pay-*'], channel: 'C2PAY' }] } },
      (c: any) => c.alerts.routes[0].channel,
      'C2PAY',
    ],
    [
      'approvers by user and group',
      { approvers: { users: ['U1ALICE'], groups: ['S1ONCALL'] } },
      (c: any) => c.approvers.groups,
      ['S1ONCALL'],
    ],
  ])('accepts %s', (_name, doc, pick, want) => {
    const r = build(doc);
    expect(r.ok ? pick(r.config) : r.errors).toEqual(want);
  });

  it('takes secrets and connection strings from the environment, not the file', () => {
    const r = buildConfig({}, { ...env, SLACK_SIGNING_SECRET: 's3', REDIS_URL: 'redis://r:1', KUBECONFIG: '/k' });
    // KUBECONFIG stays with client-node's default loading, which understands a list of files (a:b).
    expect(r.ok && [r.config.slack.signingSecret, r.config.redis.url, r.config.kubernetes.kubeconfig]).toEqual([
      's3',
      'redis://r:1',
      undefined,
    ]);
  });

  it.each([
    ['a password alone', { REDIS_PASSWORD: 'pw' }, 'redis://:pw@r:1/2'],
    ['an ACL user and its password', { REDIS_USERNAME: 'bot', REDIS_PASSWORD: 'pw' }, 'redis://bot:pw@r:1/2'],
    ['a password that replaces one in the URL', { REDIS_PASSWORD: 'new' }, 'redis://:new@r:1/2', 'redis://:old@r:1/2'],
  ])('REDIS_PASSWORD joins REDIS_URL: %s', (_name, extra, want, url = 'redis://r:1/2') => {
    const r = buildConfig({}, { ...env, REDIS_URL: url, ...extra });
    expect(r.ok && r.config.redis.url).toBe(want);
  });

  it('any REDIS_PASSWORD reaches Redis unchanged, however it is spelled', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'binary' }), (password) => {
        const r = buildConfig({}, { ...env, REDIS_URL: 'redis://debugdead-redis:6379', REDIS_PASSWORD: password });
        if (!r.ok) return false;
        const url = new URL(r.config.redis.url);
        // ioredis reads the credentials back exactly so (decodeURIComponent of the WHATWG fields).
        return decodeURIComponent(url.password) === password && url.hostname === 'debugdead-redis';
      }),
    );
  });
});

describe('Redis Cluster and Sentinel from the environment', () => {
  it.each([
    ['a bare prefix is wrapped in a hash tag', { redis: { prefix: 'team-a' } }, {}, { prefix: '{team-a}' }],
    ['a hash-tagged prefix is kept', { redis: { prefix: '{team-a}' } }, {}, { prefix: '{team-a}' }],
    [
      'REDIS_CLUSTER_NODES gives the seed nodes',
      {},
      { REDIS_CLUSTER_NODES: 'redis-0.redis:6379, redis-1.redis:6379,[::1]:7000' },
      {
        cluster: {
          nodes: [
            { host: 'redis-0.redis', port: 6379 },
            { host: 'redis-1.redis', port: 6379 },
            { host: '::1', port: 7000 },
          ],
        },
      },
    ],
    [
      'REDIS_SENTINELS with REDIS_SENTINEL_NAME, and credentials for every node',
      {},
      {
        REDIS_SENTINELS: 's1:26379,s2:26379',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_SENTINEL_PASSWORD: 'sp',
        REDIS_USERNAME: 'bot',
        REDIS_PASSWORD: 'pw',
      },
      {
        sentinel: {
          name: 'mymaster',
          sentinels: [
            { host: 's1', port: 26379 },
            { host: 's2', port: 26379 },
          ],
          password: 'sp',
        },
        username: 'bot',
        password: 'pw',
      },
    ],
  ])('%s', (_name, doc, extra, want) => {
    const r = buildConfig(doc, { ...env, ...extra });
    expect(r.ok && r.config.redis).toMatchObject(want);
  });

  it.each([
    [
      'a node without a port',
      { REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1' },
      ['REDIS_CLUSTER_NODES: expected "host:port" entries separated by commas, got "redis-1"'],
    ],
    [
      'a port out of range',
      { REDIS_SENTINELS: 's1:99999', REDIS_SENTINEL_NAME: 'm' },
      ['REDIS_SENTINELS: expected "host:port" entries separated by commas, got "s1:99999"'],
    ],
    [
      'Sentinels without a master name',
      { REDIS_SENTINELS: 's1:26379' },
      ['REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master name Sentinel monitors, e.g. "mymaster")'],
    ],
    [
      'a master name without Sentinels',
      { REDIS_SENTINEL_NAME: 'm' },
      ["REDIS_SENTINEL_NAME: set REDIS_SENTINELS too (the Sentinels' host:port list)"],
    ],
    [
      'both a cluster and Sentinels',
      { REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINELS: 'b:2', REDIS_SENTINEL_NAME: 'm' },
      ['REDIS_CLUSTER_NODES and REDIS_SENTINELS: set one of them (a Redis Cluster, or a master behind Sentinel)'],
    ],
  ])('refuses %s', (_name, extra, want) => {
    expect(errorsOf({}, { ...env, ...extra })).toEqual(want);
  });
});

describe('invalid configuration files: every problem, each with its key path', () => {
  it.each([
    [
      'a bad duration',
      { alerts: { cooldown: 'soon' } },
      ['alerts.cooldown: expected a duration like "30m", got "soon"'],
    ],
    [
      'an unknown key with a typo',
      { alerts: { coldown: '5m' } },
      ['alerts.coldown: unknown key (did you mean "cooldown"?)'],
    ],
    ['an unknown top-level key', { sentry: {} }, ['sentry: unknown key']],
    ['a wrong enum', { slack: { mode: 'websocket' } }, ['slack.mode: expected one of socket, http, got "websocket"']],
    ['a port out of range', { slack: { port: 70000 } }, ['slack.port: expected an integer from 1 to 65535, got 70000']],
    [
      'a string for a number',
      { logs: { tailLines: 'lots' } },
      ['logs.tailLines: expected an integer from 1 to 100000, got "lots"'],
    ],
    [
      'a bad size',
      { logs: { limitBytes: '2 bananas' } },
      ['logs.limitBytes: expected a size like "256KiB" or a number of bytes, got "2 bananas"'],
    ],
    [
      'a string for a boolean',
      { nodeShell: { twoPersonRule: 'yes' } },
      ['nodeShell.twoPersonRule: expected true or false, got "yes"'],
    ],
    [
      'a user id that is not one',
      { approvers: { users: ['alice'] } },
      ['approvers.users[0]: expected a Slack user id like "U0123ABCD", got "alice"'],
    ],
    [
      'a mapping where a list belongs',
      { namespaces: { deny: { a: 1 } } },
      ['namespaces.deny: expected a list, got a mapping'],
    ],
    [
      'a bad namespace glob',
      { namespaces: { allow: ['Prod_*'] } },
      ['namespaces.allow[0]: expected a namespace name or glob like "prod-*", got "Prod_*"'],
    ],
    [
      'a TTL under the minimum',
      { debugClone: { defaultTtl: '10s' } },
      ['debugClone.defaultTtl: must be at least 1m, got "10s"'],
    ],
    [
      'a default TTL over the maximum',
      { debugClone: { defaultTtl: '5h', maxTtl: '2h' } },
      ['debugClone.defaultTtl: must not exceed debugClone.maxTtl (2h), got 5h'],
    ],
    [
      'alerts enabled without a channel',
      { alerts: { enabled: true } },
      ['alerts.channel: required when alerts.enabled is true'],
    ],
    [
      'a route without namespaces',
      { alerts: { routes: [{ channel: 'C1X' }] } },
      ['alerts.routes[0].namespaces: expected at least one namespace or glob'],
    ],
    [
      'an unknown alert reason',
      { alerts: { reasons: ['Sad'] } },
      [
        'alerts.reasons[0]: expected one of CrashLoopBackOff, OOMKilled, ImagePullBackOff, ErrImagePull, CreateContainerConfigError, RunContainerError, got "Sad"',
      ],
    ],
    [
      'a redis prefix with a colon',
      { redis: { prefix: 'a:b' } },
      [
        'redis.prefix: expected letters, digits, "-" or "_" (no ":"), bare or as a hash tag like "{debugdead}", got "a:b"',
      ],
    ],
    ['a list as the whole file', ['a'], ['(top level): expected a mapping of keys, got a list']],
    ['a scalar section', { slack: 'socket' }, ['slack: expected a mapping of keys, got "socket"']],
  ])('reports %s', (_name, doc, want) => {
    expect(errorsOf(doc)).toEqual(want);
  });

  it('reports several problems at once, in file order', () => {
    expect(errorsOf({ slack: { mode: 'x', port: 0 }, alerts: { cooldown: 'soon', colour: 'red' } })).toEqual([
      'slack.mode: expected one of socket, http, got "x"',
      'slack.port: expected an integer from 1 to 65535, got 0',
      'alerts.colour: unknown key',
      'alerts.cooldown: expected a duration like "30m", got "soon"',
    ]);
  });

  it('reports rules across keys together with the problems of single keys', () => {
    expect(
      errorsOf({ slack: { mode: 'x' }, debugClone: { defaultTtl: '5h', maxTtl: '2h' }, alerts: { enabled: true } }),
    ).toEqual([
      'slack.mode: expected one of socket, http, got "x"',
      'debugClone.defaultTtl: must not exceed debugClone.maxTtl (2h), got 5h',
      'alerts.channel: required when alerts.enabled is true',
    ]);
  });

  it.each([
    [
      'a typo inside a list item',
      { alerts: { routes: [{ namespaces: ['a'], chanel: 'C1X' }] } },
      ['alerts.routes[0].chanel: unknown key (did you mean "channel"?)', 'alerts.routes[0].channel: required'],
    ],
    [
      'a bad item among good ones, and a bad binding',
      { approvers: { users: ['U0GOOD1', 7] }, bindings: [{ channels: [], namespaces: ['x'] }] },
      [
        'approvers.users[1]: expected a Slack user id like "U0123ABCD", got 7',
        'bindings[0].channels: expected at least one',
      ],
    ],
    ['an empty string', { cluster: { name: '' } }, ['cluster.name: expected a non-empty string, got ""']],
  ])('reports %s', (_name, doc, want) => {
    expect(errorsOf(doc)).toEqual(want);
  });

  it('an empty key (YAML null) takes its default, like a key left out', () => {
    const r = build({ slack: { port: null }, alerts: null, logs: { limitBytes: null } });
    expect(r.ok && [r.config.slack.port, r.config.alerts.cooldownSeconds, r.config.logs.limitBytes]).toEqual([
      3000, 1800, 262144,
    ]);
  });

  it('rejects a REDIS_URL that is not a redis URL', () => {
    expect(errorsOf({}, { REDIS_URL: 'localhost:6379' })).toEqual([
      'REDIS_URL: expected a URL like "redis://host:6379", got "localhost:6379"',
    ]);
  });
});

describe('secrets the bot needs', () => {
  it.each([
    [
      'socket mode, nothing set',
      {},
      {},
      [
        'SLACK_BOT_TOKEN: required (the bot token, xoxb-…)',
        'SLACK_APP_TOKEN: required in Socket Mode (an app-level token, xapp-…, with connections:write)',
      ],
    ],
    [
      'socket mode, tokens swapped',
      {},
      { SLACK_BOT_TOKEN: 'xapp-1', SLACK_APP_TOKEN: 'xoxb-1' },
      [
        'SLACK_BOT_TOKEN: expected a bot token starting with "xoxb-"',
        'SLACK_APP_TOKEN: expected an app-level token starting with "xapp-"',
      ],
    ],
    [
      'http mode without a signing secret',
      { slack: { mode: 'http' } },
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      ['SLACK_SIGNING_SECRET: required in HTTP mode'],
    ],
    ['http mode complete', { slack: { mode: 'http' } }, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, []],
  ])('%s', (_name, doc, e, want) => {
    const r = buildConfig(doc, { ...e, DEBUGDEAD_SIGNING_KEY: 'k'.repeat(32) });
    expect(r.ok && missingSlackSecrets(r.config)).toEqual(want);
  });

  it.each([
    ['no signing key', undefined, /DEBUGDEAD_SIGNING_KEY: required/],
    ['a short signing key', 'short', /DEBUGDEAD_SIGNING_KEY: expected at least 32 characters/],
  ])('%s stops the bot from starting', (_name, key, want) => {
    const r = buildConfig({}, { ...env, ...(key ? { DEBUGDEAD_SIGNING_KEY: key } : {}) });
    expect(r.ok && missingSlackSecrets(r.config)).toEqual([expect.stringMatching(want)]);
  });

  it('the signing key comes from the environment only: the YAML has no key for it', () => {
    const r = buildConfig({ approvals: { signingKey: 'x'.repeat(40) } }, env);
    expect(r.ok).toBe(false);
  });
});

describe('loading from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'debugdead-config-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads DEBUGDEAD_CONFIG', () => {
    const path = write('a.yaml', 'cluster:\n  name: lab\n');
    expect(loadConfig({ DEBUGDEAD_CONFIG: path }).cluster.name).toBe('lab');
  });

  it('reads ./debugdead.yaml when present and no path is given', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'debugdead-cwd-'));
    writeFileSync(join(cwd, 'debugdead.yaml'), 'cluster: {name: here}\n');
    expect(loadConfig({}, cwd).cluster.name).toBe('here');
  });

  it('uses defaults when there is no file at all', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'debugdead-empty-'));
    expect(loadConfig({}, cwd).slack.mode).toBe('socket');
  });

  it('names the line of a YAML syntax error', () => {
    const path = write('bad.yaml', 'slack:\n  mode: socket\n   port: 1\n');
    expect(() => loadConfig({ DEBUGDEAD_CONFIG: path })).toThrow(/not valid YAML at line 3, column \d+/);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadConfig({ DEBUGDEAD_CONFIG: join(dir, 'missing.yaml') })).toThrow(/cannot read the file: ENOENT/);
  });

  it('lists every problem in one ConfigError', () => {
    const path = write('many.yaml', 'slack: {mode: x}\nalerts: {cooldown: soon}\n');
    try {
      loadConfig({ DEBUGDEAD_CONFIG: path });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(2);
      expect((e as ConfigError).message).toContain('alerts.cooldown: expected a duration like "30m", got "soon"');
    }
  });
});

describe('the Config type', () => {
  it('is what the schema gives: durations as seconds, enums as their values, secrets from the environment', () => {
    expectTypeOf<Config['alerts']['cooldownSeconds']>().toEqualTypeOf<number>();
    expectTypeOf<Config['slack']['mode']>().toEqualTypeOf<'socket' | 'http'>();
    expectTypeOf<Config['log']['level']>().toEqualTypeOf<
      'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
    >();
    expectTypeOf<Config['alerts']['channel']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['approvals']['signingKey']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['alerts']>().not.toHaveProperty('cooldown');
    const r = build({ alerts: { cooldown: '2m' } });
    expect(r.ok && r.config.alerts.cooldownSeconds).toBe(120);
  });
});

describe('debugdead.example.yaml', () => {
  const example = yaml.load(readFileSync(new URL('../../debugdead.example.yaml', import.meta.url), 'utf8'));

  it('is itself a valid configuration', () => {
    expect(errorsOf(example)).toEqual([]);
  });

  it('shows every key the schema accepts', () => {
    const missing: string[] = [];
    const walk = (spec: z.ZodType, doc: any, path: string) => {
      for (const [key, field] of Object.entries(objectShapeOf(spec) ?? {})) {
        if (!doc || !(key in doc)) missing.push(`${path}${key}`);
        else if (objectShapeOf(field)) walk(field, doc[key], `${path}${key}.`);
      }
    };
    walk(CONFIG_SCHEMA, example, '');
    expect(missing).toEqual([]);
    // The walk saw the schema's sections (an empty walk would find nothing missing).
    expect(Object.keys(objectShapeOf(CONFIG_SCHEMA) ?? {})).toEqual(
      expect.arrayContaining(['slack', 'alerts', 'audit']),
    );
  });
});

describe('durations and sizes', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['2d', 172800],
    [90, 90],
    ['90', 90],
    ['soon', undefined],
    ['', undefined],
    ['-5m', undefined],
    [1.5, undefined],
    ['5 m', undefined],
  ])('duration %j → %j', (input, want) => expect(parseDuration(input)).toBe(want));

  it.each([
    [1024, 1024],
    ['256KiB', 262144],
    ['1MiB', 1048576],
    ['500KB', 500000],
    ['0', undefined],
    ['lots', undefined],
    [-1, undefined],
  ])('size %j → %j', (input, want) => expect(parseSize(input)).toBe(want));
});

describe('mute.approvers: who may mute, among the people in a bound channel', () => {
  it.each([
    ['left out: the default, anyone in a bound channel', {}, undefined],
    ['empty in YAML (`approvers:`): the default too', { mute: { approvers: null } }, undefined],
    ['a group narrows it', { mute: { approvers: { groups: ['S0ONCALL1'] } } }, { users: [], groups: ['S0ONCALL1'] }],
    [
      'anyone: true says the default out loud',
      { mute: { approvers: { anyone: true } } },
      { users: [], groups: [], anyone: true },
    ],
  ])('accepts %s', (_name, doc, want) => {
    const r = build(doc);
    expect(r.ok ? r.config.mute.approvers : r.errors).toEqual(want);
  });

  const NOBODY =
    'mute.approvers: expected users, groups or anyone: true; leave mute.approvers out to let anyone in a bound channel mute';
  it.each([
    ['an empty mapping', { mute: { approvers: {} } }, [NOBODY]],
    ['empty lists', { mute: { approvers: { users: [], groups: [] } } }, [NOBODY]],
    ['anyone: false and nobody else', { mute: { approvers: { anyone: false } } }, [NOBODY]],
    [
      'a user id that is not one',
      { mute: { approvers: { users: ['bob'] } } },
      // The cross-key check runs again without the faulty item (validateConfigTree), so it says what is left.
      ['mute.approvers.users[0]: expected a Slack user id like "U0123ABCD", got "bob"', NOBODY],
    ],
    [
      'a typo in the key',
      { mute: { approver: { users: ['U0BOB0002'] } } },
      ['mute.approver: unknown key (did you mean "approvers"?)'],
    ],
  ])('refuses %s, naming the key', (_name, doc, want) => {
    expect(errorsOf(doc)).toEqual(want);
  });
});
