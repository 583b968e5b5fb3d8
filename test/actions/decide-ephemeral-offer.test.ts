import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideEphemeralOffer,
  type EphemeralContext,
  ephemeralTargets,
  type Grant,
  pickEphemeralTarget,
  planDebugContainer,
} from '../../src/actions/index.js';
import { buildConfig, type Config } from '../../src/config/index.js';
import { debugContainerReadiness } from '../../src/conversation/debug-container-readiness.js';
import type { ContainerStatus, Pod } from '../../src/kube/types.js';
import { etcdMirrorPod, windowsIisPod } from '../debugpods/cluster-pod-shapes.js';

const running = (name: string): ContainerStatus => ({
  name,
  image: 'img',
  imageID: '',
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: new Date('2026-12-01T09:00:00Z') } },
});
const crashLooping = (name: string): ContainerStatus => ({
  name,
  image: 'img',
  imageID: '',
  ready: false,
  restartCount: 7,
  state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
});

/** A pod with `app` and a `proxy` sidecar (a native one when `native`), in the given states. */
function pod(app: ContainerStatus | undefined, proxy?: ContainerStatus, native = false): Pod {
  const sidecar = { name: 'proxy', image: 'envoy', ...(native ? { restartPolicy: 'Always' } : {}) };
  return {
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: {
      containers: [{ name: 'app', image: 'web' }, ...(proxy && !native ? [sidecar] : [])],
      ...(native ? { initContainers: [sidecar] } : {}),
    },
    status: {
      phase: 'Running',
      containerStatuses: [...(app ? [app] : []), ...(proxy && !native ? [proxy] : [])],
      ...(native && proxy ? { initContainerStatuses: [proxy] } : {}),
    },
  };
}
const general: EphemeralContext = { profile: 'general' };

describe('which containers a debug container can target', () => {
  it.each([
    ['a running app', pod(running('app')), ['app']],
    ['a crash-looping app with a live sidecar', pod(crashLooping('app'), running('proxy')), ['proxy']],
    ['a crash-looping app with a live native sidecar', pod(crashLooping('app'), running('proxy'), true), ['proxy']],
    ['nothing running', pod(crashLooping('app'), crashLooping('proxy')), []],
    ['a pod not started', { metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'x' }] } }, []],
  ])('%s: %j', (_name, p, targets) => {
    expect(ephemeralTargets(p as Pod)).toEqual(targets);
  });

  it('a container running between two crashes (restarted, not ready) is no target: it is killed again soon', () => {
    const between: ContainerStatus = {
      ...running('app'),
      ready: false,
      restartCount: 4,
      lastState: { terminated: { exitCode: 137, reason: 'Error' } },
    };
    expect(ephemeralTargets(pod(between))).toEqual([]);
    const offer = decideEphemeralOffer(pod(between), 'app', general);
    expect(offer.kind === 'none' && offer.reason).toMatch(/app: running between crashes, 4 restarts/);
    // Restarted once, long ago, and ready now: a target.
    expect(ephemeralTargets(pod({ ...between, ready: true }))).toEqual(['app']);
  });

  it('an ordinary init container that runs (not a sidecar) is not offered: it ends before the pod runs', () => {
    const p = pod(undefined);
    p.spec!.initContainers = [{ name: 'migrate', image: 'm' }];
    p.status!.initContainerStatuses = [running('migrate')];
    expect(ephemeralTargets(p)).toEqual([]);
  });

  it('the diagnosis offers its own container when it runs, else the first that runs', () => {
    expect(pickEphemeralTarget(pod(running('app'), running('proxy')), ['app', 'proxy'], 'proxy')).toBe('proxy');
    expect(pickEphemeralTarget(pod(crashLooping('app'), running('proxy')), ['app', 'proxy'], 'app')).toBe('proxy');
    // Nothing runs: the container the diagnosis is about, so the refusal names it.
    expect(pickEphemeralTarget(pod(crashLooping('app')), ['app'], 'app')).toBe('app');
  });
});

