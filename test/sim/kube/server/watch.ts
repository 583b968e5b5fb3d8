import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import type { HistoryEntry, MemoryStore } from '../store.js';
import type { KubeObject } from '../store-contract.js';
import { apiVersionOf, type ResourceInfo } from './resources.js';
import { type FieldSelector, type LabelSelector, matchFields, matchLabels } from './selectors.js';
import { ApiError } from './status.js';
import { type IncludeObject, toTable } from './table.js';

/** A parsed watch request. */
export interface WatchRequest {
  resource: ResourceInfo;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | undefined;
  bookmarks: boolean;
  timeoutSeconds: number;
  /** sendInitialEvents=true: synthetic ADDED, then a BOOKMARK marking the end of the initial events. */
  sendInitialEvents: boolean;
  table: IncludeObject | undefined;
}

/** One open watch stream, as the fault controls see it. */
export interface OpenWatch {
  /** The resource watched (`pods`, `leases`…). */
  resource: string;
  drop(afterEvents?: number): void;
  expire(message: string): void;
}

/** How often a watch that allows bookmarks gets one (the apiserver sends them about once a minute). */
const BOOKMARK_INTERVAL_MS = 60_000;

export const expiredStatus = (message: string): Record<string, unknown> => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'Expired',
  code: 410,
});

/**
 * Streams a watch: newline-delimited `{"type","object"}` events, synthetic ADDED for a missing or "0"
 * resourceVersion, replay from history otherwise (ERROR 410 when compacted away), selector transitions as
 * ADDED/DELETED, bookmarks on request, closed after timeoutSeconds.
 */
export function serveWatch(
  res: ServerResponse,
  w: WatchRequest,
  deps: { store: MemoryStore; clock: Clock; open: Set<OpenWatch> },
): void {
  const { store, clock } = deps;
  const r = w.resource;
  const apiVersion = apiVersionOf(r);
  let startRv: number | undefined;
  if (w.resourceVersion !== undefined && w.resourceVersion !== '' && w.resourceVersion !== '0') {
    startRv = Number(w.resourceVersion);
    if (!Number.isInteger(startRv) || startRv < 0)
      throw new ApiError(
        400,
        'BadRequest',
        `resourceVersion: Invalid value: "${w.resourceVersion}": strconv.ParseUint: parsing "${w.resourceVersion}": invalid syntax`,
      );
  }
  const replay = startRv !== undefined ? store.since(startRv) : undefined;

  res.writeHead(200, {
    'Content-Type': w.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let closed = false;
  let unsubscribe = (): void => {};
  let dropAfter: number | undefined;
  const timers: unknown[] = [];
  const watch: OpenWatch = {
    resource: r.name,
    drop: (after) => {
      if (after === undefined || after <= 0) finish(true);
      else dropAfter = after;
    },
    expire: (message) => {
      writeRaw(`${JSON.stringify({ type: 'ERROR', object: expiredStatus(message) })}\n`);
      finish(false);
    },
  };
  const finish = (abrupt: boolean): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    deps.open.delete(watch);
    for (const t of timers) clock.clearTimeout(t);
    // Abrupt: the socket closes after flushing what was written, without the chunked terminator.
    if (abrupt) {
      if (res.socket) res.socket.end();
      else res.destroy();
    } else res.end();
  };
  const writeRaw = (line: string): void => {
    if (!closed) res.write(line);
  };
  const matches = (o: KubeObject | undefined): boolean =>
    !!o && matchLabels(w.labels, o.metadata?.labels) && matchFields(w.fields, o);
  const send = (type: string, o: KubeObject, json?: () => string): void => {
    if (closed) return;
    let objectJson: string;
    if (w.table) {
      objectJson = JSON.stringify(
        toTable(r.name, apiVersion, r.kind, [o], clock.now(), { resourceVersion: o.metadata.resourceVersion }, w.table),
      );
    } else objectJson = json ? json() : JSON.stringify(o);
    res.write(`{"type":"${type}","object":${objectJson}}\n`);
    if (dropAfter !== undefined && --dropAfter <= 0) finish(true);
  };
  const onEntry = (e: HistoryEntry): void => {
    if (e.resource !== r.name) return;
    if (w.namespace !== undefined && e.namespace !== w.namespace) return;
    const now = matches(e.object);
    if (e.type !== 'MODIFIED') {
      if (now) send(e.type, e.object, e.json);
      return;
    }
    const before = e.prev === undefined ? now : matches(e.prev);
    if (now && before) send('MODIFIED', e.object, e.json);
    else if (now) send('ADDED', e.object, e.json);
    else if (before) send('DELETED', e.object, e.json);
  };
  const bookmark = (extra?: Record<string, string>): void => {
    const md: Record<string, unknown> = { resourceVersion: store.currentResourceVersion() };
    if (extra) md.annotations = extra;
    writeRaw(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: r.kind, apiVersion, metadata: md } })}\n`);
  };

  if (replay && !replay.ok) {
    writeRaw(
      `${JSON.stringify({ type: 'ERROR', object: expiredStatus(`too old resource version: ${startRv} (${replay.oldest})`) })}\n`,
    );
    closed = true;
    res.end();
    return;
  }
  // Subscribing after the synchronous replay leaves no gap: nothing else runs in between.
  if (replay?.ok) for (const e of replay.entries) onEntry(e);
  else for (const o of store.scan(r.name, w.namespace)) if (matches(o)) send('ADDED', o);
  if (w.sendInitialEvents && w.bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  unsubscribe = store.subscribeRaw(onEntry);
  deps.open.add(watch);
  res.on('close', () => finish(false));
  if (closed) {
    unsubscribe();
    deps.open.delete(watch);
    return;
  }
  timers.push(clock.setTimeout(() => finish(false), w.timeoutSeconds * 1000));
  if (w.bookmarks) {
    const tick = (): void => {
      if (closed) return;
      bookmark();
      timers.push(clock.setTimeout(tick, BOOKMARK_INTERVAL_MS));
    };
    timers.push(clock.setTimeout(tick, BOOKMARK_INTERVAL_MS));
  }
}
