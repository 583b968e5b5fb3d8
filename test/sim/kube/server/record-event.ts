import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { isoSeconds, type MemoryStore } from '../store.js';
import type { KubeObject } from '../store-contract.js';

/** Writes a core/v1 Event about `about` as a control-plane component does (`<name>.<hex>`, count 1). */
export function recordEvent(
  store: MemoryStore,
  clock: Clock,
  about: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  component: string,
): void {
  const now = isoSeconds(clock.now());
  const md = about.metadata;
  store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${md.name}.${randomBytes(8).toString('hex')}`, namespace: md.namespace },
    involvedObject: {
      kind: about.kind,
      namespace: md.namespace,
      name: md.name,
      uid: md.uid,
      apiVersion: about.apiVersion,
      resourceVersion: md.resourceVersion,
    },
    reason,
    message,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  });
}
