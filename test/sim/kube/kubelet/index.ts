/**
 * The simulated kubelet and default scheduler (see kubelet.ts), their container behaviour rules (behaviour.ts) and
 * the built-in image catalogue (image-catalogue.ts).
 */
export type { Behaviour, ContainerRule, LogLine } from './behaviour.js';
export { type ImageInfo, lookupImage, normaliseImage } from './image-catalogue.js';
export { KUBELET_DEFAULTS, Kubelet, type KubeletOptions, type LogResult } from './kubelet.js';
export { startErrorMessage } from './plan-container.js';
export type { LogParams } from './render-log.js';
