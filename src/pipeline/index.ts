/** The diagnose pipeline the bot and the CLI share: gather, fold, redact, reason. */
export { type DiagnosePodResult, diagnosePod, type PodRef } from './diagnose-pod.js';
export { type ExamineResult, examinePod, type KubeFailure } from './examine-pod.js';
export { describeNoPods, findWorstPod, type WorstPodResult } from './find-worst-pod.js';
export { foldDuplicateLogs } from './fold-duplicate-logs.js';
export { type DebugContainerOffer, offerDebugContainer } from './offer-debug-container.js';
export { redactFacts } from './redact-facts.js';
