import { describe, expect, it } from 'vitest';
import { pickCluster } from '../../src/clusters/index.js';

const clusters = ['prod-eu', 'prod-us', 'staging'];
const bindings = [
  { channels: ['C0INCIDENT'], namespaces: ['*'], cluster: 'prod-eu' },
  { channels: ['C0INCIDENT', 'C0GENERAL'], namespaces: ['*'] },
  { channels: ['C0GENERAL'], namespaces: ['*'], cluster: 'gone' },
];

describe('pickCluster', () => {
  it.each([
    {
      name: 'a named cluster wins over the channel default',
      named: 'staging',
      channel: 'C0INCIDENT',
      want: { ok: true, cluster: 'staging', by: 'named' },
    },
    {
      name: 'the channel default',
      named: undefined,
      channel: 'C0INCIDENT',
      want: { ok: true, cluster: 'prod-eu', by: 'channel' },
    },
    {
      name: 'a default naming no configured cluster is no default',
      named: undefined,
      channel: 'C0GENERAL',
      want: { ok: false, reason: 'unspecified', clusters },
    },
    { name: 'no default', named: undefined, channel: 'C0OTHER', want: { ok: false, reason: 'unspecified', clusters } },
    {
      name: 'an unknown name',
      named: 'mars',
      channel: 'C0INCIDENT',
      want: { ok: false, reason: 'unknown', cluster: 'mars', clusters },
    },
  ])('$name', ({ named, channel, want }) => {
    expect(pickCluster({ named, channel, bindings, clusters })).toEqual(want);
  });

  it('the only cluster needs no name', () => {
    expect(pickCluster({ channel: 'C0OTHER', bindings: [], clusters: ['solo'] })).toEqual({
      ok: true,
      cluster: 'solo',
      by: 'only',
    });
  });
});
