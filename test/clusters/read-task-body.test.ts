import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTaskBody } from '../../src/agent/read-task-body.js';
import { TASK_KINDS, type TaskKind } from '../../src/clusters/index.js';

const LIMITS = { maxTailLines: 10_000, maxLimitBytes: 1_048_576 };
const opts = { tailLines: 700, limitBytes: 1_048_576 };

describe('an agent reads a task body as untrusted data', () => {
  it.each<[TaskKind, unknown, string]>([
    ['workload', undefined, 'no body'],
    ['workload', [], 'no body'],
    ['workload', { namespace: 'demo' }, 'not a workload'],
    ['workload', { namespace: 'demo', workload: { kind: 'CronJob', name: 'x' } }, 'not a workload'],
    ['workload', { namespace: 'demo', workload: { kind: 'Deployment', name: '../secrets' } }, 'not a workload'],
    ['workload', { namespace: 'demo', workload: { kind: 'Deployment', name: 'A' } }, 'not a workload'],
    ['workload', { namespace: 'Demo', workload: { kind: 'Deployment', name: 'web' } }, 'not a namespace'],
    ['workload', { namespace: 'demo', workload: 'deployment/web' }, 'not a workload'],
    ['workload-of', { namespace: 'demo' }, 'not a pod'],
    ['workload-of', { namespace: 'demo', pod: 'web/../x' }, 'not a pod'],
    ['workload-of', { namespace: 'demo', pod: 'x'.repeat(254) }, 'not a pod'],
    ['workload-of', { namespace: 'a'.repeat(64), pod: 'web' }, 'not a pod'],
    ['more-logs', { namespace: 'demo', pod: 'web', opts }, 'not a container'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'App', opts }, 'not a container'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app' }, 'log bounds unreadable'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app', opts: { tailLines: 5 } }, 'log bounds unreadable'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app', opts: { ...opts, tailLines: -1 } }, 'log bounds'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app', opts: { ...opts, tailLines: 1.5 } }, 'log bounds'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app', opts: { ...opts, since: 'yesterday' } }, 'log'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app', opts: { ...opts, since: -5 } }, 'log bounds'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app', opts: { ...opts, nested: {} } }, 'log bounds'],
    ['more-logs', { namespace: 'demo', pod: 'web', container: 'app', opts: { ...opts, 'bad-key': 1 } }, 'log bounds'],
    ['locate', { namespace: 'demo', workload: { kind: 'Pod', name: 'web' } }, 'not a workload'],
    ['locate', { namespace: 'demo' }, 'no pod'],
    ['diagnose', { pod: 'web' }, 'no namespace'],
    ['extend', { namespace: 'demo', podName: 'web-debug-abcde' }, 'no pod, action or time'],
  ])('%s %j is refused (%s)', (kind, body, problem) => {
    const read = readTaskBody(kind, body, LIMITS);
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.problem).toContain(problem);
    expect(read.ok ? '' : read.problem).toMatch(new RegExp(`^malformed ${kind} task`));
  });

  it('a kind no agent does is refused (groups travels in a create job, reports go the other way)', () => {
    for (const kind of ['groups', 'report'] as const)
      expect(readTaskBody(kind, { namespace: 'demo' }, LIMITS)).toEqual({
        ok: false,
        problem: `the agent does not do ${kind} tasks`,
      });
  });

  it.each<[TaskKind, unknown, unknown]>([
    [
      'workload',
      { namespace: 'demo', workload: { kind: 'StatefulSet', name: 'db', extra: 1 } },
      { kind: 'workload', namespace: 'demo', workload: { kind: 'StatefulSet', name: 'db' } },
    ],
    [
      'locate',
      { namespace: 'demo', workload: { kind: 'Job', name: 'migrate-2' } },
      { kind: 'locate', namespace: 'demo', workload: { kind: 'Job', name: 'migrate-2' } },
    ],
    ['locate', { namespace: 'demo', pod: 'web' }, { kind: 'locate', namespace: 'demo', pod: 'web' }],
    [
      'workload-of',
      { namespace: 'demo', pod: 'web-7d9f8-abcde' },
      { kind: 'workload-of', namespace: 'demo', pod: 'web-7d9f8-abcde' },
    ],
    [
      'more-logs',
      {
        namespace: 'demo',
        pod: 'web',
        container: 'app',
        opts: { ...opts, callTimeoutMs: 999_999, sinceSeconds: 600, previous: true },
      },
      {
        kind: 'more-logs',
        namespace: 'demo',
        pod: 'web',
        container: 'app',
        opts: { tailLines: 700, limitBytes: 1_048_576, sinceSeconds: 600, previous: true },
      },
    ],
  ])('%s %j is read as %j', (kind, body, request) => {
    expect(readTaskBody(kind, body, LIMITS)).toEqual({ ok: true, request });
  });

  it('log bounds above the agent’s limits are cut to them; the deadline is never the body’s', () => {
    const read = readTaskBody(
      'more-logs',
      {
        namespace: 'demo',
        pod: 'web',
        container: 'app',
        opts: { tailLines: 10_000_000, limitBytes: 2 ** 40, callTimeoutMs: 1, sinceTime: '2026-01-01T00:00:00Z' },
      },
      LIMITS,
    );
    expect(read).toEqual({
      ok: true,
      request: {
        kind: 'more-logs',
        namespace: 'demo',
        pod: 'web',
        container: 'app',
        opts: { tailLines: 10_000, limitBytes: 1_048_576, sinceTime: '2026-01-01T00:00:00Z' },
      },
    });
  });

  it('never throws, and whatever it accepts names only Kubernetes names within the limits', () => {
    const name = fc.oneof(fc.constantFrom('demo', 'web', 'app', 'Deployment', 'StatefulSet'), fc.string());
    const body = fc.oneof(
      fc.anything(),
      fc.record(
        {
          namespace: name,
          pod: name,
          container: name,
          workload: fc.oneof(fc.record({ kind: name, name }), fc.anything()),
          opts: fc.oneof(
            fc.record({ tailLines: fc.integer(), limitBytes: fc.integer() }),
            fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.anything())),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...TASK_KINDS), body, (kind, b) => {
        const read = readTaskBody(kind, b, LIMITS);
        if (!read.ok) return;
        const r = read.request as Record<string, any>;
        if (['workload', 'workload-of', 'more-logs'].includes(kind)) {
          expect(r.namespace).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
          if (r.pod !== undefined) expect(r.pod).toMatch(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/);
        }
        if (r.opts) {
          expect(r.opts.tailLines).toBeLessThanOrEqual(LIMITS.maxTailLines);
          expect(r.opts.limitBytes).toBeLessThanOrEqual(LIMITS.maxLimitBytes);
          expect(r.opts.callTimeoutMs).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
  });
});
