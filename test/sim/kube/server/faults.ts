/** Which requests a fault applies to; every given field must match. */
export interface FaultMatch {
  /** HTTP method, e.g. 'GET'. */
  method?: string;
  /** A substring of, or a pattern for, the path with its query string. */
  path?: string | RegExp;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection. */
  verb?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
}

/** What the fault layer sees of a request. */
export interface FaultRequest {
  method: string;
  url: string;
  verb?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
}

/** An injected error answer. */
export interface ErrorFault extends FaultMatch {
  status: number;
  /** Status message. @defaultValue a message like the real server's for that code */
  message?: string;
  /** For 429/503: the `Retry-After` seconds. @defaultValue 1 for 429 */
  retryAfterSeconds?: number;
  /** How many requests it answers before it lapses. @defaultValue unlimited */
  times?: number;
}

interface Armed<T> {
  rule: T;
  left: number;
}

function matches(m: FaultMatch, r: FaultRequest): boolean {
  if (m.method && m.method.toUpperCase() !== r.method) return false;
  if (m.path !== undefined && !(typeof m.path === 'string' ? r.url.includes(m.path) : m.path.test(r.url))) return false;
  if (m.verb && m.verb !== r.verb) return false;
  if (m.resource && m.resource !== r.resource) return false;
  if (m.subresource && m.subresource !== r.subresource) return false;
  if (m.namespace && m.namespace !== r.namespace) return false;
  return true;
}

/** Hooks the server gives the fault controls for open watches. */
export interface WatchControl {
  /** Ends every open watch stream abruptly, at once or after each has sent `afterEvents` more events. */
  dropWatches(afterEvents?: number): void;
  /** Compacts history and ends open watches with an ERROR 410 Expired event. */
  expireWatches(): void;
}

/** Fault injection for the simulated API server: latency, error answers by route, hangs, watch drops, 410s. */
export class Faults {
  private latencies: Armed<FaultMatch & { ms: number }>[] = [];
  private errors: Armed<ErrorFault>[] = [];
  private hangs: Armed<FaultMatch>[] = [];
  /** Set by the server. */
  watchControl: WatchControl | undefined;

  /** Adds `ms` of latency to matching requests (all when no match given). */
  latency(ms: number, match: FaultMatch = {}): () => void {
    return this.arm(this.latencies, { ...match, ms }, Number.POSITIVE_INFINITY);
  }

  /** Answers matching requests with an error Status (500, 503, 429 with Retry-After, ...). */
  error(fault: ErrorFault): () => void {
    return this.arm(this.errors, fault, fault.times ?? Number.POSITIVE_INFINITY);
  }

  /** Never answers matching requests (the client must time out). */
  hang(match: FaultMatch = {}, times = Number.POSITIVE_INFINITY): () => void {
    return this.arm(this.hangs, match, times);
  }

  /** Drops every open watch stream, at once or after `afterEvents` more events each. */
  dropWatches(opts: { afterEvents?: number } = {}): void {
    this.watchControl?.dropWatches(opts.afterEvents);
  }

  /** Forces 410 Expired: history is compacted and open watches get an ERROR event. */
  expireWatches(): void {
    this.watchControl?.expireWatches();
  }

  /** Removes every armed fault. */
  clear(): void {
    this.latencies = [];
    this.errors = [];
    this.hangs = [];
  }

  /** The server's question: what happens to this request? */
  decide(r: FaultRequest): { latencyMs: number; hang: boolean; error?: ErrorFault } {
    let latencyMs = 0;
    for (const l of this.latencies) if (matches(l.rule, r)) latencyMs += l.rule.ms;
    const hang = this.take(this.hangs, r) !== undefined;
    const error = hang ? undefined : this.take(this.errors, r);
    return { latencyMs, hang, error };
  }

  private take<T extends FaultMatch>(list: Armed<T>[], r: FaultRequest): T | undefined {
    const a = list.find((x) => x.left > 0 && matches(x.rule, r));
    if (!a) return undefined;
    a.left--;
    return a.rule;
  }

  private arm<T>(list: Armed<T>[], rule: T, times: number): () => void {
    const a = { rule, left: times };
    list.push(a);
    return () => {
      const i = list.indexOf(a);
      if (i >= 0) list.splice(i, 1);
    };
  }
}