describe('decideEphemeralOffer: a running target, or the reason and what to do instead', () => {
  const ended = { ...pod(running('app')), status: { phase: 'Succeeded' as const } };
  const deleting = pod(running('app'));
  deleting.metadata!.deletionTimestamp = new Date('2026-12-01T10:00:00Z');
  const withEphemeral = pod(running('app'));
  withEphemeral.spec!.ephemeralContainers = [{ name: 'debugger-old', image: 'busybox' }];
  const windows = windowsIisPod();
  windows.status = { phase: 'Running', containerStatuses: [running(windows.spec!.containers[0]!.name)] };
  const mirror = etcdMirrorPod();
  mirror.status = { phase: 'Running', containerStatuses: [running(mirror.spec!.containers[0]!.name)] };

  it.each([
    ['a running target', pod(running('app')), 'app', general, { kind: 'attach', target: 'app' }],
    [
      'the live sidecar of a crash loop',
      pod(crashLooping('app'), running('proxy')),
      'proxy',
      general,
      { kind: 'attach', target: 'proxy' },
    ],
    [
      'a crash-looping target beside a live sidecar',
      pod(crashLooping('app'), running('proxy')),
      'app',
      general,
      /app is not running \(CrashLoopBackOff\).*target a running container \(proxy\)/,
    ],
    [
      'no running container',
      pod(crashLooping('app')),
      'app',
      general,
      /no container of the pod is running \(app: CrashLoopBackOff\).*debug clone/,
    ],
    ['a Windows pod', windows, windows.spec!.containers[0]!.name, general, /Windows pod.*nanoserver/],
    [
      "a static pod's mirror",
      mirror,
      mirror.spec!.containers[0]!.name,
      general,
      /static pods do not support ephemeral containers/,
    ],
    ['a pod being deleted', deleting, 'app', general, /being deleted/],
    ['an ended pod', ended, 'app', general, /has ended \(Succeeded\)/],
    ['an ephemeral container as target', withEphemeral, 'debugger-old', general, /itself an ephemeral container/],
    [
      'general under baseline',
      pod(running('app')),
      'app',
      { profile: 'general', podSecurityLevel: 'baseline' },
      /enforces Pod Security "baseline", which forbids the general profile.*baseline or restricted/,
    ],
    [
      'sysadmin under restricted',
      pod(running('app')),
      'app',
      { profile: 'sysadmin', podSecurityLevel: 'restricted' },
      /forbids the sysadmin profile.*set debugContainer.profile to restricted/,
    ],
    [
      'restricted under restricted',
      pod(running('app')),
      'app',
      { profile: 'restricted', podSecurityLevel: 'restricted' },
      { kind: 'attach', target: 'app' },
    ],
    [
      'a cluster without the subresource',
      pod(running('app')),
      'app',
      { ...general, servesSubresource: false },
      /does not serve pods\/ephemeralcontainers/,
    ],
    [
      'RBAC without patch',
      pod(running('app')),
      'app',
      { ...general, mayPatch: false },
      /may not patch pods\/ephemeralcontainers in shop.*debugdead-debug-containers/,
    ],
  ] as [string, Pod, string, EphemeralContext, object | RegExp][])('%s', (_name, p, target, context, expected) => {
    const offer = decideEphemeralOffer(p, target, context);
    if (expected instanceof RegExp) {
      expect(offer.kind).toBe('none');
      if (offer.kind === 'none') expect(`${offer.reason}. To fix: ${offer.fix}`).toMatch(expected);
    } else expect(offer).toEqual(expected);
  });

  it('offers exactly the running targets, whatever the states, and always says why not', () => {
    const state = fc.constantFrom(running, crashLooping);
    fc.assert(
      fc.property(state, state, fc.boolean(), fc.constantFrom('app', 'proxy'), (a, b, native, target) => {
        const p = pod(a('app'), b('proxy'), native);
        const offer = decideEphemeralOffer(p, target, general);
        expect(offer.kind === 'attach').toBe(ephemeralTargets(p).includes(target));
        if (offer.kind === 'none') expect(offer.reason.length * offer.fix.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('planDebugContainer: the container a grant allows, decided again from the pod and today`s config', () => {
  const built = buildConfig({}, {});
  if (!built.ok) throw new Error('defaults');
  const config: Config = built.config;
  const grant = (over: Partial<Grant> = {}): Grant => ({
    actionId: 'AbCdEfGh12.e0',
    kind: 'ephemeral',
    privilege: 'standard',
    cluster: 'default',
    namespace: 'shop',
    pod: 'web-1',
    container: 'app',
    profile: 'general',
    image: 'busybox:1.37-musl',
    requester: 'U1',
    approvers: ['U1'],
    expiresAt: '2026-12-01T10:10:00Z',
    ...over,
  });
  const live = pod(running('app'));

  it('plans the container, named from the action id', () => {
    const plan = planDebugContainer(grant(), live, config, {});
    expect(plan.ok && plan.built.name).toMatch(/^debugger-[a-z0-9]{5}$/);
    expect(plan.ok && plan.built.container.command).toEqual(['sleep', String(config.debugContainer.ttlSeconds)]);
    expect(planDebugContainer(grant(), live, config, {})).toEqual(plan);
  });

  it.each([
    ['a profile no longer configured', grant({ profile: 'sysadmin' }), /not the configured debugContainer.profile/],
    ['an image not on the allowlist', grant({ image: 'evil:latest' }), /not in debugContainer.images/],
    ['no target', grant({ container: undefined }), /names no pod or target container/],
    ['a target no longer running', grant({ container: 'proxy' }), /no debug container:/],
  ])('refuses %s', (_name, g, reason) => {
    const plan = planDebugContainer(g, live, config, {});
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.reason).toMatch(reason);
  });

  it.each([
    ['sysadmin', { ...config, debugContainer: { ...config.debugContainer, profile: 'sysadmin' as const } }, live],
    ['netadmin', { ...config, debugContainer: { ...config.debugContainer, profile: 'netadmin' as const } }, live],
    ['general in a hostPID pod', config, { ...live, spec: { ...live.spec!, hostPID: true } }],
  ])('a privileged debug container (%s) granted as standard is refused', (_name, cfg, p) => {
    const plan = planDebugContainer(grant({ profile: cfg.debugContainer.profile }), p as Pod, cfg, {});
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.reason).toMatch(/would be privileged .* needs the node-shell approvers/);
    expect(
      planDebugContainer(grant({ profile: cfg.debugContainer.profile, privilege: 'privileged' }), p as Pod, cfg, {}).ok,
    ).toBe(true);
  });
});

describe('debugContainerReadiness', () => {
  const withStatus = (s: Partial<ContainerStatus> | undefined, phase = 'Running'): Pod => ({
    metadata: { name: 'web-1' },
    status: {
      phase,
      ...(s
        ? {
            ephemeralContainerStatuses: [
              { name: 'debugger-abcde', image: 'b', imageID: '', ready: false, restartCount: 0, ...s },
            ],
          }
        : {}),
    },
  });
  it.each([
    ['not reported yet', withStatus(undefined), 'starting'],
    ['pulling', withStatus({ state: { waiting: { reason: 'ContainerCreating' } } }), 'starting'],
    ['running', withStatus({ state: { running: {} } }), 'ready'],
    ['an image that cannot be pulled', withStatus({ state: { waiting: { reason: 'ErrImagePull' } } }), 'failed'],
    ['ended already', withStatus({ state: { terminated: { exitCode: 0, reason: 'Completed' } } }), 'failed'],
    ['the pod ended', withStatus(undefined, 'Failed'), 'failed'],
  ])('%s: %s', (_name, p, state) => {
    expect(debugContainerReadiness(p, 'debugger-abcde').state).toBe(state);
  });
});
