/** What an agent writes to Redis every heartbeat (clusterKey(prefix, name, 'agent')). */
export interface Heartbeat {
  cluster: string;
  /** debugdead version and commit of the agent. */
  version: string;
  commit: string;
  /** This agent process: a restart shows as a new id. */
  instance: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  seenAt: number;
}

export type AgentHealth =
  | { alive: true; ageMs: number; heartbeat: Heartbeat }
  /** `sentence` is what the person reads: "The agent for @prod-eu was last seen 4 min ago…". */
  | { alive: false; sentence: string; heartbeat?: Heartbeat; ageMs?: number };

/** How often an agent beats, and how long without a beat it counts as gone. */
export const HEARTBEAT_DEFAULTS = { everyMs: 500, staleMs: 1500 };

/**
 * Is the cluster's agent there? With `aliveMark` (the agent's short-lived key in Redis, which Redis expires
 * `staleMs` after the last beat), Redis's clock decides, so clocks that differ between the agent's host and the
 * gateway's do not; without it, a beat older than `staleMs` by `now`. A gone agent is answered at once with when it
 * was last seen, instead of a job that waits for nobody. Pure.
 */
export function agentHealth(
  cluster: string,
  heartbeat: Heartbeat | undefined,
  now: number,
  staleMs = HEARTBEAT_DEFAULTS.staleMs,
  aliveMark?: boolean,
): AgentHealth {
  if (!heartbeat)
    return {
      alive: false,
      sentence: `:electric_plug: No agent for @${cluster} has reported yet: nothing can be done in that cluster until its agent runs (DEBUGDEAD_ROLE=agent, DEBUGDEAD_CLUSTER=${cluster}).`,
    };
  const age = Math.max(0, now - heartbeat.seenAt);
  if (aliveMark ?? age <= staleMs) return { alive: true, ageMs: age, heartbeat };
  // Gone by Redis's clock means at least staleMs since the last beat, whatever the two hosts' clocks say.
  const ageMs = Math.max(age, staleMs);
  return {
    alive: false,
    heartbeat,
    ageMs,
    sentence: `:electric_plug: The agent for @${cluster} was last seen ${describeAge(ageMs)} ago: nothing was sent to that cluster. Check the debugdead agent's pod there; other clusters are not affected.`,
  };
}

/** "800 ms", "12 s", "4 min", "3 h", "2 d": the largest whole unit. */
export function describeAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** Reads a heartbeat out of Redis (untrusted text): undefined unless every field has its type. */
export function parseHeartbeat(text: string | null | undefined): Heartbeat | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const str = (x: unknown) => typeof x === 'string' && x.length <= 200;
    const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
    if (str(v.cluster) && str(v.version) && str(v.commit) && str(v.instance) && num(v.startedAt) && num(v.seenAt))
      return v as unknown as Heartbeat;
  } catch {}
  return undefined;
}

/** A cluster's agent is gone: `sentence` says since when, for the person waiting. */
export class AgentGone extends Error {
  constructor(readonly sentence: string) {
    super(sentence);
    this.name = 'AgentGone';
  }
}
