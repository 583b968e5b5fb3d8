import { describe, expect, it } from 'vitest';
import { applyReload, buildConfig, type Config, planReload } from '../../src/config/index.js';

const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DEBUGDEAD_SIGNING_KEY: 'k'.repeat(32) };
function configOf(yaml: Record<string, unknown>): Config {
  const built = buildConfig(yaml, env);
  if (!built.ok) throw new Error(built.errors.join('\n'));
  return built.config;
}

describe('planReload: which changed keys apply live and which wait for a restart', () => {
  it.each([
    { name: 'nothing changed', next: {}, live: [], restart: [] },
    { name: 'an approver added', next: { approvers: { users: ['U0123ABCD'] } }, live: ['approvers'], restart: [] },
    { name: 'a limit changed', next: { limits: { activePerUser: 5 } }, live: ['limits'], restart: [] },
    { name: 'the log level', next: { log: { level: 'debug' } }, live: ['log.level'], restart: [] },
    {
      name: 'node-shell approvers, not its namespace',
      next: { nodeShell: { approvers: { users: ['U0456EFGH'] }, namespace: 'x' } },
      live: ['nodeShell.approvers'],
      restart: ['nodeShell.namespace'],
    },
    { name: 'the Slack mode', next: { slack: { mode: 'http' } }, live: [], restart: ['slack.mode'] },
    {
      name: 'alerts',
      next: { alerts: { enabled: true, channel: 'C0123' } },
      live: [],
      restart: ['alerts.channel', 'alerts.enabled'],
    },
    { name: 'the health port', next: { health: { port: 9090 } }, live: [], restart: ['health.port'] },
  ])('$name', ({ next, live, restart }) => {
    expect(planReload(configOf({}), configOf(next))).toEqual({ live, restart });
  });
});

describe('applyReload', () => {
  it('writes live keys into the running objects in place, and leaves the other keys alone', () => {
    const running = configOf({});
    const limits = running.limits;
    const next = configOf({ limits: { activePerUser: 7 }, namespaces: { deny: [] }, slack: { mode: 'http' } });
    applyReload(running, next, planReload(running, next).live);
    expect(running.limits).toBe(limits);
    expect(limits.activePerUser).toBe(7);
    expect(running.namespaces.deny).toEqual([]);
    expect(running.slack.mode).toBe('socket');
    // The running configuration shares nothing with the loaded one: a later reload cannot alias them.
    next.namespaces.deny.push('x');
    expect(running.namespaces.deny).toEqual([]);
  });
});

describe('mute.approvers applies live, set and left out again', () => {
  it('narrows the running configuration at once, and leaving it out restores the default', () => {
    const running = configOf({});
    const narrowed = configOf({ mute: { approvers: { groups: ['S0ONCALL0'] } } });
    const plan = planReload(running, narrowed);
    expect(plan).toEqual({ live: ['mute.approvers'], restart: [] });
    applyReload(running, narrowed, plan.live);
    expect(running.mute.approvers).toEqual({ users: [], groups: ['S0ONCALL0'] });
    const back = configOf({});
    applyReload(running, back, planReload(running, back).live);
    expect(running.mute.approvers).toBeUndefined();
  });
});
