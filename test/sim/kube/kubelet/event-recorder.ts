import type { Clock } from '../clock.js';
import { isoSeconds } from '../store.js';
import type { KubeObject, KubeStore } from '../store-contract.js';

/** What an event is about (core/v1 ObjectReference). */
export interface InvolvedObject {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** Who reports it: `kubelet` (with its node as host) or `default-scheduler`. */
export interface EventSource {
  component: 'kubelet' | 'default-scheduler';
  host?: string;
}

/**
 * Writes core/v1 Events the way client-go's recorder does: the same (object, reason, message, source) updates one
 * Event object, incrementing `count` and moving `lastTimestamp`, instead of creating a new one (the correlator's
 * dedup). Names are `<object>.<hex nanoseconds>`, as the recorder makes them.
 */
export class EventRecorder {
  /** uid → (dedup key → event name). */
  private readonly seen = new Map<string, Map<string, string>>();
  private counter = 0;

  constructor(
    private readonly store: KubeStore,
    private readonly clock: Clock,
  ) {}

  record(obj: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource): void {
    const now = this.clock.now();
    const key = `${obj.fieldPath ?? ''}\u0000${reason}\u0000${message}\u0000${source.component}`;
    let perObject = this.seen.get(obj.uid);
    const existingName = perObject?.get(key);
    if (existingName) {
      const ev = this.store.get('events', obj.namespace, existingName);
      if (ev) {
        ev.count = (ev.count ?? 1) + 1;
        ev.lastTimestamp = isoSeconds(now);
        this.store.update('events', ev);
        return;
      }
    }
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.counter++ % 1_000_000);
    const name = `${obj.name}.${nanos.toString(16)}`;
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: obj.namespace },
      involvedObject: { ...obj },
      reason,
      message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: isoSeconds(now),
      lastTimestamp: isoSeconds(now),
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    this.store.create('events', ev);
    if (!perObject) {
      perObject = new Map();
      this.seen.set(obj.uid, perObject);
    }
    perObject.set(key, name);
  }

  /** Forgets the dedup state of a deleted object (its Events stay, as they do until their TTL). */
  forget(uid: string): void {
    this.seen.delete(uid);
  }
}
