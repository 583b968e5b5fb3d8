/** The diagnosis room's front door: pure reasoning from gathered facts to a Diagnosis, and its text/JSON forms. */

export { buildVerdict, VERDICT_MAX_CHARS } from './build-verdict.js';
export { describeContainers, isSidecar, terminationFacts } from './describe-containers.js';
export { diagnose } from './diagnose.js';
export { type ExitCodeContext, explainExitCode } from './explain-exit-code.js';
export {
  type ContainerHistory,
  type FailingHistory,
  type FailingSince,
  failingSince,
  type HistoryEvent,
  type TerminatedRun,
} from './failing-since.js';
export { crashLogText } from './find-container-findings.js';
export { findHeapSettings, type HeapSetting } from './find-heap-settings.js';
export { eventCount, eventLastSeen, foldEvents } from './fold-events.js';
export { formatDiagnosisText } from './format-text.js';
export type { GatherOptions, GatherRef, GatherResult, PodSuggestions } from './gather-facts.js';
// The impure gatherer (another engineer's file) also enters through this door; importing it loads the kube client.
export { gatherFacts } from './gather-facts.js';
export { parseBackOffSeconds, parseGoDuration } from './parse-duration.js';
export { type ImageRef, parseImageRef } from './parse-image-ref.js';
export { type MissingConfigRef, parseMissingConfig } from './parse-missing-config.js';
export { parseQuantity } from './parse-quantity.js';
export { PICK_LOG_DEFAULTS, type PickLogOptions, pickLogLines } from './pick-log-lines.js';
export { pickTellingLine } from './pick-telling-line.js';
export { podStatus } from './pod-status.js';
export { SIGNAL_NAMES, signalName } from './signals.js';
export { sortFindings } from './sort-findings.js';
export { formatAge } from './time.js';
export { type DiagnosisJson, toDiagnosisJson } from './to-json.js';
export type * from './types.js';
