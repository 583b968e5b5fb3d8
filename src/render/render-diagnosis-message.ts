import {
  ACTION_KINDS,
  type CloneOffer,
  type EphemeralOffer,
  formatActionId,
  requestButtonId,
  type Slot,
} from '../actions/index.js';
import { formatAge } from '../diagnosis/time.js';
import type { ContainerDiagnosis, Diagnosis, Finding, RecommendedAction } from '../diagnosis/types.js';
import type { ActionsBlock, Block, ButtonElement, SlackMessage } from './block-kit-types.js';
import { context, fieldsSection, header, section } from './blocks.js';
import { renderCodeBlock } from './code-block.js';
import { describeExit, focusContainer, lastExitOf } from './describe-container.js';
import { SLACK_LIMITS, truncateEnd } from './limits.js';
import { renderButton } from './render-button.js';
import { safeMrkdwn, scrubbed } from './safe-mrkdwn.js';

export interface DiagnosisMessageOptions {
  /** The diagnosis id: each button's value is the action id built from it; everything else is stored server-side. */
  requestId: string;
  /**
   * Why a clone of this pod would be privileged (a privileged container, host namespaces, hostPath…); the clone
   * buttons then say so, and that the node-shell approvers and the two-person rule apply. @defaultValue []
   */
  clonePrivilege?: readonly string[];
  /**
   * Per container (index into `d.containers`), whether a clone can get past the failure (decideCloneOffer): `none`
   * shows the reason and the fix instead of the button; `optional-refs` labels the button as that variant.
   * @defaultValue a plain clone for every container
   */
  cloneOffers?: readonly (CloneOffer | undefined)[];
  /** How many secrets were removed from the evidence before diagnosis; the message says so. */
  redactions: number;
  /** Whether node shells are enabled in config. @defaultValue true */
  nodeShellAvailable?: boolean;
  /**
   * The "Attach debug container" offer (decideEphemeralOffer) for container `index` of `d.containers`: a button, or
   * the reason there is none. `privilege` says why it would be node-shell class (its profile, the pod's spec).
   * @defaultValue no offer (debug containers off)
   */
  debugContainer?: { index: number; offer: EphemeralOffer; profile: string; privilege: readonly string[] };
}

/** Clone buttons per message: one per failing container, but no wall of buttons for a pod with many sidecars. */
const MAX_CLONE_BUTTONS = 3;

const SEVERITY_ICON: Record<Finding['severity'], string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

/** `Deployment/web (via ReplicaSet/web-7d9f)`: the outermost owner first, since that is what people edit. */
export function describeOwners(owners: Diagnosis['pod']['owners']): string {
  if (owners.length === 0) return '_none (bare pod)_';
  const links = owners.map((o) => `${o.kind}/${o.name}`);
  const top = links[links.length - 1]!;
  const via = links.slice(0, -1).reverse();
  return safeMrkdwn(via.length > 0 ? `${top} (via ${via.join(' ← ')})` : top, 500);
}

function keyFacts(d: Diagnosis, focus: ContainerDiagnosis | undefined): string[] {
  const fields = [
    `*Status*\n${safeMrkdwn(d.pod.status || d.pod.phase || 'Unknown', 200)}`,
    `*Node*\n${d.pod.node ? safeMrkdwn(d.pod.node, 300) : '_not scheduled_'}`,
    `*Owner*\n${describeOwners(d.pod.owners)}`,
    `*Age*\n${d.pod.ageSeconds !== undefined ? formatAge(d.pod.ageSeconds) : '_unknown_'}`,
  ];
  if (focus) {
    const exit = describeExit(lastExitOf(focus));
    const name = d.containers.length > 1 ? ` (${safeMrkdwn(focus.name, 100)})` : '';
    fields.push(`*Last exit${name}*\n${exit ?? '_none yet_'}`);
  }
  fields.push(`*Restarts*\n${d.pod.restarts}`);
  if (d.failingSince) fields.push(`*Failing since*\n${describeFailingSince(d.failingSince, d.pod)}`);
  return fields;
}

function renderFinding(f: Finding): string {
  const parts = [`${SEVERITY_ICON[f.severity]} *${safeMrkdwn(f.summary, 500)}*`];
  const evidence = f.evidence.slice(0, 8).map((line) => scrubbed(line, 300));
  if (evidence.length > 0) {
    const more = f.evidence.length > evidence.length ? `\n… ${f.evidence.length - evidence.length} more` : '';
    parts.push(renderCodeBlock(evidence.join('\n') + more, 1400).text);
  }
  if (f.recommendation) parts.push(`*Next step:* ${safeMrkdwn(f.recommendation, 700)}`);
  return parts.join('\n');
}

function otherFindings(findings: Finding[]): string | undefined {
  const rest = findings.slice(1, 4);
  if (rest.length === 0) return undefined;
  const lines = rest.map((f) => `${SEVERITY_ICON[f.severity]} ${safeMrkdwn(f.summary, 400)}`);
  if (findings.length > 4) lines.push(`… and ${findings.length - 4} more in the thread`);
  return `*Also found*\n${lines.join('\n')}`;
}

