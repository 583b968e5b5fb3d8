import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../sim/kube/index.js';
import { buildNamespace } from '../sim/kube/scenarios/build-objects.js';
import { loadScenario } from '../sim/kube/scenarios/index.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';
import { KUBE_REQUESTS_DIR, type KubeRequestsFile } from '../support/record-kube-requests.js';
import { type Manifest, REPO_ROOT, renderKustomization } from '../support/render-deploy.js';

/**
 * The shipped RBAC is exactly what the bot uses. The simulator records every (verb, resource, subresource,
 * namespace) the bot's token is allowed; the flows below use every feature once (diagnoses of each owner kind and
 * of missing pods and namespaces, clone and node shell with Extend and Delete now, alerts, the janitor), and the
 * recording is compared with the roles `kubectl apply -k deploy/overlays/example` would create, both ways.
 */

const CHANNEL = 'C0INCIDENT';
const ALERTS = CHANNEL;

/** One atomic permission: a verb on a resource(/subresource) of a group, in a namespace or everywhere ('*'). */
interface Grant {
  verb: string;
  group: string;
  resource: string;
  namespace: string;
  /** The role and binding it comes from, for the failure message. */
  from: string;
}

/** Every atomic permission the install gives the bot's ServiceAccount. */
function grantsOf(install: Manifest[]): Grant[] {
  const roleRules = (ref: Manifest, namespace?: string): Manifest[] => {
    const role = install.find(
      (m) =>
        m.kind === ref.kind &&
        m.metadata.name === ref.name &&
        (ref.kind !== 'Role' || m.metadata.namespace === namespace),
    );
    if (!role) throw new Error(`binding to a missing ${ref.kind} ${ref.name}`);
    return role.rules;
  };
  const boundToBot = (b: Manifest) =>
    (b.subjects ?? []).some(
      (s: Manifest) => s.kind === 'ServiceAccount' && s.name === 'debugdead' && s.namespace === 'debugdead-system',
    );
  const out: Grant[] = [];
  for (const binding of install.filter((m) => m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding')) {
    if (!boundToBot(binding)) continue;
    const namespace = binding.kind === 'RoleBinding' ? binding.metadata.namespace : '*';
    for (const rule of roleRules(binding.roleRef, binding.metadata.namespace)) {
      for (const group of rule.apiGroups)
        for (const resource of rule.resources)
          for (const verb of rule.verbs)
            out.push({ verb, group, resource, namespace, from: `${binding.kind} ${binding.metadata.name}` });
    }
  }
  return out;
}

const resourceOf = (r: RecordedRequest) => (r.subresource ? `${r.resource}/${r.subresource}` : r.resource);
const covers = (g: Grant, r: RecordedRequest) =>
  g.verb === r.verb &&
  g.group === r.group &&
  g.resource === resourceOf(r) &&
  (g.namespace === '*' || g.namespace === r.namespace);
const show = (r: RecordedRequest) => `${r.verb} ${r.group || 'core'}/${resourceOf(r)} in ${r.namespace ?? '(cluster)'}`;

const install = renderKustomization('deploy/overlays/example');
/** The node-shell namespace of the shipped configuration. */
const shippedNodeShells: string = (
  yaml.load(
    install.find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('debugdead-config'))?.data[
      'debugdead.yaml'
    ],
  ) as Manifest
).nodeShell.namespace;
const manifestScopes: string[] = (yaml.load(readFileSync(join(REPO_ROOT, 'manifest.yml'), 'utf8')) as Manifest)
  .oauth_config.scopes.bot;
const grants = grantsOf(install);

