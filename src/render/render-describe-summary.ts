import { formatAge } from '../diagnosis/time.js';
import type { ContainerDiagnosis, Diagnosis } from '../diagnosis/types.js';
import type { Block } from './block-kit-types.js';
import { section } from './blocks.js';
import { describeExit, describeState, terminationCutNote } from './describe-container.js';
import { inlineCode, safeMrkdwn } from './safe-mrkdwn.js';
import { slackDate } from './slack-date.js';

const MAX_CONDITIONS = 12;

function podSection(d: Diagnosis): string {
  const p = d.pod;
  const facts = [
    `*Phase* ${safeMrkdwn(p.phase || 'Unknown', 50)}`,
    `*Status* ${safeMrkdwn(p.status || 'Unknown', 100)}`,
    `*Restart policy* ${safeMrkdwn(p.restartPolicy || 'Always', 30)}`,
    `*Node* ${p.node ? safeMrkdwn(p.node, 300) : '_not scheduled_'}`,
    `*Age* ${formatAge(p.ageSeconds)}`,
  ];
  const lines = [`:page_facing_up: *Describe* ${safeMrkdwn(`${p.namespace}/${p.name}`, 300)}`, facts.join(' · ')];
  if (p.reason || p.message) {
    lines.push(`*Reason* ${safeMrkdwn([p.reason, p.message].filter(Boolean).join(': '), 1000)}`);
  }
  if (p.conditions.length > 0) {
    lines.push('*Conditions*');
    for (const c of p.conditions.slice(0, MAX_CONDITIONS)) {
      const why = [c.reason, c.message].filter(Boolean).join(' — ');
      lines.push(`• ${safeMrkdwn(c.type, 60)}: ${safeMrkdwn(c.status, 20)}${why ? ` (${safeMrkdwn(why, 200)})` : ''}`);
    }
    if (p.conditions.length > MAX_CONDITIONS) lines.push(`… ${p.conditions.length - MAX_CONDITIONS} more`);
  }
  return lines.join('\n');
}

const KIND_LABEL: Record<ContainerDiagnosis['kind'], string> = {
  init: 'init container',
  sidecar: 'sidecar',
  app: 'container',
  ephemeral: 'ephemeral debug container',
};

/** One container the way `kubectl describe` lists it, cut down to what explains a crash. */
export function describeContainer(c: ContainerDiagnosis): string {
  const lines = [
    `${c.failing ? ':x:' : ':white_check_mark:'} *${safeMrkdwn(c.name, 100)}* (${KIND_LABEL[c.kind]}) · image ${inlineCode(c.image, 300)}`,
  ];
  const stateCut = c.state === 'terminated' ? terminationCutNote(c.message) : undefined;
  const stateMessage = c.message ? ` — ${safeMrkdwn(c.message, 600)}${stateCut ? ` _(${stateCut})_` : ''}` : '';
  lines.push(`• State: ${describeState(c)}${stateMessage}`);
  const current = describeExit(c.terminated);
  if (current) lines.push(`• Exit: ${current}`);
  const last = describeExit(c.lastTermination);
  if (last) {
    const when = c.lastTermination?.finishedAt
      ? `, finished ${slackDate(c.lastTermination.finishedAt.slice(0, 60))}`
      : '';
    lines.push(`• Last state: terminated, exit ${last}${when}`);
    if (c.lastTermination?.message) {
      const cut = terminationCutNote(c.lastTermination.message);
      lines.push(`• Last message: ${safeMrkdwn(c.lastTermination.message, 600)}${cut ? ` _(${cut})_` : ''}`);
    }
  }
  const backOff = c.backOffSeconds !== undefined ? ` · Back-off: ${formatAge(c.backOffSeconds)}` : '';
  lines.push(`• Restarts: ${c.restartCount} · Ready: ${c.ready ? 'yes' : 'no'}${backOff}`);
  return lines.join('\n');
}

function missingSection(d: Diagnosis): string | undefined {
  if (d.missing.length === 0) return undefined;
  const lines = d.missing
    .slice(0, 20)
    .map((m) => `• ${safeMrkdwn(m.what, 100)}: ${m.kind} — ${safeMrkdwn(m.message, 300)}`);
  if (d.missing.length > 20) lines.push(`… ${d.missing.length - 20} more`);
  return `:warning: *Missing evidence* (the diagnosis above is based on the rest)\n${lines.join('\n')}`;
}

/** The describe summary as blocks: the pod, its conditions, each container, and what could not be read. */
export function renderDescribeSummary(d: Diagnosis): Block[] {
  const blocks: Block[] = [section(podSection(d))];
  for (const c of d.containers) blocks.push(section(describeContainer(c)));
  const missing = missingSection(d);
  if (missing) blocks.push(section(missing));
  return blocks;
}
