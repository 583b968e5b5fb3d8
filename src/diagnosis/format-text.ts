import { formatAge } from './time.js';
import type { ContainerDiagnosis, Diagnosis, TerminationFacts } from './types.js';

/** Terminal escape sequences and control characters from logs or events must not drive the user's terminal. */
function safe(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f\x1b]/g, '');
}

function singleLine(text: string): string {
  return safe(text).replace(/\s+/g, ' ').trim();
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function exitText(t: TerminationFacts | undefined): string {
  if (!t) return '-';
  return `${t.exitCode}${t.reason ? ` (${t.reason})` : ''}`;
}

function lastExitLine(c: ContainerDiagnosis): string | undefined {
  const t = c.state === 'terminated' ? c.terminated : c.lastTermination;
  if (!t) return undefined;
  const ran = t.ranSeconds !== undefined ? `, ran ${formatAge(t.ranSeconds)}` : '';
  const when = t.finishedAt ? `, finished ${t.finishedAt}` : '';
  return `${c.name}: exit ${exitText(t)}, ${t.explanation.meaning}${ran}${when}`;
}

/**
 * The diagnosis as a person reads it in a terminal: verdict, key facts, containers, findings with their evidence
 * and next step, folded events, and what could not be read.
 */
export function formatDiagnosisText(d: Diagnosis): string {
  const out: string[] = [singleLine(d.verdict), ''];
  const p = d.pod;
  const facts: [string, string | undefined][] = [
    ['Pod', `${p.namespace}/${p.name} (phase ${p.phase}, status ${p.status})`],
    ['Node', p.node ?? '(not scheduled)'],
    ['Owner', p.owners.length ? p.owners.map((o) => `${o.kind} ${o.name}`).join(' → ') : '(none)'],
    ['Age', p.ageSeconds !== undefined ? formatAge(p.ageSeconds) : undefined],
    ['Restarts', `${p.restarts} (restartPolicy ${p.restartPolicy})`],
    ['Reason', p.reason ? `${p.reason}${p.message ? `: ${p.message}` : ''}` : undefined],
  ];
  for (const c of d.containers) {
    // A completed init container's exit 0 is its job, not a fact worth a line.
    if (!c.failing && c.restartCount === 0 && (c.terminated ?? c.lastTermination)?.exitCode === 0) continue;
    const last = lastExitLine(c);
    if (last) facts.push(['Last exit', last]);
  }
  for (const [k, v] of facts) if (v !== undefined) out.push(`${k.padEnd(10)} ${singleLine(v)}`);

  out.push('', 'CONTAINERS');
  out.push(
    ...table(
      ['NAME', 'KIND', 'STATE', 'REASON', 'READY', 'RESTARTS', 'LAST EXIT', 'BACK-OFF', 'IMAGE'],
      d.containers.map((c) => [
        singleLine(c.name),
        c.kind,
        c.state,
        singleLine(c.reason ?? '-'),
        c.ready ? 'yes' : 'no',
        String(c.restartCount),
        exitText(c.state === 'terminated' ? c.terminated : c.lastTermination),
        c.backOffSeconds !== undefined ? formatAge(c.backOffSeconds) : '-',
        singleLine(c.image),
      ]),
    ).map((l) => `  ${l}`),
  );

  out.push('', 'FINDINGS');
  d.findings.forEach((f, i) => {
    out.push(
      `${i + 1}. [${f.severity}] ${f.kind}${f.container ? ` (${singleLine(f.container)})` : ''}: ${singleLine(f.summary)}`,
    );
    // Evidence keeps its indentation: stack traces read as stack traces.
    for (const e of f.evidence)
      out.push(
        `     | ${safe(e)
          .replace(/\s*[\r\n]+\s*/g, ' ')
          .trimEnd()}`,
      );
    out.push(`   → ${singleLine(f.recommendation)}`);
    if (f.action !== 'none') out.push(`   next: ${f.action}`);
  });

  out.push('', 'EVENTS');
  if (d.events.length === 0)
    out.push(d.missing.some((m) => m.what === 'events') ? '  (could not be read)' : '  (none)');
  else {
    out.push(
      ...table(
        ['TYPE', 'REASON', 'COUNT', 'AGE', 'MESSAGE'],
        d.events.map((e) => [
          singleLine(e.type),
          singleLine(e.reason),
          String(e.count),
          e.ageSeconds !== undefined ? formatAge(e.ageSeconds) : '-',
          singleLine(e.message),
        ]),
      ).map((l) => `  ${l}`),
    );
  }

  if (d.missing.length) {
    out.push('', 'MISSING EVIDENCE');
    for (const m of d.missing) out.push(`  - ${singleLine(m.what)}: ${m.kind}: ${singleLine(m.message)}`);
  }
  return `${out.join('\n')}\n`;
}
