import { spawnSync } from 'node:child_process';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import {
  type ControlPlane,
  findControlPlaneBinaries,
  HOW_TO_BUILD_CONTROL_PLANE,
  runKubectl,
  startControlPlane,
} from '../control-plane/index.js';

// The install the README tells people to apply: `kubectl apply -k deploy/overlays/example`. It must render, and the
// real API server must accept every object it renders, field by field (server-side dry run, strict validation).

const OVERLAY = 'deploy/overlays/example';
const noKubectl = spawnSync(process.env.KUBECTL ?? 'kubectl', ['version', '--client']).error
  ? 'kubectl is not on PATH (set KUBECTL to use another one).'
  : undefined;
const noPlane = noKubectl ?? (findControlPlaneBinaries() === undefined ? HOW_TO_BUILD_CONTROL_PLANE : undefined);
if (noPlane) console.warn(noPlane);

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: any;
  data?: Record<string, string>;
};

async function render(): Promise<{ text: string; objects: Manifest[] }> {
  const rendered = await runKubectl('/dev/null', ['kustomize', OVERLAY]);
  expect(rendered.code, rendered.stderr).toBe(0);
  return { text: rendered.stdout, objects: (yaml.loadAll(rendered.stdout) as Manifest[]).filter(Boolean) };
}

(noKubectl ? describe.skip : describe)(`kubectl kustomize ${OVERLAY}`, () => {
  it('renders the whole install: namespaces, RBAC, Redis, the bot, its hashed configuration', async () => {
    const { objects } = await render();
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'Namespace/debugdead-system',
        'Namespace/debugdead-nodeshell',
        'ServiceAccount/debugdead',
        'ClusterRole/debugdead-pod-writer',
        'RoleBinding/debugdead-pod-writer',
        'Deployment/debugdead',
        'Deployment/debugdead-redis',
        'NetworkPolicy/debugdead-redis',
      ]),
    );
    for (const o of objects) {
      expect(o.apiVersion, `${o.kind}/${o.metadata.name}`).toMatch(/^[a-z0-9.]+\/v\d|^v1$/);
      expect(o.metadata.name, o.kind).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
    // The ConfigMap's name carries its content's hash, and the Deployment mounts that name: an edit rolls the pods.
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('debugdead-config-'))!;
    expect(config.metadata.name).toMatch(/^debugdead-config-[a-z0-9]{10}$/);
    const bot = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'debugdead')!;
    const volumes = bot.spec.template.spec.volumes as { name: string; configMap?: { name: string } }[];
    expect(volumes.find((v) => v.name === 'config')?.configMap?.name).toBe(config.metadata.name);
    // The overlay's image, not the base's placeholder.
    expect(bot.spec.template.spec.containers[0].image).toBe('registry.example.com/platform/debugdead:0.1.0');
    // The configuration it ships is one the bot accepts, and its audit file is on the writable volume.
    const built = buildConfig(yaml.load(config.data!['debugdead.yaml'] ?? ''), {});
    expect(built.ok && built.config.audit.file).toBe('/var/log/debugdead/audit.log');
    const mounts = bot.spec.template.spec.containers[0].volumeMounts as { mountPath: string; readOnly?: boolean }[];
    const auditDir = mounts.find((m) => '/var/log/debugdead/audit.log'.startsWith(`${m.mountPath}/`));
    expect(auditDir?.readOnly).not.toBe(true);
    expect(bot.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

(noPlane ? describe.skip : describe)(
  noPlane ? `${OVERLAY} against a real API server: skipped. ${noPlane}` : `${OVERLAY} against a real API server`,
  () => {
    let plane: ControlPlane;
    beforeAll(async () => {
      plane = await startControlPlane();
    }, 120_000);
    afterAll(async () => {
      await plane?.stop();
    });

    it('every object it renders is valid: a server-side dry run with strict field validation accepts them all', async () => {
      const { text, objects } = await render();
      const kubectl = (args: string[], input?: string) => runKubectl(plane.kubeconfig, args, input);
      // A dry run of a namespaced object needs its namespace: the install's own, and those its RoleBindings grant in.
      for (const ns of new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))) {
        const made = await kubectl(['create', 'namespace', ns, '--save-config']);
        expect(made.code, made.stderr).toBe(0);
      }
      const dry = await kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], text);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stderr).toBe('');
      // One line per object, each accepted.
      const lines = dry.stdout.trim().split('\n');
      expect(lines).toHaveLength(objects.length);
      expect(lines.every((l) => /\((server dry run)\)$/.test(l))).toBe(true);
    }, 60_000);

    it('the dry run is a real check: an unknown field is refused', async () => {
      const { objects } = await render();
      const bot = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'debugdead')!;
      bot.spec.template.spec.containers[0].readinessProbes = bot.spec.template.spec.containers[0].readinessProbe;
      const dry = await runKubectl(
        plane.kubeconfig,
        ['apply', '--dry-run=server', '--validate=strict', '-f', '-'],
        yaml.dump(bot),
      );
      expect(dry.code).not.toBe(0);
      expect(dry.stderr).toMatch(/unknown field "spec\.template\.spec\.containers\[0\]\.readinessProbes"/);
    }, 60_000);
  },
);
