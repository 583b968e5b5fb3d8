import { cutAround } from './cut-around.js';
import { type ContainerFindingInput, crashLogText } from './find-container-findings.js';
import { findTellingLine } from './pick-telling-line.js';
import { formatAge, secondsSince, toIso } from './time.js';
import type { Finding } from './types.js';

/**
 * An init container still running after this long, with the app containers waiting behind it, is stuck rather than
 * working: most are "wait for X" loops (`until nslookup db; do sleep 2; done`) that never see X.
 */
export const INIT_STUCK_SECONDS = 120;

const ADVICE: Partial<Record<string, string>> = {
  dns: 'The name it waits for does not resolve: check the Service exists in that namespace and that the name (and its namespace suffix) is spelled as the Service is.',
  connection:
    'What it waits for refuses or drops the connection: check that the target runs, is ready, and listens on that port (its Service has endpoints).',
  tls: 'The TLS handshake fails: check the certificate the target presents against the CA the init container trusts.',
  auth: 'The target refuses its credentials: check the Secret it reads them from.',
  permission:
    'It is not allowed to do what it tries: check the filesystem permissions, securityContext and RBAC it needs.',
};

/**
 * A regular init container that runs and never exits keeps the pod in Init:N/M; kubectl shows nothing wrong, but its
 * log (read while it runs) shows what it loops on.
 */
export function findStuckInit(input: ContainerFindingInput): Finding | undefined {
  const { container: c, pod, now } = input;
  if (c.kind !== 'init' || c.state !== 'running') return undefined;
  const status = (pod.status?.initContainerStatuses ?? []).find((s) => s?.name === c.name);
  const ran = now ? secondsSince(status?.state?.running?.startedAt, now) : undefined;
  if (ran === undefined) return undefined;
  const young = ran < INIT_STUCK_SECONDS;
  const current = input.logs?.current?.ok ? input.logs.current.value : crashLogText(c, input.logs);
  const lines = (current ?? '')
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-300);
  const telling = findTellingLine(lines);
  const last = lines[lines.length - 1];
  const said = telling
    ? cutAround(telling.text, 200, telling.phrase)
    : last
      ? `its last line: ${cutAround(last, 180)}`
      : current === undefined
        ? 'its log could not be read'
        : 'it has written nothing';
  const repeated = telling ? lines.filter((l) => l === lines[telling.index]).length : 0;
  return {
    kind: 'InitContainerFailure',
    // Under the threshold it may simply be working: say what it does, without raising the alarm.
    severity: young ? 'info' : 'critical',
    container: c.name,
    summary: young
      ? `init container ${c.name} is still running (${formatAge(ran)}); the app containers wait for it: ${said}`
      : `init container ${c.name} has run for ${formatAge(ran)} without completing, so the app containers never start: ${said}`,
    evidence: [
      `running since ${toIso(status?.state?.running?.startedAt) ?? '?'} (${formatAge(ran)}), restarts: ${c.restartCount}`,
      ...(input.spec?.command?.length ? [`command: ${JSON.stringify(input.spec.command)}`] : []),
      ...(input.spec?.args?.length ? [`args: ${JSON.stringify(input.spec.args)}`] : []),
      ...(repeated > 1 ? [`the telling line repeats ${repeated} times in the last ${lines.length} lines`] : []),
      ...lines.slice(-8),
    ],
    recommendation: young
      ? `Look again in a minute: init containers often take a while. If it keeps running, read what ${c.name} waits for in its log.`
      : ((telling?.family ? ADVICE[telling.family] : undefined) ??
        `Read what ${c.name} waits for in its log: the app containers start only when every init container exits 0.`),
    action: young ? 'none' : 'clone',
  };
}
