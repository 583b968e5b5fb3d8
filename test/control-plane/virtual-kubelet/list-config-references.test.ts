import { describe, expect, it } from 'vitest';
import { listConfigReferences } from './list-config-references.js';

describe('the ConfigMaps and Secrets a pod names', () => {
  it.each([
    ['none', { containers: [{ name: 'a' }] }, []],
    [
      'volumes, projected sources (the service-account token volume) and secrets',
      {
        volumes: [
          { name: 'c', configMap: { name: 'app-config' } },
          { name: 's', secret: { secretName: 'tls' } },
          {
            name: 't',
            projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }, { secret: { name: 'extra' } }] },
          },
        ],
        containers: [{ name: 'a' }],
      },
      [
        { resource: 'configmaps', name: 'app-config' },
        { resource: 'secrets', name: 'tls' },
        { resource: 'configmaps', name: 'kube-root-ca.crt' },
        { resource: 'secrets', name: 'extra' },
      ],
    ],
    [
      'env and envFrom of init, regular and ephemeral containers, each once, optional ones too',
      {
        initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'shared' } }] }],
        containers: [
          {
            name: 'a',
            envFrom: [{ secretRef: { name: 'db', optional: true } }],
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'shared', key: 'x' } } }],
          },
        ],
        ephemeralContainers: [
          { name: 'd', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'token', key: 't' } } }] },
        ],
      },
      [
        { resource: 'configmaps', name: 'shared' },
        { resource: 'secrets', name: 'db' },
        { resource: 'secrets', name: 'token' },
      ],
    ],
  ])('%s', (_what, spec, refs) => {
    expect(listConfigReferences(spec)).toEqual(refs);
  });
});
