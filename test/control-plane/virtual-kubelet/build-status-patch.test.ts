import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildStatusPatch } from './build-status-patch.js';

const running = {
  phase: 'Running',
  podIP: '10.244.1.2',
  containerStatuses: [{ name: 'app', restartCount: 0, state: { running: { startedAt: '2026-12-07T00:00:00Z' } } }],
  qosClass: 'BestEffort',
};

/** A JSON merge patch applied to a status (RFC 7386), as the API server applies `application/merge-patch+json`. */
function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

describe('the status patch a kubelet sends', () => {
  it.each([
    ['nothing changed', running, running, undefined],
    ['only qosClass differs (the API server owns it)', running, { ...running, qosClass: 'Burstable' }, undefined],
    [
      'a changed list is sent whole',
      running,
      {
        ...running,
        containerStatuses: [{ name: 'app', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
      { containerStatuses: [{ name: 'app', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    ],
    [
      'a dropped key is sent as null',
      { ...running, reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than allowed' },
      running,
      { reason: null, message: null },
    ],
    [
      'the first status is sent whole, without qosClass',
      undefined,
      running,
      { phase: 'Running', podIP: '10.244.1.2', containerStatuses: running.containerStatuses },
    ],
  ])('%s', (_what, previous, next, status) => {
    const patch = buildStatusPatch('uid-1', previous, next);
    expect(patch).toEqual(status === undefined ? undefined : { metadata: { uid: 'uid-1' }, status });
  });

  it('turns the last sent status into the wanted one (qosClass aside) when the API server merges it', () => {
    const status = fc.dictionary(
      fc.constantFrom('phase', 'podIP', 'reason', 'message', 'containerStatuses', 'conditions'),
      fc.oneof(fc.string(), fc.array(fc.record({ name: fc.string(), ready: fc.boolean() }), { maxLength: 2 })),
    );
    fc.assert(
      fc.property(status, status, (previous, next) => {
        const patch = buildStatusPatch('u', previous, next);
        const merged = patch ? mergePatch(previous, patch.status) : previous;
        expect(merged).toEqual(next);
      }),
    );
  });
});