describe('the shipped RBAC and Slack scopes are exactly what the bot uses', () => {
  let h: Harness;
  let used: RecordedRequest[];

  const waitForText = (ts: string, pattern: RegExp, what: string) =>
    h.slack.waitFor(
      () => {
        const m = h.slack
          .channel(CHANNEL)
          .messages()
          .find((x) => x.ts === ts);
        return m && pattern.test(visibleText(m)) ? m : undefined;
      },
      20_000,
      what,
    );
  const threadHas = (ts: string, pattern: RegExp, what: string) =>
    h.slack.waitFor(
      () =>
        h.slack
          .thread(CHANNEL, ts)
          .replies()
          .find((m) => pattern.test(visibleText(m))),
      15_000,
      what,
    );
  const diagnose = async (namespace: string, pod: string): Promise<SimMessage | undefined> => {
    const before = h.auditEntries().length;
    await h.slack.user('U0ALICE01').runCommand('/debugdead', `${namespace}/${pod}`, { channel: CHANNEL });
    await h.slack.waitFor(
      () =>
        h
          .auditEntries()
          .slice(before)
          .find((e) => ['diagnosis.done', 'error'].includes(e.action) && e.target?.pod === pod),
      15_000,
      `the diagnosis of ${namespace}/${pod}`,
    );
    return h.slack
      .channel(CHANNEL)
      .messages()
      .find((m) => m.text.startsWith(`${namespace}/${pod} `));
  };
  /** `/debugdead <type>/<name> -n shop`: the workload is read for its selector, then its pods listed. */
  const diagnoseWorkload = async (target: string) => {
    const before = h.auditEntries().length;
    await h.slack.user('U0ALICE01').runCommand('/debugdead', `${target} -n shop`, { channel: CHANNEL });
    await h.slack.waitFor(
      () =>
        h
          .auditEntries()
          .slice(before)
          .find((e) => ['diagnosis.done', 'error'].includes(e.action)),
      15_000,
      `the diagnosis of ${target}`,
    );
  };
  /** Create, Extend, Delete now: the whole life of one debug pod, through its buttons. */
  const debugPodLife = async (summary: SimMessage, button: string, namespace: string) => {
    await h.slack.user('U0ALICE01').click(summary, button, { confirm: true });
    const ready = await waitForText(summary.ts, /:white_check_mark: Running/, `the ready pod (${button})`);
    await h.slack.user('U0ALICE01').click(ready, 'Extend', { confirm: true });
    await threadHas(summary.ts, /extended `/, `the extension (${button})`);
    await h.slack.user('U0ALICE01').click(
      h.slack
        .channel(CHANNEL)
        .messages()
        .find((m) => m.ts === summary.ts)!,
      'Delete now',
      { confirm: true },
    );
    await h.slack.waitFor(
      () =>
        h.kube.store.list('pods', namespace).some((p) => p.metadata.labels?.['debugdead.io/managed'] === 'true')
          ? undefined
          : true,
      15_000,
      `the deletion (${button})`,
    );
  };

  beforeAll(async () => {
    h = await startHarness({
      // Exactly the manifest's scopes: a call needing any other fails with missing_scope (checked below).
      botScopes: manifestScopes,
      configure: (c) => {
        c.approvers = { users: ['U0ALICE01'], groups: [] };
        c.nodeShell.approvers = { users: ['U0ALICE01'], groups: [] };
        c.nodeShell.twoPersonRule = false;
        c.nodeShell.namespace = shippedNodeShells;
        c.debugClone.maxTtlSeconds = 7200;
        c.alerts.enabled = true;
        c.alerts.channel = ALERTS;
        c.alerts.labelSelector = 'app in (crash-exit1)';
      },
      // The alert watcher's Lease renewed (update) within the flows, not only created.
      alertTuning: { channelIntervalMs: 50, leaseRetryMs: 200 },
    });
    // The node-shell namespace as deploy/base/namespaces.yaml makes it (the harness made it unless the shipped name
    // differs), and a pod of every owner kind.
    if (!h.kube.store.get('namespaces', undefined, shippedNodeShells)) {
      h.kube.store.create(
        'namespaces',
        buildNamespace(shippedNodeShells, { 'pod-security.kubernetes.io/enforce': 'privileged' }),
      );
      h.kube.store.create('serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: shippedNodeShells },
      });
    }
    await loadScenario('workloads', { store: h.kube.store, clock: h.kube.clock, kubelet: h.kube.kubelet });

    // Alerts: the watch, and the alert's own diagnosis.
    await h.slack.waitFor(() => h.slack.channel(ALERTS).messages()[0], 20_000, 'an alert');
    // Diagnoses: a Deployment's pod and one of each other owner kind; a bare pod; a missing pod and namespace.
    for (const pod of h.kube.store.list('pods', 'shop')) await diagnose('shop', pod.metadata.name);
    // Workload targets: one of each kind the scenario has.
    for (const [resource, type] of [
      ['deployments', 'deploy'],
      ['statefulsets', 'sts'],
      ['daemonsets', 'ds'],
      ['jobs', 'job'],
      ['replicasets', 'rs'],
    ] as const) {
      const w = h.kube.store.list(resource, 'shop')[0];
      if (w) await diagnoseWorkload(`${type}/${w.metadata.name}`);
    }
    await diagnose('demo', 'no-such-pod');
    await diagnose('no-such-namespace', 'crash-exit1');
    const forClone = await diagnose('demo', 'liveness');
    const forShell = await diagnose('demo', 'oom');
    const forDebugContainer = await diagnose('demo', 'healthy');
    if (!forClone || !forShell || !forDebugContainer) throw new Error('no summary to click on');
    await debugPodLife(forClone, 'Create debug clone', 'demo');
    await debugPodLife(forShell, 'Open node shell', shippedNodeShells);
    // A debug container: added once, never extended or deleted (an ephemeral container can be neither).
    await h.slack.user('U0ALICE01').click(forDebugContainer, 'Attach debug container', { confirm: true });
    await waitForText(forDebugContainer.ts, /:white_check_mark: Running/, 'the running debug container');
    used = h.kube.rbac.recorded();
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('grants every request the bot made', () => {
    const denied = used.filter((r) => !grants.some((g) => covers(g, r))).map(show);
    expect(denied).toEqual([]);
  });

  it('grants nothing the bot did not use', () => {
    const unused = grants
      .filter((g) => !used.some((r) => covers(g, r)))
      .map((g) => `${g.verb} ${g.group || 'core'}/${g.resource} in ${g.namespace} (${g.from})`);
    expect(unused).toEqual([]);
  });

  it('writes pods only in namespaces, never cluster-wide: create, patch (Extend) and delete, where debug pods live; debug containers where clones are; and its Lease', () => {
    const writes = used.filter((r) => !['get', 'list', 'watch'].includes(r.verb)).map(show);
    expect(writes.sort()).toEqual(
      [
        `create core/pods in demo`,
        `patch core/pods in demo`,
        `delete core/pods in demo`,
        `patch core/pods/ephemeralcontainers in demo`,
        `create core/pods in ${shippedNodeShells}`,
        `patch core/pods in ${shippedNodeShells}`,
        `delete core/pods in ${shippedNodeShells}`,
        'create coordination.k8s.io/leases in debugdead-system',
        'update coordination.k8s.io/leases in debugdead-system',
      ].sort(),
    );
  });

  it("needs no Slack scope beyond the manifest's: no Web API call was refused for one", () => {
    expect(h.slack.calls().filter((c) => c.error === 'missing_scope')).toEqual([]);
    expect(h.slack.calls().length).toBeGreaterThan(20);
  });

  it('grants every request the other end-to-end suites recorded in this run', () => {
    // Each harness writes its recording when it stops (test/support/record-kube-requests.ts); which files exist
    // depends on what ran before this one, so this direction alone is checked here. Harnesses create node shells in
    // the configuration's default namespace; deploy/ names another, which is what the comparison uses.
    const dir = join(REPO_ROOT, KUBE_REQUESTS_DIR);
    const files = (() => {
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.json'));
      } catch {
        return [];
      }
    })();
    const denied = files.flatMap((f) => {
      const recording = JSON.parse(readFileSync(join(dir, f), 'utf8')) as KubeRequestsFile;
      return recording.requests
        .map((r) => (r.namespace === recording.nodeShellNamespace ? { ...r, namespace: shippedNodeShells } : r))
        .filter((r) => !grants.some((g) => covers(g, r)))
        .map((r) => `${show(r)} (${f})`);
    });
    expect(denied).toEqual([]);
  });
});
