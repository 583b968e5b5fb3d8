import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { podSecurityViolations } from '../sim/kube/server/pod-security.js';
import type { KubeObject } from '../sim/kube/store-contract.js';
import { findManifest, type Manifest, REPO_ROOT, renderKustomization } from '../support/render-deploy.js';

const install = renderKustomization('deploy/overlays/example');
// Generated with a content hash in its name (debugdead-config-<hash>), which kustomize writes into the Deployment.
const configMap = install.find(
  (m) => m.kind === 'ConfigMap' && /^debugdead-config-[a-z0-9]{10}$/.test(m.metadata?.name ?? ''),
) as Manifest;
if (!configMap) throw new Error('no hashed ConfigMap debugdead-config-<hash> in the rendered install');
const built = buildConfig(yaml.load(configMap.data['debugdead.yaml']), {});
if (!built.ok) throw new Error(built.errors.join('\n'));
const config = built.config;

/** A Deployment's pod, as the ReplicaSet controller would create it. */
const podOf = (d: Manifest): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { ...d.spec.template.metadata, namespace: d.metadata.namespace },
  spec: d.spec.template.spec,
});
const level = (ns: string) =>
  findManifest(install, 'Namespace', ns).metadata.labels['pod-security.kubernetes.io/enforce'];

