import { describe, expect, it } from 'vitest';
import { configuredChannels } from '../../src/startup/describe-slack-problem.js';

const routes = (...channels: string[]) => channels.map((channel) => ({ channel }));

describe('the channels probed at start', () => {
  it.each([
    {
      name: 'one cluster: the global alert channel, its routes and the audit channel',
      config: {
        alerts: { enabled: true, channel: 'C0ALERTS', routes: routes('C0ROUTE') },
        audit: { channel: 'C0AUDIT' },
      },
      want: [
        { key: 'alerts.channel', channel: 'C0ALERTS' },
        { key: 'alerts.routes[0].channel', channel: 'C0ROUTE' },
        { key: 'audit.channel', channel: 'C0AUDIT' },
      ],
    },
    {
      name: "many clusters: each cluster's own alert channel and routes too, by their keys",
      config: {
        alerts: { enabled: true, channel: 'C0ALERTS', routes: [] },
        audit: {},
        clusters: [{ alerts: { routes: [] } }, { alerts: { channel: 'G0PLATFORM', routes: routes('C0US1', 'C0US2') } }],
      },
      want: [
        { key: 'alerts.channel', channel: 'C0ALERTS' },
        { key: 'clusters[1].alerts.channel', channel: 'G0PLATFORM' },
        { key: 'clusters[1].alerts.routes[0].channel', channel: 'C0US1' },
        { key: 'clusters[1].alerts.routes[1].channel', channel: 'C0US2' },
      ],
    },
    {
      name: 'alerts off: no alert channel of any cluster',
      config: {
        alerts: { enabled: false, channel: 'C0ALERTS', routes: [] },
        audit: { channel: 'C0AUDIT' },
        clusters: [{ alerts: { channel: 'G0PLATFORM', routes: [] } }],
      },
      want: [{ key: 'audit.channel', channel: 'C0AUDIT' }],
    },
  ])('$name', ({ config, want }) => {
    expect(configuredChannels(config)).toEqual(want);
  });
});
