import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { findManifest, REPO_ROOT, renderKustomization } from '../support/render-deploy.js';

const gateway = renderKustomization('deploy/overlays/gateway');
const agent = renderKustomization('deploy/overlays/agent');
const envOf = (deployment: Record<string, any>) =>
  Object.fromEntries(
    (deployment.spec.template.spec.containers[0].env as { name: string; value?: string }[]).map((e) => [
      e.name,
      e.value,
    ]),
  );
const configText = (overlay: string) =>
  readFileSync(join(REPO_ROOT, 'deploy/overlays', overlay, 'debugdead.yaml'), 'utf8');

describe('deploy/overlays/gateway and deploy/overlays/agent, rendered by kubectl kustomize', () => {
  it('the gateway has no cluster credentials: no ServiceAccount token, no RBAC, no Redis of its own', () => {
    const deployment = findManifest(gateway, 'Deployment', 'debugdead-gateway', 'debugdead-system');
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(envOf(deployment).DEBUGDEAD_ROLE).toBe('gateway');
    const kinds = gateway.map((m) => m.kind);
    for (const kind of ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'])
      expect(kinds).not.toContain(kind);
  });

  it('an agent is its cluster: DEBUGDEAD_ROLE=agent, a cluster of the shared config, no Slack secret, no Redis here', () => {
    const deployment = findManifest(agent, 'Deployment', 'debugdead', 'debugdead-system');
    const env = envOf(deployment);
    expect(env.DEBUGDEAD_ROLE).toBe('agent');
    const config = buildConfig(yaml.load(configText('agent')), { DEBUGDEAD_SIGNING_KEY: 'k'.repeat(64) });
    expect(config.ok).toBe(true);
    if (config.ok) expect(config.config.clusters?.map((c) => c.name)).toContain(env.DEBUGDEAD_CLUSTER);
    const secrets = JSON.stringify(deployment.spec.template.spec.containers[0].envFrom);
    expect(secrets).toContain('debugdead-agent');
    expect(secrets).not.toContain('debugdead-secrets');
    expect(agent.filter((m) => m.metadata?.name === 'debugdead-redis')).toEqual([]);
    expect(env.REDIS_URL).toMatch(/^rediss:\/\//);
  });

  it('the gateway and the agents read the same configuration', () => {
    expect(configText('gateway')).toBe(configText('agent'));
  });
});
