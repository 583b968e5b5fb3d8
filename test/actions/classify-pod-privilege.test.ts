import { describe, expect, it } from 'vitest';
import { classifyPodPrivilege, privilegeClassOf } from '../../src/actions/index.js';
import type { PodSpec } from '../../src/kube/types.js';

const app = (securityContext?: object) => ({
  name: 'app',
  image: 'nginx',
  ...(securityContext ? { securityContext } : {}),
});
const spec = (over: Partial<PodSpec> = {}): PodSpec => ({ containers: [app()], ...over }) as PodSpec;
const ctx = { namespace: 'shop', sensitiveServiceAccounts: ['kube-system/*', '*/cluster-admin'] };

describe('whether a clone of a pod would be privileged', () => {
  it.each([
    ['a plain pod', spec(), []],
    ['a privileged container', spec({ containers: [app({ privileged: true })] }), ['privileged container app']],
    [
      'a privileged init container',
      spec({ initContainers: [{ ...app({ privileged: true }), name: 'init' }] }),
      ['privileged container init'],
    ],
    ['hostPID', spec({ hostPID: true }), ['hostPID']],
    ['hostIPC', spec({ hostIPC: true }), ['hostIPC']],
    ['hostNetwork', spec({ hostNetwork: true }), ['hostNetwork']],
    ['a hostPath volume', spec({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }), ['hostPath volume root (/)']],
    ['an emptyDir is fine', spec({ volumes: [{ name: 'tmp', emptyDir: {} }] }), []],
    [
      'NET_BIND_SERVICE is within baseline',
      spec({ containers: [app({ capabilities: { add: ['NET_BIND_SERVICE'] } })] }),
      [],
    ],
    [
      'CAP_CHOWN spelled with its prefix is within baseline',
      spec({ containers: [app({ capabilities: { add: ['CAP_CHOWN'] } })] }),
      [],
    ],
    [
      'SYS_ADMIN is beyond baseline',
      spec({ containers: [app({ capabilities: { add: ['SYS_ADMIN'] } })] }),
      ['capabilities SYS_ADMIN in app'],
    ],
    [
      'ALL is beyond baseline',
      spec({ containers: [app({ capabilities: { add: ['all'] } })] }),
      ['capabilities ALL in app'],
    ],
    ['dropping capabilities is fine', spec({ containers: [app({ capabilities: { drop: ['ALL'] } })] }), []],
    ['an unmasked /proc', spec({ containers: [app({ procMount: 'Unmasked' })] }), ['unmasked /proc in app']],
    [
      'seccomp Unconfined on the pod',
      spec({ securityContext: { seccompProfile: { type: 'Unconfined' } } }),
      ['seccomp Unconfined'],
    ],
    [
      'an unsafe sysctl',
      spec({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }),
      ['sysctl kernel.msgmax'],
    ],
    ['a safe sysctl', spec({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] } }), []],
    [
      'a sensitive ServiceAccount',
      spec({ serviceAccountName: 'cluster-admin' }),
      ['ServiceAccount shop/cluster-admin'],
    ],
    ['an ordinary ServiceAccount', spec({ serviceAccountName: 'web' }), []],
  ])('%s', (_name, podSpec, reasons) => {
    expect(classifyPodPrivilege(podSpec, ctx)).toEqual(reasons);
    expect(privilegeClassOf('clone', classifyPodPrivilege(podSpec, ctx))).toBe(
      reasons.length ? 'privileged' : 'standard',
    );
  });

  it('every reason is reported, not only the first', () => {
    const reasons = classifyPodPrivilege(
      spec({
        hostPID: true,
        hostNetwork: true,
        volumes: [{ name: 'r', hostPath: { path: '/' } }],
        containers: [app({ privileged: true })],
      }),
      ctx,
    );
    expect(reasons).toHaveLength(4);
  });

  it('the default ServiceAccount of kube-system is sensitive by glob', () => {
    expect(classifyPodPrivilege(spec(), { ...ctx, namespace: 'kube-system' })).toEqual([
      'ServiceAccount kube-system/default',
    ]);
  });

  it('a node shell is privileged whatever its spec', () => {
    expect(privilegeClassOf('node-shell', [])).toBe('privileged');
  });
});

describe('debug containers already in the pod', () => {
  it('do not make it privileged: a clone drops them, and a new debug container gets its own profile', () => {
    expect(
      classifyPodPrivilege(
        {
          containers: [{ name: 'app', image: 'web' }],
          ephemeralContainers: [
            { name: 'debugger-a', image: 'busybox', securityContext: { privileged: true } },
            { name: 'debugger-b', image: 'busybox', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } },
          ],
        },
        { namespace: 'shop', sensitiveServiceAccounts: [] },
      ),
    ).toEqual([]);
  });
});
