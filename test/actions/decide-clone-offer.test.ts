import { describe, expect, it } from 'vitest';
import { type CloneOffer, decideCloneOffer, type Grant, planDebugPod } from '../../src/actions/index.js';
import { buildConfig } from '../../src/config/index.js';
import { diagnose } from '../../src/diagnosis/index.js';
import type { Pod } from '../../src/kube/types.js';
import { renderDiagnosisMessage } from '../../src/render/index.js';
import {
  distrolessPod,
  imagePullPod,
  missingSecretKeyPod,
  nodeExporterPod,
  windowsIisPod,
} from '../debugpods/cluster-pod-shapes.js';
import { buttonsOf, expectSlackAccepts, visibleText } from '../render/slack-assertions.js';

const waitingOn = (pod: Pod, reason: string, message: string): Pod => {
  const out = structuredClone(pod);
  out.status = {
    phase: 'Pending',
    containerStatuses: [
      {
        name: out.spec!.containers[0]!.name,
        image: out.spec!.containers[0]!.image!,
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason, message } },
      },
    ],
  };
  return out;
};
const missingConfigMap = waitingOn(
  missingSecretKeyPod(),
  'CreateContainerConfigError',
  'configmap "web-config" not found',
);
const missingSecret = waitingOn(missingSecretKeyPod(), 'CreateContainerConfigError', 'secret "db" not found');
const optionalKeyOnly = waitingOn(
  missingSecretKeyPod(),
  'CreateContainerConfigError',
  "couldn't find key log-level in ConfigMap shop/web-config",
);

describe('whether a clone can get past the failure', () => {
  it.each<[string, Pod, string, CloneOffer['kind'], RegExp | undefined]>([
    ['a crash-looping distroless app', distrolessPod(), 'api', 'clone', undefined],
    ['a DaemonSet pod', nodeExporterPod(), 'node-exporter', 'clone', undefined],
    [
      'ImagePullBackOff',
      imagePullPod(),
      'app',
      'none',
      /same image.*web:1\.4\.3-typo cannot be pulled \(ImagePullBackOff\)/,
    ],
    ['ErrImagePull', waitingOn(imagePullPod(), 'ErrImagePull', 'manifest unknown'), 'app', 'none', /ErrImagePull/],
    ['a missing Secret', missingSecret, 'app', 'none', /refers to Secret db, which does not exist in shop/],
    ['a missing ConfigMap', missingConfigMap, 'app', 'none', /ConfigMap web-config, which does not exist/],
    ['a Windows pod', windowsIisPod(), 'iis', 'none', /Windows pod.*Linux busybox/],
    // The reference that reads the key is already optional: nothing to make optional, an ordinary clone.
    ['a missing key behind an optional reference', optionalKeyOnly, 'app', 'clone', undefined],
  ])('%s', (_what, pod, container, kind, reason) => {
    const offer = decideCloneOffer(pod, container);
    expect(offer.kind).toBe(kind);
    if (reason) expect(offer.kind === 'none' && `${offer.reason} ${offer.fix}`).toMatch(reason);
  });

  it('offers the clone with a missing key made optional, clearly labelled', () => {
    expect(decideCloneOffer(missingSecretKeyPod(), 'app')).toEqual({
      kind: 'optional-refs',
      refs: [{ kind: 'Secret', name: 'db', key: 'password' }],
      label: 'without db[password]',
    });
  });

  it('gives a fix that says what to create', () => {
    const offer = decideCloneOffer(missingSecret, 'app');
    expect(offer.kind === 'none' && offer.fix).toContain('kubectl create secret generic db -n shop');
  });
});

describe('the plan follows the decision', () => {
  const built = buildConfig({}, {});
  if (!built.ok) throw new Error('defaults');
  const grant = (pod: Pod, container: string): Grant => ({
    actionId: 'AbCdEfGh12.c0',
    kind: 'clone',
    privilege: 'standard',
    cluster: 'default',
    namespace: pod.metadata!.namespace!,
    pod: pod.metadata!.name!,
    container,
    requester: 'U1',
    approvers: ['U1'],
    expiresAt: '2026-12-01T10:10:00Z',
  });
  const now = new Date('2026-12-01T10:00:00Z');

  it('refuses a clone that would fail like the source, with the reason and the fix', () => {
    const plan = planDebugPod(grant(imagePullPod(), 'app'), imagePullPod(), built.config, now);
    expect(plan).toEqual({
      ok: false,
      reason: expect.stringMatching(/^no debug clone: a clone uses the same image.*To fix: fix the image/),
    });
  });

  it('builds the variant with the missing key optional', () => {
    const plan = planDebugPod(grant(missingSecretKeyPod(), 'app'), missingSecretKeyPod(), built.config, now);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.built.pod.spec!.containers[0]!.env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: true } } },
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'log-level', optional: true } } },
    ]);
    expect(plan.built.notes).toContain(
      'made optional, so the clone starts without them: DB_PASSWORD of app (key password of Secret db)',
    );
  });
});

describe('the diagnosis message shows the decision', () => {
  const render = (pod: Pod) => {
    const d = diagnose({
      pod,
      events: { ok: true, value: [] },
      logs: [],
      owners: { ok: true, value: [] },
      now: new Date('2026-12-01T10:00:00Z'),
    });
    const msg = renderDiagnosisMessage(d, {
      requestId: 'req-1abcd',
      redactions: 0,
      cloneOffers: d.containers.map((c) => decideCloneOffer(pod, c.name)),
    });
    expectSlackAccepts(msg);
    return msg;
  };

  it('has no clone button for an image-pull failure, but the reason and the fix', () => {
    const msg = render(imagePullPod());
    expect(buttonsOf(msg).filter((b) => b.action_id.startsWith('debugdead.clone.'))).toEqual([]);
    expect(visibleText(msg)).toMatch(/No debug clone of app: a clone uses the same image.*To fix: fix the image name/);
  });

  it('labels the clone button of the optional-key variant', () => {
    const clones = buttonsOf(render(missingSecretKeyPod())).filter((b) => b.action_id.startsWith('debugdead.clone.'));
    expect(clones.map((b) => b.text.text)).toEqual([expect.stringMatching(/without db\[password\]$/)]);
    expect(clones[0]!.confirm!.text.text).toContain('Secret db key password are made optional');
  });
});
