import { describe, expect, it } from 'vitest';
import { resolveClusterConfig, withKubeContext } from '../../src/clusters/index.js';
import { buildConfig, type Config } from '../../src/config/index.js';

const env = { DEBUGDEAD_SIGNING_KEY: 'k'.repeat(40) };

function config(doc: Record<string, unknown>): Config {
  const built = buildConfig(doc, env);
  if (!built.ok) throw new Error(built.errors.join('\n'));
  return built.config;
}

const base = {
  approvers: { users: ['U0ALICE01'] },
  nodeShell: { approvers: { users: ['U0ALICE01'] } },
  namespaces: { allow: ['*'], deny: ['kube-system'] },
  alerts: { enabled: true, channel: 'C0INCIDENT', routes: [{ namespaces: ['payments'], channel: 'C0PAY' }] },
  clusters: [
    {
      name: 'prod-eu',
      approvers: { users: ['U0BOB0002'] },
      namespaces: { allow: ['shop-*'], deny: ['shop-secrets'] },
      limits: { activeCluster: 3 },
      alerts: { channel: 'C0EUALERT', routes: [{ namespaces: ['shop-*'], channel: 'C0EUSHOP' }] },
    },
    { name: 'staging' },
  ],
};

describe('resolveClusterConfig: a cluster inherits the global policy and overrides what it sets', () => {
  const global = config(base);
  const eu = resolveClusterConfig(global, 'prod-eu');
  const staging = resolveClusterConfig(global, 'staging');

  it.each([
    { what: 'cluster.name', get: (c: Config) => c.cluster.name, eu: 'prod-eu', staging: 'staging' },
    { what: 'approvers', get: (c: Config) => c.approvers.users, eu: ['U0BOB0002'], staging: ['U0ALICE01'] },
    {
      what: 'node-shell approvers',
      get: (c: Config) => c.nodeShell.approvers.users,
      eu: ['U0ALICE01'],
      staging: ['U0ALICE01'],
    },
    { what: 'namespaces.allow', get: (c: Config) => c.namespaces.allow, eu: ['shop-*'], staging: ['*'] },
    {
      what: 'namespaces.deny (added to)',
      get: (c: Config) => c.namespaces.deny,
      eu: ['kube-system', 'shop-secrets'],
      staging: ['kube-system'],
    },
    { what: 'limits.activeCluster', get: (c: Config) => c.limits.activeCluster, eu: 3, staging: 25 },
    { what: 'limits.activePerUser (0 inherits)', get: (c: Config) => c.limits.activePerUser, eu: 3, staging: 3 },
    { what: 'alerts.channel', get: (c: Config) => c.alerts.channel, eu: 'C0EUALERT', staging: 'C0INCIDENT' },
    {
      what: 'alerts.routes (the cluster first)',
      get: (c: Config) => c.alerts.routes.map((r) => r.channel),
      eu: ['C0EUSHOP', 'C0PAY'],
      staging: ['C0PAY'],
    },
  ])('$what', ({ get, eu: wantEu, staging: wantStaging }) => {
    expect(get(eu)).toEqual(wantEu);
    expect(get(staging)).toEqual(wantStaging);
  });

  it('does not change the global configuration', () => {
    expect(global).toEqual(config(base));
  });
});

describe('clusters: in debugdead.yaml', () => {
  it.each([
    { doc: { clusters: [{ name: 'a' }, { name: 'a' }] }, error: 'clusters[1].name: "a" is named twice' },
    { doc: { clusters: [{}] }, error: 'clusters[0].name: required' },
    { doc: { clusters: [{ name: 'Prod' }] }, error: /clusters\[0\]\.name: expected a cluster name/ },
    {
      doc: { clusters: [{ name: 'a' }], bindings: [{ channels: ['C0X1'], namespaces: ['*'], cluster: 'b' }] },
      error: 'bindings[0].cluster: "b" is not in clusters (a)',
    },
    {
      doc: { clusters: [{ name: 'a', alerts: { routes: [{ namespaces: ['x'] }] } }] },
      error: 'clusters[0].alerts.routes[0].channel: required',
    },
    { doc: { clusters: [{ name: 'a', colour: 'red' }] }, error: /clusters\[0\]\.colour: unknown key/ },
  ])('refuses $error', ({ doc, error }) => {
    const built = buildConfig(doc, env);
    expect(built.ok).toBe(false);
    if (!built.ok)
      expect(built.errors).toContainEqual(typeof error === 'string' ? error : expect.stringMatching(error));
  });
});

describe('withKubeContext', () => {
  it.each([
    ['kubectl exec -it -n demo web-debug -- sh', 'kubectl --context prod-eu exec -it -n demo web-debug -- sh'],
    ['Run: kubectl logs -n demo x', 'Run: kubectl --context prod-eu logs -n demo x'],
    ['kubectl --context other exec -it x', 'kubectl --context other exec -it x'],
    ['no command here', 'no command here'],
  ])('%s', (line, want) => {
    expect(withKubeContext(line, 'prod-eu')).toBe(want);
  });
});
