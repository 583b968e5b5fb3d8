import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient, Lease } from '../kube/index.js';
import { decideLease, formatMicroTime, type ObservedLease } from './decide-lease.js';

export interface LeaderElectionOptions {
  kube: Pick<KubeClient, 'readLease' | 'createLease' | 'replaceLease'>;
  namespace: string;
  name: string;
  /** This replica, unique among them (pod name plus a random suffix). */
  identity: string;
  durationSeconds: number;
  /** Between two attempts (renew or acquire), ms. @defaultValue a third of the lease duration */
  retryMs?: number;
  /** Called once this replica holds the Lease. */
  onStartedLeading(): Promise<void> | void;
  /** Called when it stops holding it (lost, not renewed in time, or stopping); awaited before the Lease is released. */
  onStoppedLeading(): Promise<void> | void;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** @defaultValue Date.now */
  nowMs?: () => number;
}

export interface LeaderElection {
  isLeader(): boolean;
  /** Settles once the first attempt is done (this replica leads, or knows who does, or the API did not answer). */
  firstAttempt: Promise<void>;
  /** Stops trying; a leader stops leading first, then releases the Lease so another replica takes over at once. */
  stop(): Promise<void>;
}

/**
 * One holder among replicas through a coordination.k8s.io Lease, as client-go's leaderelection: the holder renews
 * every `retryMs`; the others take over once the Lease is released or has not changed for a lease duration. Every
 * write names the resourceVersion it read, so of two replicas racing for it one gets 409 Conflict and waits.
 */
export function runLeaderElection(opts: LeaderElectionOptions): LeaderElection {
  const nowMs = opts.nowMs ?? Date.now;
  const retryMs = opts.retryMs ?? Math.max(200, Math.floor((opts.durationSeconds * 1000) / 3));
  // A leader that cannot renew for this long stops leading before anyone else may take over.
  const renewDeadlineMs = Math.floor((opts.durationSeconds * 1000 * 2) / 3);
  const controller = new AbortController();
  let leader = false;
  let lastRenewMs = 0;
  let observed: ObservedLease | undefined;
  let current: Lease | undefined;

  const observe = (lease: Lease | undefined): void => {
    if (!lease) {
      observed = undefined;
      return;
    }
    const rv = lease.metadata?.resourceVersion ?? '';
    if (observed?.resourceVersion === rv) return;
    observed = {
      holder: lease.spec?.holderIdentity || undefined,
      durationSeconds: lease.spec?.leaseDurationSeconds ?? opts.durationSeconds,
      resourceVersion: rv,
      observedAtMs: nowMs(),
    };
  };

  const held = (base: Lease | undefined, transition: boolean): Lease => {
    const now = formatMicroTime(new Date(nowMs()));
    const spec = base?.spec ?? {};
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...(base?.metadata ?? {}), name: opts.name, namespace: opts.namespace },
      spec: {
        ...spec,
        holderIdentity: opts.identity,
        leaseDurationSeconds: opts.durationSeconds,
        // MicroTime is typed as Date by client-node but must go out with six fractional digits.
        renewTime: now as unknown as Date,
        ...(transition
          ? {
              acquireTime: now as unknown as Date,
              leaseTransitions: (spec.leaseTransitions ?? 0) + (base ? 1 : 0),
            }
          : {}),
      },
    };
  };

  const setLeader = async (next: boolean, why: string): Promise<void> => {
    if (leader === next) return;
    leader = next;
    opts.log.info(
      { lease: `${opts.namespace}/${opts.name}`, identity: opts.identity, why },
      next ? 'leading' : 'no longer leading',
    );
    try {
      await (next ? opts.onStartedLeading() : opts.onStoppedLeading());
    } catch (err) {
      opts.log.warn({ err }, next ? 'starting as leader failed' : 'stopping as leader failed');
    }
  };

  const attempt = async (): Promise<void> => {
    current = await opts.kube.readLease(opts.namespace, opts.name);
    observe(current);
    const step = decideLease(observed, opts.identity, nowMs());
    if (step.do === 'wait') {
      await setLeader(false, `held by ${step.holder}`);
      return;
    }
    const body = held(current, step.do !== 'renew');
    current =
      step.do === 'create'
        ? await opts.kube.createLease(opts.namespace, body)
        : await opts.kube.replaceLease(opts.namespace, body);
    observe(current);
    lastRenewMs = nowMs();
    await setLeader(true, step.do);
  };

  let settleFirst: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => {
    settleFirst = resolve;
  });
  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        await attempt();
      } catch (err) {
        // A 409 is another replica's write in between; anything else (API away) counts against the renew deadline.
        if (leader && nowMs() - lastRenewMs > renewDeadlineMs) await setLeader(false, 'lease not renewed in time');
        if ((err as { kind?: string }).kind !== 'Conflict') opts.log.warn({ err }, 'lease update failed; retrying');
      }
      settleFirst();
      await sleep(retryMs, undefined, { signal: controller.signal }).catch(() => {});
    }
  })();

  return {
    isLeader: () => leader,
    firstAttempt,
    async stop() {
      controller.abort();
      await loop;
      if (!leader) return;
      await setLeader(false, 'stopping');
      // Released as client-go's ReleaseOnCancel does: no holder, so a waiting replica takes over at its next try.
      if (current?.spec?.holderIdentity === opts.identity) {
        await opts.kube
          .replaceLease(opts.namespace, {
            ...current,
            spec: { ...current.spec, holderIdentity: undefined, leaseDurationSeconds: 1 },
          })
          .catch((err) => opts.log.warn({ err }, 'lease not released; another replica takes over when it expires'));
      }
    },
  };
}
