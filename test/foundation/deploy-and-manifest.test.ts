import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';

const read = (path: string) => yaml.loadAll(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as any[];

describe('manifest.yml, the Slack app manifest', () => {
  const [manifest] = read('manifest.yml');
  it('declares the slash command the bot listens for, interactivity and Socket Mode', () => {
    expect(manifest.features.slash_commands.map((c: any) => c.command)).toEqual(['/debugdead']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
  it('asks for exactly the scopes the bot uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'files:write', 'usergroups:read']),
    );
  });
});

describe('deploy/base', () => {
  it('ships a configuration the bot accepts', () => {
    const [config] = read('deploy/base/debugdead.yaml');
    expect(buildConfig(config, {})).toMatchObject({ ok: true });
  });
  it('labels the node-shell namespace privileged, as node shells need', () => {
    const [ns] = read('deploy/base/namespace.yaml');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });
  it('grants the bot only what it uses: no secrets, no exec, no wildcards', () => {
    const role = read('deploy/base/rbac.yaml').find((d) => d.kind === 'ClusterRole');
    const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const grants = rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${res}`)));
    expect(grants).toEqual(
      expect.arrayContaining(['get pods/log', 'list events', 'create pods', 'delete pods', 'watch pods']),
    );
    expect(grants.some((g) => /secrets|pods\/exec|\*/.test(g))).toBe(false);
  });
});
