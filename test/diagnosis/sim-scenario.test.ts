/**
 * The reasoning against what the simulated kubelet really writes (test/sim/kube): the default scenario's pods,
 * read straight from the simulator's store and log endpoint, with no HTTP and no gatherer in between. The e2e tests
 * cover the whole path; this one pins the pure reasoning to the simulator's wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis, DiagnosisFacts, Fetched } from '../../src/diagnosis/index.js';
import { diagnose } from '../../src/diagnosis/index.js';
import type { KubeEvent } from '../../src/kube/types.js';
import { ManualClock, MemoryStore } from '../sim/kube/index.js';
import { Kubelet } from '../sim/kube/kubelet/kubelet.js';
import { loadScenario } from '../sim/kube/scenarios/index.js';

const NS = 'demo';
const diagnoses = new Map<string, Diagnosis>();
let kubelet: Kubelet;

beforeAll(async () => {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  kubelet = new Kubelet(store, clock);
  await loadScenario('default', { store, clock, kubelet });
  kubelet.start();
  // Two simulated minutes: every failing pod has shown its failure and crash-looped a few times.
  for (let i = 0; i < 120; i++) {
    clock.advance(1000);
    kubelet.flush();
    await new Promise((r) => setImmediate(r));
  }
  const log = (pod: string, container: string, previous: boolean): Fetched<string> => {
    const r = kubelet.readLog(NS, pod, { container, previous });
    return r.status === 200 ? { ok: true, value: r.body } : { ok: false, kind: 'Invalid', message: r.message };
  };
  for (const pod of store.list('pods', NS)) {
    const name: string = pod.metadata.name;
    const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map(
      (c: { name: string }) => c.name,
    );
    const facts: DiagnosisFacts = {
      pod,
      // Wire JSON, as client-node would hand it over before its Date conversion.
      events: {
        ok: true,
        value: store.list('events', NS).filter((e) => e.involvedObject?.uid === pod.metadata.uid) as KubeEvent[],
      },
      logs: containers.map((c) => ({ container: c, current: log(name, c, false), previous: log(name, c, true) })),
      owners: { ok: true, value: [] },
      now: new Date(clock.now()),
    };
    diagnoses.set(name, diagnose(facts));
  }
});

afterAll(() => kubelet?.stop());

describe('diagnosis of the simulator default scenario', () => {
  it.each([
    {
      pod: 'crash-exit1',
      verdict: /^demo\/crash-exit1 — CrashLoopBackOff, exit 1 \(\d+ restarts?\)$/,
      kind: 'ApplicationError',
      action: 'clone',
      summary: /ECONNREFUSED 10\.96\.14\.7:5432/,
    },
    {
      pod: 'oom',
      verdict: /^demo\/oom — CrashLoopBackOff, OOMKilled exit 137 \(\d+ restarts?\)$/,
      kind: 'OOMKilled',
      action: 'clone',
      summary: /limit 512Mi\); -Xmx1g exceeds it/,
    },
    {
      pod: 'liveness',
      verdict: /^demo\/liveness — (CrashLoopBackOff|Running), exit 137, failing liveness probe \(\d+ restarts?\)$/,
      kind: 'ProbeFailure',
      action: 'clone-without-probes',
      summary: /failing liveness probe/,
    },
    {
      pod: 'imagepull',
      verdict:
        /^demo\/imagepull — (ImagePullBackOff|ErrImagePull), cannot pull image ghcr\.io\/acme\/notifier:4\.0\.0-typo/,
      kind: 'ImagePull',
      action: 'none',
      summary: /not found/,
    },
    {
      pod: 'configerr',
      verdict:
        /^demo\/configerr — CreateContainerConfigError, app cannot start: ConfigMap "billing-config" not found in demo$/,
      kind: 'MissingConfig',
      action: 'none',
      summary: /billing-config/,
    },
    {
      pod: 'pending',
      verdict: /^demo\/pending — Pending, not scheduled: .*Insufficient memory/,
      kind: 'Unschedulable',
      action: 'none',
      summary: /Insufficient memory/,
    },
    {
      pod: 'init-crash',
      verdict: /^demo\/init-crash — Init:CrashLoopBackOff, exit 1 in init container migrate \(\d+ restarts?\)$/,
      kind: 'InitContainerFailure',
      action: 'clone',
      summary: /migration 0042_add_orders_customer_index failed/,
    },
    {
      pod: 'scratch-crash',
      verdict: /^demo\/scratch-crash — CrashLoopBackOff, exit 2 \(\d+ restarts?\)$/,
      kind: 'ApplicationError',
      action: 'clone',
      summary: /panic: runtime error: invalid memory address/,
    },
    {
      pod: 'multi',
      verdict: /^demo\/multi — CrashLoopBackOff, exit 1 in app \(\d+ restarts?\)$/,
      kind: 'ApplicationError',
      action: 'clone',
      summary: /KeyError: 'STRIPE_API_KEY'/,
    },
    {
      pod: 'healthy',
      verdict: /^demo\/healthy — Running, healthy$/,
      kind: 'Healthy',
      action: 'none',
      summary: /running and ready/,
    },
  ])('$pod: $kind', ({ pod, verdict, kind, action, summary }) => {
    const d = diagnoses.get(pod);
    expect(d, `pod ${pod} exists`).toBeDefined();
    expect(d?.verdict).toMatch(verdict);
    expect(d?.findings[0]).toMatchObject({ kind, action });
    expect(d?.findings[0]?.summary).toMatch(summary);
    expect(d?.missing).toEqual([]);
  });
});
