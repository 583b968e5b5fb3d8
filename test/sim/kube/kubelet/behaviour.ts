/**
 * A line a container prints: plain text (printed at start, a few milliseconds apart, or spread evenly before an
 * exit), or text at a given second after the container started. Text may hold `{{time}}` (the line's ISO time),
 * `{{restart}}` (which restart of the container printed it), `{{pod}}` and `{{podIP}}`, so that current and previous
 * instances differ as they do in a real cluster.
 */
export type LogLine = string | { at: number; text: string };

/** How a container behaves once started; see {@link ContainerRule}. */
export type Behaviour =
  /** Runs until stopped, after printing `logs`. */
  | { kind: 'run'; logs?: LogLine[] }
  /** Prints `logs`, then exits with `exitCode` after `afterSeconds` (exit 0 is reason Completed, others Error). */
  | {
      kind: 'exit';
      exitCode: number;
      afterSeconds: number;
      logs?: LogLine[];
      /** What the app writes to its terminationMessagePath; shown as lastState.terminated.message. */
      terminationMessage?: string;
    }
  /** Prints `logs`, then is killed by the kernel's OOM killer after `afterSeconds` (137, reason OOMKilled). */
  | { kind: 'oom'; afterSeconds: number; logs?: LogLine[] }
  /**
   * Runs but fails its liveness probe (when it has one; otherwise it simply runs). `probeMessage` is what follows
   * `Liveness probe failed: ` (default: from the probe's kind, e.g. `HTTP probe failed with statuscode: 503`).
   */
  | { kind: 'failLiveness'; logs?: LogLine[]; probeMessage?: string }
  /**
   * Runs but never passes its readiness probe (when it has one): not ready, the pod Running 0/1, and an Unhealthy
   * `Readiness probe failed: ...` event counting up every period.
   */
  | { kind: 'failReadiness'; logs?: LogLine[]; probeMessage?: string }
  /** The image cannot be pulled; `message` is the runtime's error (default: a registry "not found"). */
  | { kind: 'pullError'; message?: string };

/**
 * A container behaviour rule. The first rule whose image and command match wins; without a match the built-in
 * image catalogue decides (image-catalogue.ts).
 */
export interface ContainerRule {
  /**
   * The image: exact (`ghcr.io/acme/api:1.4.2`), without tag (`ghcr.io/acme/api`), by last path parts (`acme/api`,
   * `api`), a trailing `*` glob (`busybox*`), or a RegExp on the full image.
   */
  image: string | RegExp;
  /**
   * The command line (command then args, space-joined): a string matches as a prefix, a RegExp anywhere. Without it
   * the rule matches only the image's own program, never a shell, `sleep`, or the debug clone's injected busybox, so
   * a debug copy of a crashing app does not crash too.
   */
  command?: string | RegExp;
  behaviour: Behaviour;
}