describe('deploy/overlays/example, rendered by kubectl kustomize', () => {
  it('runs the bot and Redis in a namespace that enforces Pod Security "restricted", and both pass it', () => {
    expect(level('debugdead-system')).toBe('restricted');
    for (const name of ['debugdead', 'debugdead-redis']) {
      const deployment = findManifest(install, 'Deployment', name, 'debugdead-system');
      expect({ name, violations: podSecurityViolations(podOf(deployment), 'restricted') }).toEqual({
        name,
        violations: [],
      });
    }
  });

  it('gives node shells their own privileged namespace, the one the config names, and denies diagnosing there', () => {
    expect(config.nodeShell.namespace).toBe('debugdead-nodeshell');
    expect(level(config.nodeShell.namespace)).toBe('privileged');
    expect(config.namespaces.deny).toEqual(expect.arrayContaining(['debugdead-system', config.nodeShell.namespace]));
    const privilegedPods = install
      .filter((m) => m.kind === 'Deployment')
      .filter((d) => d.metadata.namespace === config.nodeShell.namespace);
    expect(privilegedPods).toEqual([]);
  });

  it('grants pod writes only through RoleBindings, in exactly the allowed namespaces plus the node-shell one', () => {
    const clusterBound = install
      .filter((m) => m.kind === 'ClusterRoleBinding')
      .map((b) => findManifest(install, 'ClusterRole', b.roleRef.name));
    const clusterVerbs = clusterBound.flatMap((r) => r.rules.flatMap((rule: Manifest) => rule.verbs));
    expect(new Set(clusterVerbs)).toEqual(new Set(['get', 'list', 'watch']));

    const writers = install.filter((m) => m.kind === 'RoleBinding' && m.roleRef.name === 'debugdead-pod-writer');
    expect(writers.map((b) => b.metadata.namespace).sort()).toEqual(
      [...config.namespaces.allow, config.nodeShell.namespace].sort(),
    );
    // The allow list names namespaces, not globs: RBAC cannot bind a pattern.
    expect(config.namespaces.allow.filter((n) => /[*?]/.test(n))).toEqual([]);
    for (const b of writers)
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'debugdead', namespace: 'debugdead-system' }]);
  });

  it('grants no secrets, no exec, no wildcards anywhere', () => {
    const rules = install
      .filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role')
      .flatMap((r) => r.rules as Manifest[]);
    const grants = rules.flatMap((r) =>
      r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${v} ${res}`)),
    );
    expect(grants.filter((g) => /secrets|pods\/exec|pods\/attach|\*|escalate|bind|impersonate/.test(g))).toEqual([]);
  });

  it('makes Redis ask for a password from a Secret, and gives the bot the same one', () => {
    const redis = findManifest(install, 'Deployment', 'debugdead-redis', 'debugdead-system');
    const [container] = redis.spec.template.spec.containers;
    const fromSecret = { valueFrom: { secretKeyRef: { name: 'debugdead-redis', key: 'password' } } };
    expect(container.env).toContainEqual({ name: 'REDIS_PASSWORD', ...fromSecret });
    expect(container.args.join(' ')).toMatch(/requirepass/);
    // The password itself never appears in the pod spec.
    expect(JSON.stringify(redis)).not.toMatch(/requirepass [^%]/);
    const bot = findManifest(install, 'Deployment', 'debugdead', 'debugdead-system');
    expect(bot.spec.template.spec.containers[0].env).toContainEqual({ name: 'REDIS_PASSWORD', ...fromSecret });
  });

  it('admits only the bot pods to Redis through a NetworkPolicy', () => {
    const redis = findManifest(install, 'Deployment', 'debugdead-redis', 'debugdead-system');
    const bot = findManifest(install, 'Deployment', 'debugdead', 'debugdead-system');
    const policy = findManifest(install, 'NetworkPolicy', 'debugdead-redis', 'debugdead-system');
    expect(policy.spec.podSelector.matchLabels).toEqual(redis.spec.template.metadata.labels);
    expect(policy.spec.policyTypes).toContain('Ingress');
    expect(policy.spec.ingress).toHaveLength(1);
    const [rule] = policy.spec.ingress;
    expect(rule.from).toEqual([{ podSelector: { matchLabels: bot.spec.template.metadata.labels } }]);
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 6379 }]);
  });

  it('keeps Redis data on a PersistentVolumeClaim, with maxmemory set and no eviction', () => {
    const redis = findManifest(install, 'Deployment', 'debugdead-redis', 'debugdead-system');
    const volumes = redis.spec.template.spec.volumes as Manifest[];
    const data = volumes.find((v) => v.name === 'data');
    expect(data?.persistentVolumeClaim?.claimName).toBe('debugdead-redis');
    findManifest(install, 'PersistentVolumeClaim', 'debugdead-redis', 'debugdead-system');
    const conf = findManifest(install, 'ConfigMap', 'debugdead-redis', 'debugdead-system').data['redis.conf'];
    expect(conf).toMatch(/^maxmemory \d+mb$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
  });

  it('sets requests and a memory limit on every container', () => {
    for (const d of install.filter((m) => m.kind === 'Deployment')) {
      for (const c of d.spec.template.spec.containers) {
        expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources.limits.memory).toEqual(expect.any(String));
      }
    }
  });

  it('mounts the hashed ConfigMap, so an edit of debugdead.yaml renames it and `kubectl apply -k` rolls the pods', () => {
    const deployment = findManifest(install, 'Deployment', 'debugdead', 'debugdead-system');
    const volume = deployment.spec.template.spec.volumes.find((v: Manifest) => v.name === 'config');
    expect(volume.configMap.name).toBe(configMap.metadata.name);
  });

  it('can write the audit file debugdead.example.yaml names: a writable volume is mounted there', () => {
    const example = buildConfig(yaml.load(readFileSync(join(REPO_ROOT, 'debugdead.example.yaml'), 'utf8')), {});
    if (!example.ok) throw new Error(example.errors.join('\n'));
    const file = example.config.audit.file as string;
    const deployment = findManifest(install, 'Deployment', 'debugdead', 'debugdead-system');
    const container = deployment.spec.template.spec.containers.find((c: Manifest) => c.name === 'debugdead');
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const mount = (container.volumeMounts as Manifest[]).find((m) => file.startsWith(`${m.mountPath}/`));
    expect(mount, `no volume mounted above ${file}`).toBeDefined();
    expect(mount?.readOnly ?? false).toBe(false);
    const volume = deployment.spec.template.spec.volumes.find((v: Manifest) => v.name === mount?.name);
    expect(volume.emptyDir ?? volume.persistentVolumeClaim).toBeDefined();
  });

  it('probes /healthz and /readyz on the health port the configuration listens on', () => {
    const deployment = findManifest(install, 'Deployment', 'debugdead', 'debugdead-system');
    const container = deployment.spec.template.spec.containers.find((c: Manifest) => c.name === 'debugdead');
    const port = container.ports.find((p: Manifest) => p.name === 'health');
    expect(port.containerPort).toBe(config.health.port);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
  });
});
