import { matchGlob } from '../approvals/index.js';
import type { AlertRoute } from '../config/types.js';

/** The channel for a namespace's alerts: the first route with a matching glob, else the default (maybe none). */
export function routeAlert(
  namespace: string,
  routing: { channel?: string; routes: readonly AlertRoute[] },
): string | undefined {
  const route = routing.routes.find((r) => r.namespaces.some((pattern) => matchGlob(pattern, namespace)));
  return route?.channel ?? routing.channel;
}
