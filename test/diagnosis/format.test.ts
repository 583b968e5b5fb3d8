import { describe, expect, it } from 'vitest';
import { diagnose, formatDiagnosisText, toDiagnosisJson } from '../../src/diagnosis/index.js';
import { SCENARIOS } from './fixtures.js';

describe('formatDiagnosisText', () => {
  const text = formatDiagnosisText(diagnose(SCENARIOS['crash-exit1']()));

  it('starts with the verdict and the key facts', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('demo/crash-exit1 — CrashLoopBackOff, exit 1 (23 restarts)');
    expect(text).toContain('Node       node-a');
    expect(text).toContain('Owner      ReplicaSet crash-exit1-7d9f8b6c4d → Deployment crash-exit1');
    expect(text).toContain('Age        120m');
    expect(text).toMatch(/Last exit {2}app: exit 1 \(Error\), general application error.*ran 2s/);
  });

  it('shows a containers table, the findings with evidence and next step, and the events', () => {
    expect(text).toMatch(/NAME +KIND +STATE +REASON +READY +RESTARTS +LAST EXIT +BACK-OFF +IMAGE/);
    expect(text).toMatch(/app +app +waiting +CrashLoopBackOff +no +23 +1 \(Error\) +5m +ghcr\.io\/acme\/api:1\.4\.2/);
    expect(text).toContain('1. [critical] ApplicationError (app): app crashes with exit 1 after 2s');
    expect(text).toContain('     |     at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)');
    expect(text).toMatch(/ {3}→ Read the error lines above/);
    expect(text).toContain('   next: clone');
    expect(text).toMatch(/Warning +BackOff +480 +5s +Back-off restarting failed container app/);
  });

  it('lists missing evidence when a read failed', () => {
    const f = SCENARIOS['crash-exit1']();
    f.events = { ok: false, kind: 'Forbidden', message: 'events is forbidden' };
    const t = formatDiagnosisText(diagnose(f));
    expect(t).toContain('EVENTS\n  (could not be read)');
    expect(t).toContain('MISSING EVIDENCE\n  - events: Forbidden: events is forbidden');
  });

  it('never lets terminal escape sequences from logs or events through', () => {
    const f = SCENARIOS['crash-exit1']();
    f.logs = [{ container: 'app', current: { ok: true, value: 'Error: \x1b]0;pwned\x07 \x1b[2J boom\n' } }];
    const t = formatDiagnosisText(diagnose(f));
    expect(t).not.toMatch(/[\x1b\x07]/);
  });

  it.each(Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[])('renders %s', (scenario) => {
    const t = formatDiagnosisText(diagnose(SCENARIOS[scenario]()));
    expect(t).toContain('FINDINGS\n1. [');
    expect(t.endsWith('\n')).toBe(true);
  });
});

describe('toDiagnosisJson', () => {
  it('has exactly the promised shape', () => {
    const json = toDiagnosisJson(diagnose(SCENARIOS.multi()));
    expect(Object.keys(json)).toEqual(['pod', 'namespace', 'phase', 'containers', 'findings', 'events']);
    expect(json).toMatchObject({ pod: 'multi', namespace: 'demo', phase: 'Running' });
    expect(json.containers).toEqual([
      {
        name: 'setup',
        state: 'terminated',
        reason: 'Completed',
        restartCount: 0,
        lastExitCode: 0,
        lastReason: 'Completed',
      },
      { name: 'web', state: 'running', reason: null, restartCount: 0, lastExitCode: null, lastReason: null },
      {
        name: 'worker',
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        restartCount: 7,
        lastExitCode: 1,
        lastReason: 'Error',
      },
      { name: 'metrics', state: 'running', reason: null, restartCount: 0, lastExitCode: null, lastReason: null },
    ]);
    for (const f of json.findings)
      expect(Object.keys(f)).toEqual(['kind', 'severity', 'summary', 'evidence', 'recommendation']);
    expect(json.events[0]).toEqual({
      type: 'Warning',
      reason: 'BackOff',
      message: expect.stringMatching(/^Back-off restarting failed container worker/),
      count: 60,
      ageSeconds: 5,
    });
  });

  it.each(Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[])('%s survives JSON.stringify unchanged', (scenario) => {
    const json = toDiagnosisJson(diagnose(SCENARIOS[scenario]()));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
