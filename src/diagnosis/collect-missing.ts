import type { ContainerLogFacts, DiagnosisFacts, Fetched, MissingEvidence } from './types.js';

/**
 * Log refusals that are facts, not gaps: the kubelet answers 400 when a container never started
 * (`is waiting to start: image can't be pulled`) or has no previous instance (`previous terminated container ...
 * not found`). The container's state already says so.
 */
const EXPECTED_LOG_REFUSAL = /is waiting to start|previous terminated container .* not found/i;

function gap(what: string, f: Fetched<unknown> | undefined): MissingEvidence[] {
  return f && !f.ok ? [{ what, kind: f.kind, message: f.message }] : [];
}

function logGaps(l: ContainerLogFacts): MissingEvidence[] {
  const out: MissingEvidence[] = [];
  for (const [f, what] of [
    [l.current, `logs of ${l.container}`],
    [l.previous, `logs of ${l.container} (previous)`],
  ] as const) {
    if (f && !f.ok && !(f.kind === 'Invalid' && EXPECTED_LOG_REFUSAL.test(f.message))) out.push(...gap(what, f));
  }
  return out;
}

/** Every read that failed, in the order a person would miss it: events, logs per container, owners, node. */
export function collectMissing(facts: DiagnosisFacts): MissingEvidence[] {
  return [
    ...gap('events', facts.events),
    ...(Array.isArray(facts.logs) ? facts.logs : []).flatMap((l) => (l ? logGaps(l) : [])),
    ...gap('owner chain', facts.owners),
    ...gap('node', facts.node),
  ];
}
