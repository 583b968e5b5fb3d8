import type { DiagnosisFacts } from '../diagnosis/index.js';

/**
 * For a container waiting in CrashLoopBackOff the kubelet answers the "current" log read with the last crashed
 * instance, which is also the "previous" one: the same text twice. Keep it once, as
 * the previous instance, so the thread shows each instance's log exactly once. Pure.
 */
export function foldDuplicateLogs(facts: DiagnosisFacts): DiagnosisFacts {
  const logs = facts.logs.map((l) => {
    const { current, previous } = l;
    if (current?.ok && previous?.ok && current.value === previous.value) {
      return { container: l.container, previous, ...(l.cut?.previous ? { cut: { previous: l.cut.previous } } : {}) };
    }
    return l;
  });
  return { ...facts, logs };
}
