/**
 * The simulated kubelet and default scheduler (kubelet.ts), container behaviour rules (behaviour.ts) and the
 * built-in image catalogue (image-catalogue.ts).
 *
 * ```ts
 * const kubelet = new Kubelet(store, clock);           // a MemoryStore and a ManualClock in tests
 * kubelet.addRule({ image: 'acme/api', behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 2, logs: ['boom'] } });
 * kubelet.start();                                     // takes charge of pods already stored, then of changes
 * store.create('pods', pod); kubelet.flush();          // reactions run a microtask later; flush runs them now
 * clock.advance(30_000); kubelet.flush();              // crash, restart, CrashLoopBackOff ...
 * kubelet.readLog('ns', 'web-1', { container: 'app', previous: true });
 * ```
 */
export type { Behaviour, ContainerRule, LogLine } from './behaviour.js';
export { type ImageInfo, lookupImage, normaliseImage } from './image-catalogue.js';
export { KUBELET_DEFAULTS, Kubelet, type KubeletOptions, type LogResult } from './kubelet.js';
export { startErrorMessage } from './plan-container.js';
export type { LogParams } from './render-log.js';
