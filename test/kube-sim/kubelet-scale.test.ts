import { describe, expect, it } from 'vitest';
import { ManualClock } from '../sim/kube/clock.js';
import { Kubelet } from '../sim/kube/kubelet/index.js';
import { DEFAULT_RULES, fillPods } from '../sim/kube/scenarios/index.js';
import { MemoryStore } from '../sim/kube/store.js';

describe('fillPods and many running pods', () => {
  it('adopts thousands of running pods without timers, serves their logs and still deletes and schedules', () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const kubelet = new Kubelet(store, clock, { rules: DEFAULT_RULES });
    fillPods({ store, clock, kubelet }, 3_000, { perNamespace: 1_000, perNode: 250 });
    const started = performance.now();
    kubelet.start();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(store.list('namespaces').map((n) => n.metadata.name)).toEqual(['scale-0', 'scale-1', 'scale-2']);
    expect(store.list('nodes')).toHaveLength(12);

    const [pod] = store.list('pods', 'scale-1');
    const name = pod?.metadata.name as string;
    expect(pod?.status).toMatchObject({ phase: 'Running', containerStatuses: [{ ready: true, restartCount: 0 }] });
    const log = kubelet.readLog('scale-1', name, { container: 'app' });
    expect(log).toMatchObject({ status: 200, body: expect.stringContaining('catalog v1.0.4 listening on :8080') });
    expect(kubelet.readLog('scale-1', name, { container: 'app', previous: true })).toMatchObject({ status: 400 });

    // No per-pod timers: a long advance changes nothing.
    const rv = store.currentResourceVersion();
    clock.advance(3_600_000);
    kubelet.flush();
    expect(store.currentResourceVersion()).toBe(rv);

    const p = store.get('pods', 'scale-1', name)!;
    p.metadata.deletionTimestamp = new Date(clock.now() + 30_000).toISOString();
    p.metadata.deletionGracePeriodSeconds = 30;
    store.update('pods', p);
    kubelet.flush();
    expect(store.list('events', 'scale-1').map((e) => `${e.reason} ${e.message}`)).toEqual([
      'Killing Stopping container app',
    ]);
    clock.advance(1_000);
    kubelet.flush();
    expect(store.get('pods', 'scale-1', name)).toBeUndefined();

    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'newcomer', namespace: 'scale-0' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      status: { phase: 'Pending' },
    });
    kubelet.flush();
    expect(store.get('pods', 'scale-0', 'newcomer')?.spec.nodeName).toMatch(/^scale-node-\d+$/);
    kubelet.stop();
  });
});
