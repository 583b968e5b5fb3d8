import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sim/kube/clock.js';
import { loadScenario, SCENARIO_NAMES } from '../../sim/kube/scenarios/index.js';
import { MemoryStore } from '../../sim/kube/store.js';
import { planScenarioRequests } from './plan-scenario-requests.js';

async function scenarioObjects(name: string) {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  const resources = new Set<string>();
  store.subscribe((c) => resources.add(c.resource));
  await loadScenario(name, { store, clock, kubelet: { addRule: () => {} } });
  return Object.fromEntries([...resources].map((r) => [r, store.list(r)]));
}

describe('a simulator scenario as the creates a user makes on a real cluster', () => {
  it('creates what a user creates and leaves to the controllers what they make', async () => {
    const { requests, nodes } = planScenarioRequests(await scenarioObjects('all'));
    const made = requests.map((r) => `${r.path}/${r.body.metadata.name}`);
    expect(made).toContain('/api/v1/namespaces/demo');
    expect(made).toContain('/apis/apps/v1/namespaces/demo/deployments/crash-exit1');
    expect(made).toContain('/apis/apps/v1/namespaces/shop/statefulsets/postgres');
    expect(made).toContain('/apis/apps/v1/namespaces/shop/daemonsets/log-agent');
    expect(made).toContain('/apis/batch/v1/namespaces/shop/jobs/nightly-export');
    // The bare pod, but no pod, ReplicaSet or ServiceAccount a controller makes.
    expect(made.filter((m) => m.includes('/pods/'))).toEqual(['/api/v1/namespaces/shop/pods/toolbox']);
    expect(made.some((m) => m.includes('/replicasets/') || m.includes('/serviceaccounts/default'))).toBe(false);
    // Namespaces first: everything else lives in one.
    const isNamespace = (r: { path: string }) => r.path === '/api/v1/namespaces';
    expect(requests.findLastIndex(isNamespace)).toBeLessThan(requests.findIndex((r) => !isNamespace(r)));
    expect(nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(nodes[0]).toEqual({
      name: 'node-1',
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      labels: { 'node.kubernetes.io/instance-type': 'm6i.xlarge', 'topology.kubernetes.io/zone': 'eu-west-1a' },
    });
  });

  it('sends no server-set fields: no status, uid, resourceVersion, cluster IP, or Job selector', async () => {
    const { requests } = planScenarioRequests(await scenarioObjects('all'));
    for (const { body } of requests) {
      expect(body.status).toBeUndefined();
      for (const key of Object.keys(body.metadata))
        expect(['name', 'namespace', 'labels', 'annotations']).toContain(key);
      if (body.kind === 'Service' && body.spec.clusterIP !== 'None') expect(body.spec.clusterIP).toBeUndefined();
      if (body.kind === 'Job') {
        expect(body.spec.selector).toBeUndefined();
        expect(Object.keys(body.spec.template.metadata.labels ?? {})).not.toContain('controller-uid');
      }
    }
  });

  it('with keepPodNames, creates the pods and ReplicaSets under their literal names, as orphans before their owners', async () => {
    const { requests } = planScenarioRequests(await scenarioObjects('default'), { keepPodNames: true });
    const at = (kind: string, name: string) =>
      requests.findIndex((r) => r.body.kind === kind && r.body.metadata.name.startsWith(name));
    expect(requests.filter((r) => r.body.kind === 'Pod').map((r) => r.body.metadata.name)).toContain('crash-exit1');
    expect(at('Pod', 'crash-exit1')).toBeLessThan(at('ReplicaSet', 'crash-exit1-'));
    expect(at('ReplicaSet', 'crash-exit1-')).toBeLessThan(at('Deployment', 'crash-exit1'));
    expect(at('Deployment', 'crash-exit1')).toBeLessThan(at('Service', 'crash-exit1'));
    for (const { body } of requests) expect(body.metadata.ownerReferences).toBeUndefined();
    // The same objects as without the option, plus what the controllers would have made.
    const plain = planScenarioRequests(await scenarioObjects('default')).requests;
    const key = (r: { path: string; body: { metadata: { name: string } } }) => `${r.path}/${r.body.metadata.name}`;
    expect(new Set(requests.map(key))).toEqual(
      new Set([...plain.map(key), ...requests.filter((r) => ['Pod', 'ReplicaSet'].includes(r.body.kind)).map(key)]),
    );
  });

  it.each(SCENARIO_NAMES)('knows every resource of scenario %s', async (name) => {
    const objects = await scenarioObjects(name);
    expect(() => planScenarioRequests(objects)).not.toThrow();
  });

  it('names a resource it cannot create', () => {
    expect(() => planScenarioRequests({ widgets: [{ metadata: { name: 'w' } }] })).toThrow(
      'a scenario holds widgets, which planScenarioRequests does not know how to create',
    );
  });
});
