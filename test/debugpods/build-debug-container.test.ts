import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDebugContainer,
  DEBUG_PROFILES,
  type DebugProfile,
  type PodSecurityLevel,
  podSecurityLevelOf,
  profileAdmitted,
  profilesAdmittedAt,
} from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import { podSecurityViolations } from '../sim/kube/server/pod-security.js';
import { validateEphemeral } from '../sim/kube/server/validate.js';
import { arbitraryPodWithTarget, deepFreeze } from './arbitrary-pod.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/web:1', command: ['/usr/bin/web', '--port=80'] }], ...spec },
});
const request = (profile: DebugProfile = 'general') => ({
  target: 'app',
  profile,
  image: 'busybox:1.37-musl',
  ttlSeconds: 900,
});

describe('buildDebugContainer: the ephemeral container kubectl debug --target would add, running sleep <ttl>', () => {
  it.each([
    ['general', { capabilities: { add: ['SYS_PTRACE'] } }],
    ['baseline', undefined],
    [
      'restricted',
      {
        runAsNonRoot: true,
        runAsUser: 65532,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    ],
    ['netadmin', { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } }],
    ['sysadmin', { privileged: true }],
  ] as const)('profile %s sets %j', (profile, securityContext) => {
    const built = buildDebugContainer(pod(), request(profile), { suffix: 'abcde' });
    expect(built.container).toEqual({
      name: 'debugger-abcde',
      image: 'busybox:1.37-musl',
      imagePullPolicy: 'IfNotPresent',
      command: ['sleep', '900'],
      targetContainerName: 'app',
      terminationMessagePolicy: 'File',
      ...(securityContext ? { securityContext } : {}),
    });
  });

  it('gives the exec line and, without shareProcessNamespace, /proc/1/root: PID 1 of the joined namespace is the target', () => {
    const built = buildDebugContainer(pod(), request(), { suffix: 'abcde' });
    expect(built.execCommand).toBe('kubectl exec -it -n shop web-1 -c debugger-abcde -- sh');
    expect(built.lookCommands).toEqual(['ls /proc/1/root/']);
    expect(built.notes.join('\n')).toMatch(
      /cannot be removed: after its TTL, a terminated container debugger-abcde stays/,
    );
  });

  it.each([
    [
      'a known command: found by its program',
      pod({ shareProcessNamespace: true }),
      ['ls /proc/$(pgrep -o -f web)/root/'],
    ],
    [
      'the image entrypoint: listed, to pick by hand',
      pod({ shareProcessNamespace: true, containers: [{ name: 'app', image: 'nginx' }] }),
      ['ps -o pid,user,args', 'ls /proc/PID/root/   # PID: the target’s process in the list above'],
    ],
  ])('with shareProcessNamespace (PID 1 is the pause process), %s', (_name, source, look) => {
    expect(buildDebugContainer(source, request(), { suffix: 'abcde' }).lookCommands).toEqual(look);
  });

  it('returns a container the API server accepts on pods/ephemeralcontainers, whatever the pod, and never changes the pod', () => {
    fc.assert(
      fc.property(
        arbitraryPodWithTarget,
        fc.constantFrom(...DEBUG_PROFILES),
        fc.integer({ min: 1, max: 30 * 86400 }),
        fc.stringMatching(/^[a-z0-9]{5}$/),
        ({ pod: source, target }, profile, ttlSeconds, suffix) => {
          fc.pre(source.metadata?.annotations?.['kubernetes.io/config.mirror'] === undefined);
          const before = structuredClone(source);
          const frozen = deepFreeze(structuredClone(source));
          const built = buildDebugContainer(frozen, { target, profile, image: 'busybox', ttlSeconds }, { suffix });
          expect(frozen).toEqual(before);
          const next = structuredClone(before) as any;
          next.spec.ephemeralContainers = [...(next.spec.ephemeralContainers ?? []), built.container];
          expect(validateEphemeral(before as any, next)).toEqual([]);
          expect(built.container.command).toEqual(['sleep', String(ttlSeconds)]);
        },
      ),
    );
  });
});

describe('profiles and Pod Security levels', () => {
  const LEVELS: PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

  it('a profile is admitted exactly where the Pod Security Standards admit the container it builds', () => {
    for (const profile of DEBUG_PROFILES) {
      const { container } = buildDebugContainer(pod(), request(profile), { suffix: 'abcde' });
      for (const level of LEVELS) {
        // The container alone, so only its own fields are judged.
        const alone = { metadata: { name: 'x' }, spec: { containers: [], ephemeralContainers: [container] } };
        const admitted = podSecurityViolations(alone as any, level).length === 0;
        expect({ profile, level, admitted: profileAdmitted(profile, level) }).toEqual({ profile, level, admitted });
      }
    }
  });

  it.each([
    ['privileged', ['general', 'baseline', 'restricted', 'netadmin', 'sysadmin']],
    ['baseline', ['baseline', 'restricted']],
    ['restricted', ['restricted']],
  ] as const)('%s admits %j', (level, profiles) => {
    expect(profilesAdmittedAt(level)).toEqual(profiles);
  });

  it.each([
    [{ 'pod-security.kubernetes.io/enforce': 'baseline' }, 'baseline'],
    [{ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'restricted'],
    [{ 'pod-security.kubernetes.io/warn': 'restricted' }, undefined],
    [{ 'pod-security.kubernetes.io/enforce': 'strict' }, undefined],
    [undefined, undefined],
  ])('the enforce label %j reads as %s', (labels, level) => {
    expect(podSecurityLevelOf(labels)).toBe(level);
  });
});
