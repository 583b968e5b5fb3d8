import type { SimMessage } from '../sim/slack/index.js';
import type { Harness } from './harness.js';

/** The incident channel of the seeded workspace, where the bot is a member. */
export const INCIDENT = 'C0INCIDENT';

/** A person runs `/debugdead <pod> demo` and waits for the summary the bot posts. */
export async function diagnose(h: Harness, user: string, pod: string, channel = INCIDENT): Promise<SimMessage> {
  await h.slack.user(user).runCommand('/debugdead', `${pod} demo`, { channel });
  return h.slack.waitFor(
    () =>
      h.slack
        .channel(channel)
        .messages()
        .find((m) => m.text.startsWith(`demo/${pod} `)),
    15_000,
    `the diagnosis of ${pod}`,
  );
}

/** The message as it is now (the bot edits the parent message as jobs progress). */
export function latest(h: Harness, ts: string, channel = INCIDENT): SimMessage {
  return h.slack
    .channel(channel)
    .messages()
    .find((m) => m.ts === ts)!;
}

/** Pods the bot created (label debugdead.io/managed=true) in a namespace: the simulator's store, simulator-only. */
export function managedPods(h: Harness, namespace: string) {
  return h.kube.store.list('pods', namespace).filter((p) => p.metadata.labels?.['debugdead.io/managed'] === 'true');
}

/** Pods the bot created (label debugdead.io/managed=true) in a namespace, as the API server has them now (either backend). */
export async function listManagedPods(h: Harness, namespace: string) {
  return (await h.cluster.list('pods', namespace)).filter(
    (p) => p.metadata.labels?.['debugdead.io/managed'] === 'true',
  );
}

/**
 * Polls `probe` every 100 ms until it gives a value (not undefined, null or false), for what the cluster shows:
 * the real API server can only be asked, not subscribed to like the Slack simulator's state.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
