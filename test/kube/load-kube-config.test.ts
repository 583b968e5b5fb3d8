import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, KubeError, loadKubeConfig, loadKubeConfigWithSource } from '../../src/kube/index.js';
import { writeKubeconfig } from './write-kubeconfig.js';

let dir: string;
const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  writeKubeconfig(join(dir, 'config'), 'http://127.0.0.1:6443', { context: 'sim', extraContexts: ['staging'] });
});

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(run: () => unknown): KubeError {
  try {
    run();
  } catch (e) {
    if (e instanceof KubeError) return e;
    throw e;
  }
  throw new Error('expected a KubeError');
}

describe('loadKubeConfig', () => {
  it('loads an explicit kubeconfig path and its current context', () => {
    const { kubeConfig, source } = loadKubeConfigWithSource({ kubeconfigPath: join(dir, 'config') });
    expect(source).toBe('file');
    expect(kubeConfig.getCurrentContext()).toBe('sim');
    expect(kubeConfig.getCurrentCluster()?.server).toBe('http://127.0.0.1:6443');
  });

  it('switches to the context asked for', () => {
    const kc = loadKubeConfig({ kubeconfigPath: join(dir, 'config'), context: 'staging' });
    expect(kc.getCurrentContext()).toBe('staging');
  });

  it('an unknown context is Invalid and lists the ones the file has', () => {
    const err = thrown(() => loadKubeConfig({ kubeconfigPath: join(dir, 'config'), context: 'prod' }));
    expect(err.kind).toBe('Invalid');
    expect(err.message).toContain('context "prod" is not in');
    expect(err.message).toContain('it has: sim, staging');
  });

  it('a kubeconfig path that does not exist says which setting named it', () => {
    const err = thrown(() => loadKubeConfig({ kubeconfigPath: join(dir, 'nope') }));
    expect(err.kind).toBe('Unavailable');
    expect(err.message).toBe(
      `kubeconfig ${join(dir, 'nope')} does not exist (set by kubernetes.kubeconfig or --kubeconfig)`,
    );
  });

  it('a kubeconfig that is not YAML is Invalid, not a crash', () => {
    writeFileSync(join(dir, 'broken'), 'clusters: [unclosed\n');
    const err = thrown(() => loadKubeConfig({ kubeconfigPath: join(dir, 'broken') }));
    expect(err.kind).toBe('Invalid');
    expect(err.message).toContain(`cannot load kubeconfig from ${join(dir, 'broken')}`);
  });

  it('falls back to KUBECONFIG when no path is given', () => {
    process.env.KUBECONFIG = join(dir, 'config');
    const { kubeConfig, source } = loadKubeConfigWithSource();
    expect(source).toBe('KUBECONFIG');
    expect(kubeConfig.getCurrentCluster()?.server).toBe('http://127.0.0.1:6443');
  });

  it('then to ~/.kube/config', () => {
    delete process.env.KUBECONFIG;
    const home = join(dir, 'home-with-config');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeKubeconfig(join(home, '.kube', 'config'), 'http://127.0.0.1:7443');
    process.env.HOME = home;
    const { kubeConfig, source } = loadKubeConfigWithSource();
    expect(source).toBe('home');
    expect(kubeConfig.getCurrentCluster()?.server).toBe('http://127.0.0.1:7443');
  });

  it("refuses client-node's silent fallback to http://localhost:8080 and says what to configure", () => {
    delete process.env.KUBECONFIG;
    const empty = join(dir, 'empty-home');
    mkdirSync(empty, { recursive: true });
    process.env.HOME = empty;
    const err = thrown(() => loadKubeConfig());
    expect(err.kind).toBe('Unavailable');
    expect(err.message).toBe(
      'no Kubernetes configuration found: set kubernetes.kubeconfig in the config file, the KUBECONFIG environment ' +
        'variable or --kubeconfig, create ~/.kube/config, or run in a pod with a ServiceAccount token',
    );
  });

  it('a kubeconfig with no current-context is Invalid before any call is made', () => {
    writeFileSync(
      join(dir, 'no-current'),
      'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\ncurrent-context: ""\n',
    );
    const err = thrown(() => loadKubeConfig({ kubeconfigPath: join(dir, 'no-current') }));
    expect(err.kind).toBe('Invalid');
    expect(err.message).toContain('has no usable current context');
  });

  it('a plain http: server without insecure-skip-tls-verify is refused at load, naming the fix', () => {
    writeFileSync(
      join(dir, 'plain-http'),
      `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: http://127.0.0.1:8001
users:
- name: u
  user:
    token: t
contexts:
- name: local
  context: {cluster: local, user: u}
current-context: local
`,
    );
    const err = thrown(() => loadKubeConfig({ kubeconfigPath: join(dir, 'plain-http') }));
    expect(err.kind).toBe('Invalid');
    expect(err.message).toContain('add insecure-skip-tls-verify: true');
  });

  it('the client takes its cluster name and server from the current context', () => {
    const kube = createKubeClient(loadKubeConfig({ kubeconfigPath: join(dir, 'config') }), { timeoutMs: 1000 });
    expect(kube).toMatchObject({ clusterName: 'sim', server: 'http://127.0.0.1:6443', timeoutMs: 1000 });
    expect(kube.kubeConfig.getCurrentContext()).toBe('sim');
    const named = createKubeClient(kube.kubeConfig, { timeoutMs: 1000, clusterName: 'prod-eu' });
    expect(named.clusterName).toBe('prod-eu');
  });
});
