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
    // test/security/rbac-matches-use.test.ts runs every flow with these scopes and no others.
    expect(manifest.oauth_config.scopes.bot).toEqual([
      'commands',
      'chat:write',
      'chat:write.public',
      'files:write',
      'usergroups:read',
      'channels:history',
      'groups:history',
      'channels:read',
      'groups:read',
    ]);
  });
});

describe('deploy/overlays/example', () => {
  it('ships a configuration the bot accepts', () => {
    const [config] = read('deploy/overlays/example/debugdead.yaml');
    expect(buildConfig(config, {})).toMatchObject({ ok: true });
  });
});
