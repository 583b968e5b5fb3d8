/**
 * The front door of src/alerts: automatic alerts on failing workloads (issue 7).
 *
 *   const plain = createChatAlertSink(deps.chat);              // context blocks only; summaries as they are
 *   const sink: AlertSink = {
 *     ...plain,
 *     post: (alert) => postDiagnosis(alert),                   // prepend renderAlertContext(alert, now) to the diagnosis
 *     update: (posted, alert) => updateDiagnosis(posted, alert),
 *   };
 *   const alerts = startAlertWatch({ kube: deps.kube, config: deps.config, redis, sink, log: deps.log });
 *   await alerts.stop();                                       // on shutdown
 */

export { type AlertClock, SYSTEM_CLOCK } from './alert-clock.js';
export type { AlertCounter, AlertEffect } from './alert-effects.js';
export type { AlertEvent, ClaimAnswer } from './alert-events.js';
export { type AlertLog, AlertManager, type AlertManagerOptions, type AlertStats } from './alert-manager.js';
export { type AlertRecord, alertRecordKey } from './alert-record.js';
export {
  type AlertRules,
  type AlertState,
  type BurstWindow,
  type Episode,
  INITIAL_SHARED,
  type SharedState,
  type TroubledPod,
  type WorkloadState,
} from './alert-state.js';
export { classifyPod } from './classify-pod.js';
export { type AlertChat, createChatAlertSink } from './create-chat-alert-sink.js';
export { MUTE_MENU_ACTION, MUTE_NOTICE_BLOCK, parseMuteValue, renderMuteMenu } from './mute-menu.js';
export {
  asMuteRecord,
  clearMute,
  MUTE_RECOVERY_MAX_SECONDS,
  type MuteChoice,
  type MuteRecord,
  muteKey,
  planMute,
  readMute,
  renderMuteNotice,
  saveMute,
} from './mute-record.js';
export { isPodInTrouble, podTrouble } from './pod-trouble.js';
export { type AlertStep, reduceAlerts } from './reduce-alerts.js';
export { alertHeadline, formatDuration, renderAlertContext } from './render-alert-context.js';
export { renderAlertSummary } from './render-alert-summary.js';
export { routeAlert } from './route-alert.js';
export { type AlertWatch, type StartAlertWatchOptions, startAlertWatch } from './start-alert-watch.js';
export type * from './types.js';
export { workloadKey, workloadOf } from './workload-of.js';