function footnotes(d: Diagnosis, redactions: number): string[] {
  const notes = [
    redactions > 0
      ? `:lock: ${redactions} secret${redactions === 1 ? '' : 's'} redacted from logs and events`
      : ':lock: no secrets found in logs and events',
  ];
  if (d.missing.length > 0) {
    const shown = d.missing.slice(0, 5).map((m) => `${safeMrkdwn(m.what, 100)} (${m.kind})`);
    const more = d.missing.length > 5 ? ` and ${d.missing.length - 5} more` : '';
    notes.push(`:warning: Missing evidence: ${shown.join(', ')}${more}; details in the thread`);
  }
  return notes;
}

function cloneWording(action: RecommendedAction | undefined): string {
  if (action === 'clone-with-busybox') return ' A static busybox is copied in, since the image has no usable shell.';
  return '';
}

/** The containers offered for cloning, as indexes into `d.containers`. */
export function cloneTargets(d: Diagnosis): number[] {
  const failing = d.containers.flatMap((c, i) => (c.failing ? [i] : []));
  const focus = focusContainer(d);
  if (failing.length > 0) {
    // The top finding's container first: it is the one the recommendation talks about.
    const ordered =
      focus && failing.includes(focus.index) ? [focus.index, ...failing.filter((i) => i !== focus.index)] : failing;
    return ordered.slice(0, MAX_CLONE_BUTTONS);
  }
  const app = d.containers.findIndex((c) => c.kind === 'app');
  if (app >= 0) return [app];
  return d.containers.length > 0 ? [0] : [];
}

/** Why a container offered for cloning gets no clone button, and what fixes the pod instead. */
function cloneRefusals(d: Diagnosis, opts: DiagnosisMessageOptions): string[] {
  return cloneTargets(d).flatMap((i) => {
    const offer = opts.cloneOffers?.[i];
    if (offer?.kind !== 'none') return [];
    const name = safeMrkdwn(truncateEnd(d.containers[i]!.name, 60), 60);
    return [
      `:no_entry_sign: No debug clone of ${name}: ${safeMrkdwn(offer.reason, 600)}. To fix: ${safeMrkdwn(offer.fix, 600)}`,
    ];
  });
}

/** Why no debug container is offered, and what to do instead. */
function debugContainerRefusal(opts: DiagnosisMessageOptions): string[] {
  const offer = opts.debugContainer?.offer;
  if (offer?.kind !== 'none') return [];
  return [
    `:no_entry_sign: No debug container: ${safeMrkdwn(offer.reason, 600)}. To fix: ${safeMrkdwn(offer.fix, 600)}`,
  ];
}

function debugContainerButton(d: Diagnosis, opts: DiagnosisMessageOptions): ButtonElement | undefined {
  const dc = opts.debugContainer;
  if (dc?.offer.kind !== 'attach') return undefined;
  const slot: Slot = { kind: 'ephemeral', container: dc.index };
  const target = truncateEnd(dc.offer.target, 40);
  const privileged = dc.privilege.length > 0;
  const label = `${ACTION_KINDS.ephemeral.label}${privileged ? ' (privileged)' : ''}`;
  const pod = truncateEnd(`${d.pod.namespace}/${d.pod.name}`, 80);
  return renderButton({
    text: d.containers.length > 1 ? `${label}: ${target}` : label,
    actionId: requestButtonId(slot),
    value: formatActionId({ diagnosisId: opts.requestId, slot }),
    confirm: {
      title: privileged ? 'Attach a privileged debug container?' : 'Attach a debug container?',
      text:
        `Adds an ephemeral container (profile ${dc.profile}) to ${pod} that shares ${target}'s processes and network, ` +
        'without a restart. It ends by itself at its TTL but can never be removed: a terminated container stays in ' +
        `the pod until the pod is replaced.${privileged ? ' It needs the node-shell approvers.' : ''}`,
      confirm: 'Attach',
      deny: 'Cancel',
      ...(privileged ? { style: 'danger' as const } : {}),
    },
  });
}

