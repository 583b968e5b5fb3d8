import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/index.js';
import { crashExit1 } from './fixtures.js';

describe('an application crash whose logs could not be read', () => {
  const facts = crashExit1();
  const denied = {
    ...facts,
    logs: [
      {
        container: 'app',
        current: {
          ok: false as const,
          kind: 'Forbidden' as const,
          message: 'pods "crash-exit1" is forbidden: cannot get pods/log',
        },
        previous: {
          ok: false as const,
          kind: 'Forbidden' as const,
          message: 'pods "crash-exit1" is forbidden: cannot get pods/log',
        },
      },
    ],
  };
  const [top] = diagnose(denied).findings;

  it('keeps the raw refusal out of the one-line summary and says the logs are unavailable in the evidence', () => {
    expect(top!.summary).toBe('app crashes with exit 1 after 2s');
    expect(top!.evidence.join('\n')).toMatch(/logs unavailable: pods "crash-exit1" is forbidden/);
  });

  it('does not point at error lines that are not there', () => {
    expect(top!.recommendation).not.toMatch(/error lines above/);
    expect(top!.recommendation).toMatch(/could not be read/);
  });
});

describe('a Go program that panics', () => {
  it("explains exit 2 as the Go runtime's panic exit, not a shell usage error", () => {
    const facts = crashExit1();
    const status = facts.pod.status!.containerStatuses![0]!;
    status.lastState!.terminated!.exitCode = 2;
    const panicking = {
      ...facts,
      logs: [
        {
          container: 'app',
          previous: {
            ok: true as const,
            value: 'starting\npanic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:',
          },
        },
      ],
    };
    const [top] = diagnose(panicking).findings;
    expect(top!.evidence).toContain('exit 2 after "panic:": the Go runtime exits 2 on an unrecovered panic');
  });
});
