import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ActionKind, PrivilegeClass } from './action-kinds.js';

/**
 * A granted action: everything that decides the pod the worker builds, as approved in Slack. It travels in the job
 * with an HMAC-SHA256 signature under a key that lives only in the bot's environment (DEBUGDEAD_SIGNING_KEY), so
 * whoever can write to Redis can neither make a grant nor change one field of it.
 */
export interface Grant {
  /** `<diagnosisId>.<slot>`: also the pod's name seed, so a replay builds the same pod. */
  actionId: string;
  kind: ActionKind;
  privilege: PrivilegeClass;
  /** config cluster.name: a grant for one cluster is refused by another's worker sharing the key. */
  cluster: string;
  /** The source pod's namespace (the policy's namespace). */
  namespace: string;
  /** The source pod (clones). */
  pod?: string;
  /** The node (node shells). */
  node?: string;
  /** The container to clone, or the debug container's target. */
  container?: string;
  /** Debug containers: kubectl's profile (general, baseline, restricted, netadmin, sysadmin). */
  profile?: string;
  /** Debug containers: the image, from the configured allowlist. */
  image?: string;
  /** Slack user id of whoever asked. */
  requester: string;
  /** Slack user ids of the distinct approvers, sorted. */
  approvers: string[];
  /** ISO 8601: the worker refuses the grant after this. */
  expiresAt: string;
}

/** A grant and its signature, as the create job carries them. */
export interface SignedGrant {
  grant: Grant;
  /** Hex HMAC-SHA256 of {@link grantPayload}. */
  signature: string;
}

/** The signed bytes: a version tag and every field in a fixed order, so no two grants share a payload. */
export function grantPayload(g: Grant): string {
  return JSON.stringify([
    'debugdead.grant.v1',
    g.actionId,
    g.kind,
    g.privilege,
    g.cluster,
    g.namespace,
    g.pod ?? null,
    g.node ?? null,
    g.container ?? null,
    g.requester,
    [...g.approvers].sort(),
    g.expiresAt,
    // Only debug containers carry these; the payload of other grants is unchanged (and an array of another length).
    ...(g.profile !== undefined || g.image !== undefined ? [g.profile ?? null, g.image ?? null] : []),
  ]);
}

export function signGrant(grant: Grant, key: string): SignedGrant {
  const normalised = { ...grant, approvers: [...new Set(grant.approvers)].sort() };
  return { grant: normalised, signature: createHmac('sha256', key).update(grantPayload(normalised)).digest('hex') };
}

/** Why a job's grant was refused before any policy check. */
export type GrantProblem = 'malformed' | 'bad-signature' | 'expired' | 'other-cluster';

/**
 * Reads a job's grant from untrusted data (it comes out of Redis) and checks its signature in constant time, its
 * expiry and its cluster. Pure: `now` and the key are passed in.
 */
export function verifyGrant(
  data: unknown,
  key: string,
  now: Date,
  cluster: string,
): { ok: true; grant: Grant } | { ok: false; problem: GrantProblem } {
  const parsed = parseSignedGrant(data);
  if (!parsed) return { ok: false, problem: 'malformed' };
  const expected = createHmac('sha256', key).update(grantPayload(parsed.grant)).digest();
  const given = Buffer.from(parsed.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'bad-signature' };
  if (!(Date.parse(parsed.grant.expiresAt) > now.getTime())) return { ok: false, problem: 'expired' };
  if (parsed.grant.cluster !== cluster) return { ok: false, problem: 'other-cluster' };
  return { ok: true, grant: parsed.grant };
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 300;
const opt = (v: unknown): boolean => v === undefined || str(v);

function parseSignedGrant(data: unknown): SignedGrant | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { grant, signature } = data as Record<string, unknown>;
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  if (typeof grant !== 'object' || grant === null) return undefined;
  const g = grant as Record<string, unknown>;
  if (!str(g.actionId) || !str(g.cluster) || !str(g.namespace) || !str(g.requester) || !str(g.expiresAt))
    return undefined;
  if (g.kind !== 'clone' && g.kind !== 'node-shell' && g.kind !== 'ephemeral') return undefined;
  if (g.privilege !== 'standard' && g.privilege !== 'privileged') return undefined;
  if (!opt(g.pod) || !opt(g.node) || !opt(g.container) || !opt(g.profile) || !opt(g.image)) return undefined;
  if (!Array.isArray(g.approvers) || g.approvers.length > 20 || !g.approvers.every(str)) return undefined;
  return {
    signature,
    grant: {
      actionId: g.actionId,
      kind: g.kind,
      privilege: g.privilege,
      cluster: g.cluster,
      namespace: g.namespace,
      ...(g.pod !== undefined ? { pod: g.pod as string } : {}),
      ...(g.node !== undefined ? { node: g.node as string } : {}),
      ...(g.container !== undefined ? { container: g.container as string } : {}),
      ...(g.profile !== undefined ? { profile: g.profile as string } : {}),
      ...(g.image !== undefined ? { image: g.image as string } : {}),
      requester: g.requester,
      approvers: g.approvers as string[],
      expiresAt: g.expiresAt,
    },
  };
}