function actions(d: Diagnosis, opts: DiagnosisMessageOptions): ActionsBlock | undefined {
  const top = d.findings[0];
  const targets = cloneTargets(d).filter((i) => opts.cloneOffers?.[i]?.kind !== 'none');
  const pod = truncateEnd(`${d.pod.namespace}/${d.pod.name}`, 80);
  const privileged = opts.clonePrivilege ?? [];
  const value = (slot: Slot) => formatActionId({ diagnosisId: opts.requestId, slot });
  const buttons: ButtonElement[] = targets.map((i, n) => {
    const c = d.containers[i]!;
    const name = truncateEnd(c.name, 40);
    const offer = opts.cloneOffers?.[i];
    const variant = offer?.kind === 'optional-refs' ? offer : undefined;
    const plain = privileged.length ? `${ACTION_KINDS.clone.label} (privileged)` : ACTION_KINDS.clone.label;
    const label = variant ? `${plain} ${variant.label}` : plain;
    const optional = variant
      ? ` Its env references to ${truncateEnd(variant.refs.map((r) => `${r.kind} ${r.name} key ${r.key}`).join(', '), 120)} are made optional, so it starts without those variables.`
      : '';
    const slot: Slot = { kind: 'clone', container: i };
    return renderButton({
      text: targets.length > 1 ? `${label}: ${c.name}` : label,
      actionId: requestButtonId(slot),
      value: value(slot),
      ...(n === 0 && top?.action.startsWith('clone') && !privileged.length ? { style: 'primary' as const } : {}),
      confirm: {
        title: privileged.length ? 'Create a privileged clone?' : 'Create a debug clone?',
        text: privileged.length
          ? `A clone of ${pod} keeps what makes it privileged (${truncateEnd(privileged.join('; '), 120)}), so it is ` +
            'as strong as a node shell: it needs the node-shell approvers and the two-person rule. Container ' +
            `${name} sleeps instead of crashing; the clone is deleted automatically after its TTL.`
          : `Creates a copy of ${pod} where container ${name} sleeps instead of crashing, so you can exec into it: ` +
            `no probes, no owner, no Service labels.${cloneWording(top?.action)}${optional} ` +
            'It is deleted automatically after its TTL.',
        confirm: 'Create clone',
        deny: 'Cancel',
        ...(privileged.length ? { style: 'danger' as const } : {}),
      },
    });
  });
  const attach = debugContainerButton(d, opts);
  if (attach) buttons.push(attach);
  if (d.pod.node && opts.nodeShellAvailable !== false) {
    buttons.push(
      renderButton({
        text: ACTION_KINDS['node-shell'].label,
        actionId: requestButtonId({ kind: 'node-shell' }),
        value: value({ kind: 'node-shell' }),
        confirm: {
          title: 'Open a node shell?',
          text:
            `Creates a privileged pod on node ${truncateEnd(d.pod.node, 80)} with the host's namespaces and its ` +
            'root filesystem at /host. It needs a node-shell approver and is deleted automatically after its TTL.',
          confirm: 'Open node shell',
          deny: 'Cancel',
          style: 'danger',
        },
      }),
    );
  }
  if (buttons.length === 0) return undefined;
  return { type: 'actions', block_id: 'debugdead.actions', elements: buttons.slice(0, SLACK_LIMITS.actionsElements) };
}

/**
 * The parent message of a diagnosis: the verdict, key facts, the top finding with its evidence and next step, how
 * many secrets were redacted and what evidence is missing, and the "Create debug clone" / "Attach debug container" /
 * "Open node shell" buttons.
 */
export function renderDiagnosisMessage(d: Diagnosis, opts: DiagnosisMessageOptions): SlackMessage {
  const focus = focusContainer(d);
  const verdict = d.verdict || `${d.pod.namespace}/${d.pod.name} — ${d.pod.status || d.pod.phase}`;
  const blocks: Block[] = [header(scrubbed(verdict, 1000)), fieldsSection(keyFacts(d, focus?.container))];
  const top = d.findings[0];
  if (top) blocks.push(section(renderFinding(top)));
  const others = otherFindings(d.findings);
  if (others) blocks.push(section(others));
  blocks.push(context(footnotes(d, opts.redactions)));
  const refusals = [...cloneRefusals(d, opts), ...debugContainerRefusal(opts)];
  if (refusals.length) blocks.push(context(refusals));
  const buttons = actions(d, opts);
  if (buttons) blocks.push(buttons);
  // Some verdicts already carry the finding (pending, image pull): the notification says it once.
  const said = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  const summary =
    top && !said(verdict).includes(said(top.summary).slice(0, 40)) ? `: ${scrubbed(top.summary, 500)}` : '';
  return { text: safeMrkdwn(`${verdict}${summary}`, 1000), blocks };
}

/**
 * `09:12 UTC (40m ago)`, `about 09:12 UTC` when counted back over the back-off schedule, with the date when it is
 * not today: from the pod's own record, so it holds however late the bot looked. `ageSeconds` anchors "now".
 */
function describeFailingSince(since: NonNullable<Diagnosis['failingSince']>, pod: Diagnosis['pod']): string {
  const at = new Date(since.at);
  const created = pod.createdAt !== undefined && pod.ageSeconds !== undefined ? Date.parse(pod.createdAt) : Number.NaN;
  const nowMs = Number.isNaN(created) ? undefined : created + (pod.ageSeconds ?? 0) * 1000;
  const iso = at.toISOString();
  const sameDay = nowMs !== undefined && new Date(nowMs).toISOString().slice(0, 10) === iso.slice(0, 10);
  const when = `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
  const ago = nowMs !== undefined ? ` (${formatAge(Math.max(0, Math.floor((nowMs - at.getTime()) / 1000)))} ago)` : '';
  return `${since.approximate ? 'about ' : ''}${when}${ago}`;
}
