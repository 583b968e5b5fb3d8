import { describe, expect, it } from 'vitest';
import { buildConfig, channelIdOf, namesChannels, resolveChannelNames } from '../../src/config/index.js';

const listed = new Map([
  ['incident', 'C0INCIDENT'],
  ['platform', 'G0PLATFORM'],
]);
const config = (doc: unknown) => {
  const r = buildConfig(doc, {});
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};

describe('#channel names', () => {
  it('are accepted where a channel id is, and refused when not a name', () => {
    expect(buildConfig({ audit: { channel: '#incident' } }, {}).ok).toBe(true);
    expect(buildConfig({ audit: { channel: 'incident' } }, {})).toMatchObject({
      ok: false,
      errors: [
        'audit.channel: expected a Slack channel id like "C0123ABCD" or a name like "#incidents", got "incident"',
      ],
    });
  });

  it.each([
    ['nothing named', {}, false],
    [
      'ids only',
      { audit: { channel: 'C0INCIDENT' }, bindings: [{ channels: ['C0GENERAL'], namespaces: ['a'] }] },
      false,
    ],
    ['a binding by name', { bindings: [{ channels: ['C0X', '#incident'], namespaces: ['a'] }] }, true],
    ['a route by name', { alerts: { routes: [{ namespaces: ['a'], channel: '#platform' }] } }, true],
  ])('whether the configuration names any channel: %s', (_name, doc, want) => {
    expect(namesChannels(config(doc))).toBe(want);
  });

  it('every named channel becomes its id; ids and the rest of the configuration stay', () => {
    const c = config({
      alerts: { enabled: true, channel: '#Incident', routes: [{ namespaces: ['p-*'], channel: '#platform' }] },
      audit: { channel: 'C0AUDIT00' },
      bindings: [{ channels: ['#incident', 'C0GENERAL'], namespaces: ['demo'] }],
    });
    const { config: resolved, unresolved } = resolveChannelNames(c, listed);
    expect(unresolved).toEqual([]);
    expect(resolved.alerts).toMatchObject({
      channel: 'C0INCIDENT',
      routes: [{ namespaces: ['p-*'], channel: 'G0PLATFORM' }],
    });
    expect(resolved.audit.channel).toBe('C0AUDIT00');
    expect(resolved.bindings).toEqual([{ channels: ['C0INCIDENT', 'C0GENERAL'], namespaces: ['demo'] }]);
    expect(resolved.limits).toBe(c.limits);
    // The input is not changed.
    expect(c.alerts.channel).toBe('#Incident');
  });

  it('a name Slack did not list is named with its key, and left as written', () => {
    const c = config({ bindings: [{ channels: ['#incident', '#gone'], namespaces: ['demo'] }] });
    const { config: resolved, unresolved } = resolveChannelNames(c, listed);
    expect(unresolved).toEqual([{ key: 'bindings[0].channels[1]', name: '#gone' }]);
    expect(resolved.bindings[0]!.channels).toEqual(['C0INCIDENT', '#gone']);
  });

  it("many clusters: each cluster's alert channel and routes are resolved too, named by their keys", () => {
    const c = config({
      clusters: [
        { name: 'prod-eu', alerts: { channel: '#platform' } },
        {
          name: 'staging',
          alerts: {
            routes: [
              { namespaces: ['demo'], channel: '#Incident' },
              { namespaces: ['x'], channel: '#gone' },
            ],
          },
        },
      ],
    });
    expect(namesChannels(c)).toBe(true);
    const { config: resolved, unresolved } = resolveChannelNames(c, listed);
    expect(resolved.clusters?.[0]?.alerts.channel).toBe('G0PLATFORM');
    expect(resolved.clusters?.[1]?.alerts.routes.map((r) => r.channel)).toEqual(['C0INCIDENT', '#gone']);
    expect(unresolved).toEqual([{ key: 'clusters[1].alerts.routes[1].channel', name: '#gone' }]);
    expect(c.clusters?.[0]?.alerts.channel).toBe('#platform');
  });

  it.each([
    ['#incident', 'C0INCIDENT'],
    ['#INCIDENT', 'C0INCIDENT'],
    ['C0ANYID00', 'C0ANYID00'],
    ['#gone', undefined],
  ])('channelIdOf(%s) is %s', (channel, id) => {
    expect(channelIdOf(channel, listed)).toBe(id);
  });
});
